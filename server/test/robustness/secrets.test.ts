/**
 * AUTH credentials never leave the document: two transcripts (C:/S: with AUTH PLAIN and
 * AUTH LOGIN before STARTTLS; swaks with AUTH PLAIN before and AUTH LOGIN/PLAIN inside
 * TLS) are put through every editor feature over LSP (diagnostics, hover at every
 * character of every AUTH line, inlay hints, code lenses, code actions with their edits,
 * symbols, folding, links, the session diagram, the server's log and trace) and through
 * every CLI output (check text/json/sarif/github, decode json/text, diagram, export-pcap
 * and its re-import). Neither the base64 payloads nor the decoded user and password may
 * appear, in any letter case. export-pcap --include-credentials is the one way to keep them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspClient, REPO } from '../helpers/lspClient';

const FIXTURES = path.join(__dirname, 'fixtures');
const FILES = ['auth-cs.transcript', 'auth-swaks.transcript'];

/** User alice@example.test, password S3cret-Pa55: PLAIN (with and without authzid) and LOGIN, encoded and decoded. */
const SECRETS = [
  'AGFsaWNlQGV4YW1wbGUudGVzdABTM2NyZXQtUGE1NQ==',
  'YWRtaW4AYWxpY2VAZXhhbXBsZS50ZXN0AFMzY3JldC1QYTU1',
  'YWxpY2VAZXhhbXBsZS50ZXN0',
  'UzNjcmV0LVBhNTU=',
  'alice@example.test',
  'S3cret-Pa55',
];
/** Parts of the payloads long enough to identify them (a report cutting the base64 short still leaks). */
const FRAGMENTS = ['QGV4YW1wbGUudGVzdABTM2NyZXQt', 'VBhNTU', 'S3cret'];

function leaks(output: string): string[] {
  const lower = output.toLowerCase();
  return [...SECRETS, ...FRAGMENTS].filter((s) => lower.includes(s.toLowerCase()));
}

function assertNoSecret(output: string, label: string): void {
  assert.deepEqual(leaks(output), [], `${label} shows a credential`);
}

test('the fixtures really contain the credentials (the test can fail)', () => {
  const all = FILES.map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8')).join('\n');
  for (const s of SECRETS.slice(0, 4)) assert.ok(all.includes(s), s);
  const decoded = Buffer.from(SECRETS[0], 'base64').toString('utf8');
  assert.equal(decoded, '\0alice@example.test\0S3cret-Pa55');
});

test('no editor feature, log or trace shows a credential (over LSP)', { timeout: 120000 }, async () => {
  const client = await LspClient.start();
  const notes: string[] = [];
  client.connection.onNotification('window/logMessage', (p: { message: string }) => {
    notes.push(p.message);
  });
  client.connection.onNotification('$/logTrace', (p: { message: string; verbose?: string }) => {
    notes.push(p.message, p.verbose ?? '');
  });
  try {
    await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
    for (const name of FILES) {
      const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
      const uri = `file:///secrets/${name}`;
      await client.open(uri, text);
      const published = await client.waitForDiagnostics(uri);
      assert.ok(published.diagnostics.length > 0, `${name}: findings expected (auth-before-tls at least)`);
      assert.ok(published.diagnostics.some((d) => d.code === 'auth-before-tls'), name);
      const outputs: [string, unknown][] = [['diagnostics', published]];
      const lines = text.split('\n');
      const td = { uri };
      const whole = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
      const ask = async (label: string, method: string, params: unknown): Promise<void> => {
        outputs.push([label, await client.connection.sendRequest(method, params)]);
      };
      // Hover on every character of the AUTH lines and the lines answering 334, and at the start of every line.
      for (let line = 0; line < lines.length; line++) {
        const credentialLine = /AUTH|^(C:| ~>| ->) [A-Za-z0-9+/=]{8,}$/.test(lines[line]);
        const columns = credentialLine ? lines[line].length + 1 : 1;
        for (let character = 0; character < columns; character++) await ask(`hover ${line}:${character}`, 'textDocument/hover', { textDocument: td, position: { line, character } });
      }
      await ask('inlay hints', 'textDocument/inlayHint', { textDocument: td, range: whole });
      await ask('code lenses', 'textDocument/codeLens', { textDocument: td });
      await ask('document symbols', 'textDocument/documentSymbol', { textDocument: td });
      await ask('workspace symbols', 'workspace/symbol', { query: '' });
      await ask('folding', 'textDocument/foldingRange', { textDocument: td });
      await ask('links', 'textDocument/documentLink', { textDocument: td });
      await ask('session diagram', 'smtpTls/sessionDiagram', { uri, position: { line: 0, character: 0 } });
      // Code actions on every line, with the diagnostics of that line (annotations, summaries, suppressions).
      for (let line = 0; line < lines.length; line++) {
        const range = { start: { line, character: 0 }, end: { line, character: lines[line].length } };
        const diagnostics = published.diagnostics.filter((d) => d.range.start.line <= line && d.range.end.line >= line);
        await ask(`code actions ${line}`, 'textDocument/codeAction', { textDocument: td, range, context: { diagnostics } });
      }
      await ask('code actions (whole document)', 'textDocument/codeAction', { textDocument: td, range: whole, context: { diagnostics: published.diagnostics } });
      const actions = outputs.filter(([l]) => l.startsWith('code actions')).flatMap(([, v]) => v as { title: string }[]);
      assert.ok(actions.length > 0, `${name}: some code actions offered`);
      for (const [label, value] of outputs) assertNoSecret(JSON.stringify(value), `${name} ${label}`);
    }
    assertNoSecret(notes.join('\n'), 'server log and trace');
    assertNoSecret(client.stderr, 'server stderr');
  } finally {
    await client.stop();
  }
});

function cli(args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'smtptls'), ...args], { cwd: REPO, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('no CLI output shows a credential; export-pcap keeps them only when asked', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-secrets-'));
  try {
    for (const name of FILES) {
      const file = path.join(FIXTURES, name);
      for (const args of [
        ['check', file],
        ['check', '--color', file],
        ['check', '--format', 'json', file],
        ['check', '--format', 'sarif', file],
        ['check', '--format', 'github', file],
        ['decode', '--format', 'json', file],
        ['decode', '--format', 'text', file],
      ]) {
        const r = cli(args);
        assert.ok(r.code === 0 || r.code === 1, `${args.join(' ')}: ${r.out}`);
        assert.ok(r.out.length > 0);
        assertNoSecret(r.out, `${name}: smtptls ${args.slice(0, -1).join(' ')}`);
      }
      const svg = path.join(dir, `${name}.svg`);
      const diagram = cli(['diagram', file, '-o', svg]);
      assert.equal(diagram.code, 0, diagram.out);
      assertNoSecret(diagram.out + fs.readFileSync(svg, 'utf8'), `${name}: smtptls diagram`);

      const pcap = path.join(dir, `${name}.pcap`);
      const exported = cli(['export-pcap', file, '-o', pcap]);
      assert.equal(exported.code, 0, exported.out);
      const bytes = fs.readFileSync(pcap);
      assertNoSecret(exported.out + bytes.toString('latin1'), `${name}: smtptls export-pcap`);
      const reimported = cli(['import', pcap]);
      assert.equal(reimported.code, 0, reimported.out);
      assert.match(reimported.out, /AUTH (PLAIN|LOGIN)/, 'the AUTH commands are still there, masked');
      assertNoSecret(reimported.out, `${name}: smtptls import of the exported pcap`);

      // The flag that asks for the credentials does keep them (so the check above can fail).
      const withCredentials = path.join(dir, `${name}.with.pcap`);
      assert.equal(cli(['export-pcap', '--include-credentials', file, '-o', withCredentials]).code, 0);
      assert.ok(leaks(fs.readFileSync(withCredentials).toString('latin1')).length > 0, 'export-pcap --include-credentials keeps the payloads');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
