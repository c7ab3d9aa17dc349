/**
 * Analysing logs executes nothing from them and opens no connection: the CLI and the
 * language server run every sample and fixture under noNetworkPreload.cjs (connect, DNS,
 * HTTP(S), TLS, fetch and child processes replaced by stubs that throw and leave a mark),
 * and a static check keeps eval, new Function, child_process and network modules out of
 * server/src (the analyser is a pure function of the text).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { REPO, requestShutdown } from '../helpers/lspClient';

const PRELOAD = path.join(__dirname, 'noNetworkPreload.cjs');
const MARK = 'SMTPTLS-FORBIDDEN-CALL';

function walk(dir: string, out: string[] = []): string[] {
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const TEXT_INPUTS = [
  ...walk(path.join(REPO, 'samples')).filter((f) => f.endsWith('.transcript')),
  ...walk(path.join(REPO, 'server/test/fixtures')).filter((f) => /\.(transcript|txt|log|smtp|smtplog)$/.test(f) && fs.statSync(f).size < 2e6),
  ...walk(path.join(__dirname, 'fixtures')),
].sort();
const CAPTURES = walk(path.join(REPO, 'server/test/fixtures')).filter((f) => /\.pcap(ng)?$/.test(f)).sort();

test('the preload really blocks: a connect attempt under it fails and leaves the mark', () => {
  const r = spawnSync(process.execPath, ['--require', PRELOAD, '-e', "try { require('net').connect(25, '192.0.2.1') } catch (e) { console.log('caught', e.message) }"], { encoding: 'utf8' });
  assert.match(r.stdout, /caught SMTPTLS-FORBIDDEN-CALL: net\.connect/);
  assert.match(r.stderr, new RegExp(`${MARK} net\\.connect`));
});

test('the CLI checks, decodes and imports every sample and fixture without a connection or a process', () => {
  const env = { ...process.env, NODE_OPTIONS: `--require ${PRELOAD}` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-nonet-'));
  try {
    const runs: string[][] = [
      ['check', '--format', 'json', ...TEXT_INPUTS],
      ['decode', '--format', 'json', ...TEXT_INPUTS],
      ...CAPTURES.map((c) => ['import', c]),
      ['export-pcap', path.join(REPO, 'samples/swaks-starttls.transcript'), '-o', path.join(dir, 'out.pcap')],
      ['diagram', path.join(REPO, 'samples/ssl3-hello.transcript'), '-o', path.join(dir, 'out.svg')],
    ];
    for (const args of runs) {
      const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'smtptls'), ...args], { cwd: REPO, env, encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.doesNotMatch(r.stderr, new RegExp(MARK), `smtptls ${args[0]}: ${r.stderr.slice(0, 500)}`);
      assert.ok(r.status === 0 || r.status === 1, `smtptls ${args.slice(0, 2).join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
    }
    assert.ok(TEXT_INPUTS.length > 50, `${TEXT_INPUTS.length} text inputs`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the language server analyses every sample and fixture over stdio without a connection or a process', { timeout: 120000 }, async () => {
  const child = spawn(process.execPath, ['--require', PRELOAD, path.join(REPO, 'bin', 'smtptls-language-server'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = new Set<string>();
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => {
    published.add(p.uri);
  });
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await conn.sendNotification('initialized', {});
    for (const file of TEXT_INPUTS) {
      const uri = `file://${file}`;
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'smtp-transcript', version: 1, text: fs.readFileSync(file, 'utf8') } });
      await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 4 } });
      await conn.sendRequest('textDocument/documentLink', { textDocument: { uri } });
      await conn.sendRequest('smtpTls/sessionDiagram', { uri, position: { line: 0, character: 0 } });
    }
    const deadline = Date.now() + 60000;
    while (published.size < TEXT_INPUTS.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(published.size, TEXT_INPUTS.length, 'every document analysed');
    assert.equal(child.exitCode, null, stderr);
    assert.doesNotMatch(stderr, new RegExp(MARK), stderr.slice(0, 500));
  } finally {
    await requestShutdown(conn, 3000);
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    conn.dispose();
  }
});

test('server/src uses no eval, no new Function, no child process and no network module', () => {
  const forbidden: [RegExp, string][] = [
    [/\beval\s*\(/, 'eval'],
    [/\bnew\s+Function\s*\(/, 'new Function'],
    [/\bFunction\s*\(\s*['"`]/, 'Function(string)'],
    [/(?:from\s+|require\s*\(\s*|import\s*\(\s*)['"](?:node:)?(?:child_process|net|http|https|http2|dns|tls|dgram|worker_threads|vm)['"]/, 'a process, network or vm module'],
    [/\bfetch\s*\(/, 'fetch'],
    [/\bWebSocket\b/, 'WebSocket'],
  ];
  const files = walk(path.join(REPO, 'server/src')).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 50);
  const found: string[] = [];
  for (const f of files) {
    const lines = fs.readFileSync(f, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      for (const [re, what] of forbidden) if (re.test(code)) found.push(`${path.relative(REPO, f)}:${i + 1}: ${what}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});
