-- Headless Neovim (0.7 API: vim.lsp.start_client + buf_attach_client) as a second LSP client of the
-- standalone server `bin/smtptls-language-server --stdio`. Opens samples, waits for the server's
-- publishDiagnostics (no fixed sleeps: vim.wait on a condition, with a timeout that fails the check),
-- asserts rule ids, severities and ranges, prints `ok - ...`/`not ok - ...` and a closing
-- `N passed, N failed` line, exits non-zero on any failure.
--
-- Usage (see run.sh): nvim --headless -u NONE -i NONE -n -c "luafile e2e/nvim/lsp-test.lua"
-- Env: LSP_CMD (server command line), LSP_WS (folder holding the sample copies)
local function out(s) io.stdout:write(s .. '\n') end
local cmd = vim.split(os.getenv('LSP_CMD') or 'bin/smtptls-language-server --stdio', ' ', { trimempty = true })
local ws = os.getenv('LSP_WS') or 'samples'
local TIMEOUT = 15000

local passed, failed = 0, 0
local function check(name, cond, detail)
  if cond then passed = passed + 1; out('ok - ' .. name)
  else failed = failed + 1; out('not ok - ' .. name .. (detail and (' -- ' .. detail) or '')) end
end
local function finish()
  out(('%d passed, %d failed'):format(passed, failed))
  io.stdout:flush()
  if failed > 0 then vim.cmd('cquit 1') else vim.cmd('qall!') end
end

-- every publishDiagnostics, also an empty one (a clean file), is counted per uri
local publishes = {}
local client_id = vim.lsp.start_client({
  name = 'smtptls', cmd = cmd, root_dir = ws,
  workspace_folders = { { uri = vim.uri_from_fname(ws), name = 'ws' } },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      publishes[result.uri] = (publishes[result.uri] or 0) + 1
      return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  },
  on_exit = function(code, signal)
    if code ~= 0 then out(('# server exited code=%s signal=%s'):format(code, signal)) end
  end,
})
check('server starts: ' .. table.concat(cmd, ' '), client_id ~= nil)
if not client_id then finish() end

local function open(name)
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/' .. name))
  vim.bo.filetype = 'smtp-transcript' -- languageId sent in didOpen
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)
  return bufnr, vim.uri_from_bufnr(bufnr)
end
local function line_starting(bufnr, prefix)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if l:sub(1, #prefix) == prefix then return i - 1 end
  end
  return -1
end
local function codes(diags)
  local c = {}
  for _, d in ipairs(diags) do c[#c + 1] = tostring(d.code) end
  table.sort(c)
  return table.concat(c, ',')
end
local function show(diags)
  local s = {}
  for _, d in ipairs(diags) do
    s[#s + 1] = ('%s sev=%d %d:%d-%d:%d'):format(tostring(d.code), d.severity, d.lnum, d.col, d.end_lnum, d.end_col)
  end
  return '[' .. table.concat(s, '; ') .. ']'
end
local function wait_for(bufnr, pred)
  local ok = vim.wait(TIMEOUT, function() return pred(vim.diagnostic.get(bufnr)) end, 20)
  return ok, vim.diagnostic.get(bufnr)
end
local S = vim.diagnostic.severity

-- 1. SSLv2-format hello offering SSL 2.0: error on the version bytes 00 02 (characters 12-17)
do
  local b = open('sslv2-hello-ssl2.transcript')
  local line = line_starting(b, 'C: 80 3b 01 00 02 ')
  local ok, d = wait_for(b, function(d) return #d > 0 end)
  check('sslv2-hello-ssl2: diagnostics arrive', ok)
  check('sslv2-hello-ssl2: exactly tls-hello-version-below-3.1', codes(d) == 'tls-hello-version-below-3.1', show(d))
  if d[1] then
    check('sslv2-hello-ssl2: error on version bytes 00 02', d[1].severity == S.ERROR and d[1].lnum == line
      and d[1].col == 12 and d[1].end_lnum == line and d[1].end_col == 17, show(d) .. ' want line ' .. line)
  end

  -- incremental edit from this client: version 00 02 -> 03 01 makes it an SSLv2-compatible TLS 1.0 hello
  vim.api.nvim_buf_set_text(b, line, 12, line, 17, { '03 01' })
  ok, d = wait_for(b, function(x) return codes(x) == 'tls-sslv2-compat-hello' end)
  check('sslv2-hello-ssl2 edited to 03 01: tls-sslv2-compat-hello warning replaces it', ok and d[1].severity == S.WARN
    and d[1].lnum == line, show(d))
  vim.api.nvim_buf_set_text(b, line, 12, line, 17, { '00 02' })
  ok, d = wait_for(b, function(x) return codes(x) == 'tls-hello-version-below-3.1' end)
  check('sslv2-hello-ssl2 edited back: tls-hello-version-below-3.1 again', ok, show(d))
end

-- 2. SSL 3.0 hello: error on client_version 03 00 at bytes 9-10 (characters 30-35), not the record version
do
  local b = open('ssl3-hello.transcript')
  local line = line_starting(b, 'C: 16 03 00 00 33 01 00 00 2f 03 00 ')
  local ok, d = wait_for(b, function(x) return #x > 0 end)
  check('ssl3-hello: exactly tls-hello-version-below-3.1', ok and codes(d) == 'tls-hello-version-below-3.1', show(d))
  if d[1] then
    check('ssl3-hello: error on client_version bytes 03 00', d[1].severity == S.ERROR and d[1].lnum == line
      and d[1].col == 30 and d[1].end_col == 35, show(d) .. ' want line ' .. line)
  end
end

-- 3. corpus session: SSLv2-compatible hello offering TLS 1.0 -> warning
do
  local b = open('corpus-raw-sslv2-hello-v3.1-p25.transcript')
  local line = line_starting(b, 'C: 80 2b 01 03 01 ')
  local ok, d = wait_for(b, function(x) return #x > 0 end)
  check('corpus sslv2 hello v3.1: exactly tls-sslv2-compat-hello, a warning on the hello line', ok
    and codes(d) == 'tls-sslv2-compat-hello' and d[1].severity == S.WARN and d[1].lnum == line, show(d))
end

-- 4. clean TLS 1.3 session from openssl s_client -msg: a publish with no diagnostics
do
  local b, uri = open('openssl-tls13-clean.transcript')
  local ok = vim.wait(TIMEOUT, function() return (publishes[uri] or 0) > 0 end, 20)
  local d = vim.diagnostic.get(b)
  check('openssl-tls13-clean: published, no diagnostics', ok and #d == 0, show(d))
end

vim.lsp.stop_client(client_id)
vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
finish()
