-- Headless Neovim (0.7 API: vim.lsp.start_client + buf_attach_client) as a second LSP client of the
-- standalone server `bin/smtptls-language-server --stdio`. Opens samples, waits for the server's
-- publishDiagnostics (no fixed sleeps: vim.wait on a condition, with a timeout that fails the check),
-- asserts rule ids (the set each sample's `# expected rules:` header states), severities and ranges, asks
-- for a hover on a cipher-suite byte (markdown with the IANA name), prints `ok - ...`/`not ok - ...` and a
-- closing `N passed, N failed` line, exits non-zero on any failure.
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
  -- as the README configures it: the young-generation cap VS Code's client passes
  cmd_env = { NODE_OPTIONS = '--max-semi-space-size=2' },
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
-- the distinct rule ids, sorted and comma-joined
local function rule_set(diags)
  local seen, c = {}, {}
  for _, d in ipairs(diags) do
    local k = tostring(d.code)
    if not seen[k] then seen[k] = true; c[#c + 1] = k end
  end
  table.sort(c)
  return table.concat(c, ',')
end
-- the rule ids the sample's header states: `# expected rules: a, b (note)` or `none`
local function expected_rules(bufnr)
  local l = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)[line_starting(bufnr, '# expected rules:') + 1] or ''
  local list = vim.trim((l:gsub('^# expected rules:', ''):gsub('%b()', '')))
  if list == 'none' then return '' end
  return rule_set(vim.tbl_map(function(x) return { code = vim.trim(x) } end, vim.split(list, ',', { trimempty = true })))
end
local function find(diags, code)
  for _, d in ipairs(diags) do if tostring(d.code) == code then return d end end
  return nil
end
local function has(code) return function(d) return find(d, code) ~= nil end end
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

-- The hover the server gives at (line, character) of buffer b, as Neovim asks for it: its result (nil without one), its
-- markdown ('' without one), the request's error, and the client's answer as it came.
local function hover_at(b, line, character)
  local params = { textDocument = { uri = vim.uri_from_bufnr(b) }, position = { line = line, character = character } }
  local res, err = vim.lsp.buf_request_sync(b, 'textDocument/hover', params, TIMEOUT)
  local r = res and res[client_id] and res[client_id].result
  return r, r and r.contents and r.contents.value or '', err, res and res[client_id]
end

-- 1. SSLv2-format hello offering SSL 2.0: error on the version bytes 00 02 (characters 12-17)
do
  local b = open('sslv2-hello-ssl2.transcript')
  local line = line_starting(b, 'C: 80 3b 01 00 02 ')
  local want = expected_rules(b)
  local ok, d = wait_for(b, function(d) return #d > 0 end)
  check('sslv2-hello-ssl2: diagnostics arrive', ok)
  check('sslv2-hello-ssl2: the rule ids its header states (' .. want .. ')', rule_set(d) == want, show(d))
  local v = find(d, 'tls-hello-version-below-3.1')
  check('sslv2-hello-ssl2: tls-hello-version-below-3.1 error on version bytes 00 02', v and v.severity == S.ERROR and v.lnum == line
    and v.col == 12 and v.end_lnum == line and v.end_col == 17, show(d) .. ' want line ' .. line)

  -- incremental edit from this client: version 00 02 -> 03 01 makes it an SSLv2-compatible TLS 1.0 hello
  vim.api.nvim_buf_set_text(b, line, 12, line, 17, { '03 01' })
  ok, d = wait_for(b, function(x) return has('tls-sslv2-compat-hello')(x) and not has('tls-hello-version-below-3.1')(x) end)
  local c = find(d, 'tls-sslv2-compat-hello')
  check('sslv2-hello-ssl2 edited to 03 01: tls-sslv2-compat-hello warning on the record header replaces it', ok and c
    and c.severity == S.WARN and c.lnum == line and c.col == 3 and c.end_col == 8, show(d))
  vim.api.nvim_buf_set_text(b, line, 12, line, 17, { '00 02' })
  ok, d = wait_for(b, function(x) return has('tls-hello-version-below-3.1')(x) and not has('tls-sslv2-compat-hello')(x) end)
  check('sslv2-hello-ssl2 edited back: tls-hello-version-below-3.1 again, the rule ids of the header', ok and rule_set(d) == want, show(d))
end

-- 2. SSL 3.0 hello: error on client_version 03 00 at bytes 9-10 (characters 30-35), not the record version;
--    then a hover on a cipher-suite byte
do
  local b = open('ssl3-hello.transcript')
  local line = line_starting(b, 'C: 16 03 00 00 33 01 00 00 2f 03 00 ')
  local want = expected_rules(b)
  local ok, d = wait_for(b, function(x) return #x > 0 end)
  check('ssl3-hello: the rule ids its header states (' .. want .. ')', ok and rule_set(d) == want, show(d))
  local v = find(d, 'tls-hello-version-below-3.1')
  check('ssl3-hello: error on client_version bytes 03 00', v and v.severity == S.ERROR and v.lnum == line
    and v.col == 30 and v.end_col == 35, show(d) .. ' want line ' .. line)

  -- "C: 00 2f 00 0a 00 ff 01 00": 00 2f is cipher_suites[1] (characters 3-8), hovered on its "2f"
  local sl = line_starting(b, 'C: 00 2f 00 0a 00 ff 01 00')
  local r, value, err, answer = hover_at(b, sl, 7)
  check('ssl3-hello: hover on a cipher-suite byte is markdown naming TLS_RSA_WITH_AES_128_CBC_SHA and the field path', r
    and r.contents.kind == 'markdown' and value:find('`TLS_RSA_WITH_AES_128_CBC_SHA`', 1, true) ~= nil
    and value:find('`Record › Handshake › ClientHello › cipher_suites[1]`', 1, true) ~= nil,
    vim.inspect(err or answer or 'no answer'))
  check('ssl3-hello: the hover range is the suite\'s bytes 00 2f', r and r.range and r.range.start.line == sl and r.range.start.character == 3
    and r.range['end'].line == sl and r.range['end'].character == 8, vim.inspect(r and r.range))
end

-- 3. corpus session (port 25): SSLv2-compatible hello offering TLS 1.0 and RC4, TLS 1.0 negotiated
do
  local b = open('corpus-raw-sslv2-hello-v3.1-p25.transcript')
  local line = line_starting(b, 'C: 80 2b 01 03 01 ')
  local ok, d = wait_for(b, function(x) return #x > 0 end)
  local c = find(d, 'tls-sslv2-compat-hello')
  check('corpus sslv2 hello v3.1: tls-sslv2-compat-hello warning on the record header 80 2b, and the deprecated version and weak cipher findings',
    ok and codes(d) == 'tls-deprecated-version,tls-deprecated-version,tls-sslv2-compat-hello,tls-weak-cipher-offered'
    and c and c.severity == S.WARN and c.lnum == line and c.col == 3 and c.end_col == 8, show(d))
end

-- 4. clean TLS 1.3 session from openssl s_client -msg: a publish with no diagnostics
do
  local b, uri = open('openssl-tls13-clean.transcript')
  local ok = vim.wait(TIMEOUT, function() return (publishes[uri] or 0) > 0 end, 20)
  local d = vim.diagnostic.get(b)
  check('openssl-tls13-clean: published, no diagnostics', ok and #d == 0, show(d))
end

-- 5. a file of which nothing is read: one information note on its first non-blank line
do
  local f = assert(io.open(ws .. '/notes-nothing-read.transcript', 'w'))
  f:write('\nThe relay rejected the message at 10:42; see the ticket.\n')
  f:close()
  local b = open('notes-nothing-read.transcript')
  local ok, d = wait_for(b, function(d) return #d > 0 end)
  local n = d[1]
  check('a file of which nothing is read: document-nothing-read information on line 2, the whole line',
    ok and #d == 1 and tostring(n.code) == 'document-nothing-read' and n.severity == S.INFO and n.lnum == 1 and n.col == 0
      and n.end_col == #'The relay rejected the message at 10:42; see the ticket.', show(d))
end

-- 6. a postfix log at TLS log level 2 (server/test/fixtures/stated-alerts, a real run: s_client refusing the
--    lab's certificate): OpenSSL's `SSL3 alert read:fatal:unknown CA` is tls-alert on the alert's name,
--    and the hover says who sent it and what it means
do
  local b = open('postfix-unknown-ca.log') -- copied into the workspace by run.sh
  local ok, d = wait_for(b, function(x) return #x > 0 end)
  local a = find(d, 'tls-alert')
  local line = -1
  for i, l in ipairs(vim.api.nvim_buf_get_lines(b, 0, -1, false)) do
    if l:find('SSL3 alert read:fatal:unknown CA', 1, true) then line = i - 1 end
  end
  local col = line >= 0 and (vim.api.nvim_buf_get_lines(b, line, line + 1, false)[1]:find('unknown CA', 1, true) - 1) or -1
  check('postfix log: the stated alert is a tls-alert warning on "unknown CA"', ok and #d == 1 and a and a.severity == S.WARN
    and a.lnum == line and a.col == col and a.end_col == col + #'unknown CA', show(d) .. ' want line ' .. line .. ' col ' .. col)
  local _, value, err = hover_at(b, line, col + 2)
  check('postfix log: the hover on it names unknown_ca, the client as its sender, and what it means', value:find('unknown\\_ca (48)', 1, true) ~= nil
    and value:find('sent by the client', 1, true) ~= nil and value:find('no certificate authority', 1, true) ~= nil,
    vim.inspect(err or value))
end

-- 7. openssl s_client -msg against a server whose certificate has a 1024-bit RSA key (server/test/fixtures/
--    certificates, a real run): tls-certificate-weak-key starts on the subjectPublicKeyInfo's first byte
--    (30 81 9f, a SEQUENCE of 159 bytes), and the hover on it says which part of the certificate it is
do
  local b = open('sclient-weak-key.txt') -- copied into the workspace by run.sh
  local ok, d = wait_for(b, function(x) return #x > 0 end)
  local w = find(d, 'tls-certificate-weak-key')
  -- The key's SEQUENCE header 30 81 9f may be cut after its first byte by the end of a dump line.
  local line, col = -1, -1
  local lines = vim.api.nvim_buf_get_lines(b, 0, -1, false)
  for i, l in ipairs(lines) do
    local c = l:find('30 81 9f 30 0d 06 09 2a 86 48 86 f7 0d 01 01 01', 1, true)
    if c and line < 0 then line, col = i - 1, c - 1 end
    if line < 0 and i > 1 and l:match('^%s*81 9f 30 0d 06 09 2a 86 48 86 f7 0d 01 01 01') and lines[i - 1]:match(' 30$') then
      line, col = i - 2, #lines[i - 1] - 2
    end
  end
  check('s_client -msg: the 1024-bit key is a tls-certificate-weak-key warning starting on the key\'s first byte',
    ok and #d == 1 and w and w.severity == S.WARN and w.lnum == line and w.col == col
      and w.message:find('1024-bit RSA key', 1, true) ~= nil, show(d) .. ' want line ' .. line .. ' col ' .. col)
  local _, value, err = hover_at(b, line, col + 1)
  check('s_client -msg: the hover on the key names the certificate part and its size', value:find('subjectPublicKeyInfo: RSA, 1024 bits', 1, true) ~= nil,
    vim.inspect(err or value))
end

-- Where `words` first stand in buffer b: their line and column (0-based), or -1, -1.
local function first_words(b, words)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(b, 0, -1, false)) do
    local c = l:find(words, 1, true)
    if c then return i - 1, c - 1 end
  end
  return -1, -1
end

-- One warning, exactly on `words` (their first line in `file`), and a hover there that holds each of `expect`.
local function warning_on_words(file, rule, words, label, hover_label, expect)
  local b = open(file) -- copied into the workspace by run.sh
  local ok, d = wait_for(b, function(x) return #x > 0 end)
  local w = find(d, rule)
  local line, col = first_words(b, words)
  check(label, ok and #d == 1 and w and w.severity == S.WARN and w.lnum == line and w.col == col and w.end_col == col + #words,
    show(d) .. ' want line ' .. line .. ' col ' .. col)
  local _, value, err = hover_at(b, line, col + 1)
  local all = true
  for _, e in ipairs(expect) do all = all and value:find(e, 1, true) ~= nil end
  check(hover_label, all, vim.inspect(err or value))
end

-- 8. gnutls-cli (its default output, no PEM) against the same server: its one-line reading of the certificate
--    is judged; tls-certificate-weak-key sits on the words "RSA key 1024 bits", and the hover says whose words
warning_on_words('gnutls-weak-key.txt', 'tls-certificate-weak-key', 'RSA key 1024 bits',
  'gnutls-cli: the 1024-bit key it describes is a tls-certificate-weak-key warning on "RSA key 1024 bits"',
  'gnutls-cli: the hover says gnutls-cli describes the certificate and names the key',
  { 'as gnutls-cli describes it', 'subjectPublicKeyInfo: RSA, 1024 bits' })

-- 9. s_client against a server with a 1024-bit Diffie-Hellman group (plain output, no -msg): its words
--    `Server Temp Key: DH, 1024 bits` are the tls-weak-dh-group warning, and the hover names the group
warning_on_words('dhe1024.txt', 'tls-weak-dh-group', 'DH, 1024 bits',
  's_client: "Server Temp Key: DH, 1024 bits" is a tls-weak-dh-group warning on "DH, 1024 bits"',
  's_client: the hover names the key exchange and its size',
  { 'Key exchange: DH, 1024 bits' })

-- 10. sendmail's syslog lines as a server (a file named maillog, as Red Hat's syslog writes it): the TLS 1.0 a
--     client negotiated is a tls-deprecated-version warning on sendmail's own `version=TLSv1`
warning_on_words('maillog', 'tls-deprecated-version', 'TLSv1',
  'sendmail: "STARTTLS=server, ..., version=TLSv1, ..." is a tls-deprecated-version warning on "TLSv1"',
  'sendmail: the hover names the negotiated version as the tool states it',
  { 'Negotiated version TLS 1.0 (0x0301)', 'As the tool states it' })

-- 11. Ruby's Net::SMTP debug output (its arrows the other way from swaks's) ending in the OpenSSL::SSL::SSLError it raised
--     for the lab's expired certificate: Ruby's words `certificate has expired` are the tls-certificate-expired warning
warning_on_words('ruby-expired.txt', 'tls-certificate-expired', 'certificate has expired',
  'Ruby Net::SMTP: "certificate verify failed (certificate has expired)" is a tls-certificate-expired warning on its words',
  'Ruby Net::SMTP: the hover says Ruby verified the chain and had it expire',
  { 'Certificate verdict', 'Ruby says that a certificate of the server' })

-- 12. Perl's Net::SMTP debug output ending in the message the script died with: IO::Socket::SSL's words `hostname
--     verification failed` are the tls-certificate-name-mismatch warning (Net::SMTP prints no port: a warning)
warning_on_words('perl-name-mismatch.txt', 'tls-certificate-name-mismatch', 'hostname verification failed',
  'Perl Net::SMTP: IO::Socket::SSL\'s "hostname verification failed" is a tls-certificate-name-mismatch warning on its words',
  'Perl Net::SMTP: the hover says what IO::Socket::SSL compared',
  { 'Certificate verdict', 'IO::Socket::SSL compares the name Net::SMTP gives it' })

-- 13. Net::SMTP prints the AUTH LOGIN password decoded (`>>> (decoded) labsecret`): the hover on it says it is a
--     credential in clear and never shows it
do
  local b = open('perl-smtps-login.txt') -- copied into the workspace by run.sh
  wait_for(b, function() return true end)
  local line, col = first_words(b, '(decoded) labsecret')
  local _, value, err = hover_at(b, line, col + #'(decoded) ' + 2)
  check('Perl Net::SMTP: the hover on the password it printed decoded says so, masked', line >= 0
    and value:find('AUTH credentials** (in clear, masked here)', 1, true) ~= nil and value:find('labsecret', 1, true) == nil,
    vim.inspect(err or value))
end

-- 14. the mail lab's Postfix logging through rsyslogd (RFC 3339 timestamps, Debian 12's default) at TLS log level 3, serving
--     a certificate that expired in 2021: the session is dated by its first line, so tls-certificate-expired is a warning on
--     the certificate's validity in smtpd's dump (30 1e 17 0d ...), and the hover on the first timestamp says when the session started
do
  local b = open('mail.log') -- copied into the workspace by run.sh
  local ok, d = wait_for(b, function(x) return #x > 0 end)
  local w = find(d, 'tls-certificate-expired')
  local line, col = first_words(b, '30 1e 17 0d 32 30 30 31')
  check('Postfix through rsyslogd: the expired certificate is a tls-certificate-expired warning starting on its validity',
    ok and #d == 1 and w and w.severity == S.WARN and w.lnum == line and w.col == col
    and w.message:find('the timestamp of its first log line', 1, true) ~= nil, show(d) .. ' want line ' .. line .. ' col ' .. col)
  local _, value, err = hover_at(b, 0, 5)
  check('Postfix through rsyslogd: the hover on the first line\'s timestamp says when the session started',
    value:find('When the session started: ', 1, true) ~= nil and value:find('RFC 3339', 1, true) ~= nil, vim.inspect(err or value))
end

-- 15. a real swaks delivery to the lab's port 25 in the clear, under a `# smtptls-policy: mta-sts` comment: its MAIL is a
--     policy-tls-required error, and the hover on the comment names the policy
do
  local b = open('policy-plain.log') -- copied into the workspace by run.sh, the comment written above it
  local ok, d = wait_for(b, function(x) return #x > 0 end)
  local e = find(d, 'policy-tls-required')
  local line, col = first_words(b, 'MAIL FROM:<root@client.lab.test>')
  check('policy: MAIL sent in the clear under MTA-STS is a policy-tls-required error on the command',
    ok and #d == 1 and e and e.severity == S.ERROR and e.lnum == line and e.col == col, show(d) .. ' want line ' .. line .. ' col ' .. col)
  local _, value, err = hover_at(b, 0, 4)
  check('policy: the hover on the comment names MTA-STS in enforce mode and RFC 8461',
    value:find('MTA-STS in enforce mode', 1, true) ~= nil and value:find('rfc8461', 1, true) ~= nil, vim.inspect(err or value))
end

vim.lsp.stop_client(client_id)
vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
finish()
