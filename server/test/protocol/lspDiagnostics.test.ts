/** Speaks LSP to bin/smtptls-language-server over stdio, as an editor does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { LspClient, REPO } from '../helpers/lspClient';
import { vsCodeChoice } from '../helpers/vsCodeChoice';
import { locateClientHexByte, readSample, SAMPLES_DIR } from '../helpers/samples';

const uri = (name: string) => `file://${path.join(SAMPLES_DIR, name)}`;

test('server publishes the founding diagnostic with code, RFC link and the exact range of the version bytes', async () => {
  const client = await LspClient.start();
  try {
    const name = 'sslv2-hello-ssl2.transcript';
    const text = readSample(name);
    await client.open(uri(name), text);
    const p = await client.waitForDiagnostics(uri(name));
    const d = p.diagnostics.find((x) => x.code === 'tls-hello-version-below-3.1');
    assert.ok(d, JSON.stringify(p.diagnostics));
    assert.equal(d.severity, 1);
    assert.equal(d.codeDescription?.href, 'https://www.rfc-editor.org/rfc/rfc7568#section-3');
    const at = locateClientHexByte(text, 3);
    assert.deepEqual(d.range, { start: at, end: { line: at.line, character: at.character + 5 } });
    assert.ok((d.relatedInformation ?? []).length >= 1);
  } finally {
    assert.equal(await client.stop(), 0);
  }
});

test('server diagnostics equal the CLI json output for every sample', async () => {
  const client = await LspClient.start();
  try {
    const names = ['sslv2-hello-ssl3.transcript', 'ssl3-hello.transcript', 'sslv2-hello-tls10.transcript', 'truncated-hello.transcript'];
    const cli = spawnSync(process.execPath, [path.join(REPO, 'bin', 'smtptls'), 'check', '--format', 'json', ...names.map((n) => path.join(SAMPLES_DIR, n))], {
      encoding: 'utf8',
    });
    const files = JSON.parse(cli.stdout).files as { diagnostics: { rule: string; range: unknown; message: string }[] }[];
    for (const [i, name] of names.entries()) {
      await client.open(uri(name), readSample(name));
      const p = await client.waitForDiagnostics(uri(name));
      const fromServer = p.diagnostics.map((d) => ({ rule: d.code, range: d.range, message: d.message }));
      const fromCli = files[i].diagnostics.map((d) => ({ rule: d.rule, range: d.range, message: d.message }));
      assert.deepEqual(fromServer, fromCli, name);
    }
  } finally {
    await client.stop();
  }
});

test('baseline from initializationOptions and a clean real session publish the expected result', async () => {
  const client = await LspClient.start({ initializationOptions: { smtpTls: { baseline: 'rfc3207' } } });
  try {
    const name = 'ssl3-hello-resumption.transcript';
    await client.open(uri(name), readSample(name));
    const p = await client.waitForDiagnostics(uri(name));
    const d = p.diagnostics.find((x) => x.code === 'tls-hello-version-below-3.1');
    assert.equal(d?.severity, 3, 'information under rfc3207');
  } finally {
    await client.stop();
  }
});

test('smtpTls.policy from the editor: a real swaks delivery in the clear is policy-tls-required on its MAIL; a comment `none` lifts it', async () => {
  const client = await LspClient.start({ initializationOptions: { smtpTls: { policy: 'mta-sts' } } });
  try {
    const text = fs.readFileSync(path.join(REPO, 'server/test/fixtures/policy/swaks-plain.txt'), 'utf8');
    await client.open('file:///ws/swaks-plain.log', text);
    const p = await client.waitForDiagnostics('file:///ws/swaks-plain.log');
    const d = p.diagnostics.filter((x) => x.code === 'policy-tls-required');
    assert.equal(d.length, 1, JSON.stringify(p.diagnostics));
    assert.equal(d[0].severity, 1);
    assert.equal(text.split('\n')[d[0].range.start.line].slice(d[0].range.start.character, d[0].range.end.character), 'MAIL FROM:<root@client.lab.test>');
    await client.open('file:///ws/swaks-plain-none.log', `# smtptls-policy: none\n${text}`);
    const q = await client.waitForDiagnostics('file:///ws/swaks-plain-none.log');
    assert.deepEqual(q.diagnostics.filter((x) => x.code === 'policy-tls-required'), []);
  } finally {
    await client.stop();
  }
});

test('edits re-publish: fixing the version bytes clears the error', async () => {
  const client = await LspClient.start();
  try {
    const name = 'ssl3-hello.transcript';
    const text = readSample(name);
    const u = uri(name) + '.edited';
    await client.open(u, text);
    await client.waitForDiagnostics(u, (p) => p.diagnostics.some((d) => d.code === 'tls-hello-version-below-3.1'));
    const at = locateClientHexByte(text, 9);
    const lines = text.split('\n');
    lines[at.line] = lines[at.line].slice(0, at.character) + '03 03' + lines[at.line].slice(at.character + 5);
    await client.change(u, 2, lines.join('\n'));
    const p = await client.waitForDiagnostics(u, (x) => x.version === 2);
    assert.equal(p.diagnostics.filter((d) => d.code === 'tls-hello-version-below-3.1').length, 0);
  } finally {
    await client.stop();
  }
});

test('the server survives binary garbage and keeps answering', async () => {
  const client = await LspClient.start();
  try {
    let garbage = '';
    for (let i = 0; i < 200000; i++) garbage += String.fromCharCode((i * 7919) % 256);
    await client.open('file:///tmp/garbage.transcript', garbage);
    await client.waitForDiagnostics('file:///tmp/garbage.transcript');
    const name = 'sslv2-hello-ssl2.transcript';
    await client.open(uri(name), readSample(name));
    const p = await client.waitForDiagnostics(uri(name));
    assert.ok(p.diagnostics.length > 0);
  } finally {
    assert.equal(await client.stop(), 0);
  }
});

test('a document of which nothing was read gets one information note on its first non-blank line; it goes when a session is read, and a blank document gets none', async () => {
  const client = await LspClient.start();
  try {
    const u = 'file:///tmp/notes.transcript';
    const prose = '\n  \r\nThe relay rejected the message at 10:42.\r\nSee the ticket for the log.\n';
    await client.open(u, prose);
    const p = await client.waitForDiagnostics(u);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity]), [['document-nothing-read', 3]]);
    // The whole first non-blank line, without its CR.
    assert.deepEqual(p.diagnostics[0].range, { start: { line: 2, character: 0 }, end: { line: 2, character: 'The relay rejected the message at 10:42.'.length } });
    assert.match(p.diagnostics[0].message, /^Nothing in this document was checked: no SMTP session or TLS bytes found in a format smtptls reads/);
    // The same text with a real session after it: the session's findings, no note.
    const session = readSample('ssl3-hello.transcript');
    await client.change(u, 2, prose + '\n' + session);
    const q = await client.waitForDiagnostics(u, (x) => x.version === 2);
    assert.ok(q.diagnostics.some((d) => d.code === 'tls-hello-version-below-3.1'), JSON.stringify(q.diagnostics.map((d) => d.code)));
    assert.ok(q.diagnostics.every((d) => d.code !== 'document-nothing-read'));
    // Emptied, as a new file being typed: nothing at all.
    await client.change(u, 3, ' \n\n');
    const r = await client.waitForDiagnostics(u, (x) => x.version === 3);
    assert.deepEqual(r.diagnostics, []);
  } finally {
    assert.equal(await client.stop(), 0);
  }
});

test('a document over smtpTls.maxDocumentSize is analysed up to a session boundary, with a note where analysis stopped', async () => {
  const client = await LspClient.start({ initializationOptions: { smtpTls: { maxDocumentSize: 0.004 } } });
  try {
    const one = readSample('ssl3-hello.transcript');
    const text = [one, one, one, one].join('\n');
    const u = 'file:///tmp/large.transcript';
    await client.open(u, text);
    const p = await client.waitForDiagnostics(u);
    const note = p.diagnostics.find((d) => d.code === 'document-too-large');
    assert.ok(note, JSON.stringify(p.diagnostics.map((d) => d.code)));
    assert.equal(note.severity, 3);
    const versionErrors = p.diagnostics.filter((d) => d.code === 'tls-hello-version-below-3.1');
    assert.ok(versionErrors.length >= 1 && versionErrors.length < 4, `${versionErrors.length} of 4 sessions analysed`);
    assert.ok(versionErrors.every((d) => d.range.start.line < note.range.start.line));
  } finally {
    await client.stop();
  }
});

test('a document with more diagnostics than smtpTls.maxDiagnostics publishes what VS Code would show, and a note with the count left out', async () => {
  // 700 copies of one session: two findings each (an error and a warning), 1,400 in all.
  const one = readSample('ssl3-hello.transcript');
  const text = Array.from({ length: 700 }, () => one).join('\n');
  const u = 'file:///tmp/many.transcript';
  const all = await LspClient.start({ initializationOptions: { smtpTls: { maxDiagnostics: 0 } } });
  let full: Diagnostic[];
  try {
    await all.open(u, text);
    full = (await all.waitForDiagnostics(u)).diagnostics as Diagnostic[];
  } finally {
    await all.stop();
  }
  assert.ok(full.length > 1000 && full.every((d) => d.code !== 'diagnostics-limit'), `${full.length} diagnostics, all published with no limit`);
  assert.ok(new Set(full.map((d) => d.severity)).size >= 2);
  for (const [options, max] of [[{}, 1000], [{ maxDiagnostics: 25 }, 25], [{ maxDiagnostics: -3 }, 1000], [{ maxDiagnostics: 2.5 }, 1000]] as const) {
    const client = await LspClient.start({ initializationOptions: { smtpTls: options } });
    try {
      await client.open(u, text);
      const p = await client.waitForDiagnostics(u);
      const label = JSON.stringify(options);
      assert.equal(p.diagnostics.length, max, label);
      assert.deepEqual(p.diagnostics.slice(0, -1), vsCodeChoice(full, max - 1), label);
      const note = p.diagnostics[max - 1];
      assert.equal(note.code, 'diagnostics-limit', label);
      assert.equal(note.severity, 3);
      assert.match(String(note.message), new RegExp(`^${(full.length - max + 1).toLocaleString('en-US')} more diagnostics are not shown`), label);
    } finally {
      await client.stop();
    }
  }
});

test('incremental edits across sessions publish what opening the final text publishes', async () => {
  const client = await LspClient.start();
  try {
    const text = ['ssl3-hello.transcript', 'sslv2-hello-tls10.transcript', 'sslv2-hello-ssl2.transcript'].map(readSample).join('\n');
    const u = 'file:///tmp/edits.transcript';
    await client.open(u, text);
    await client.waitForDiagnostics(u);
    let current = text;
    const lines = () => current.split('\n');
    // Edits in the first and last sessions and one that joins two sessions (deleting the blank line between them).
    const edits: { line: number; from: number; to: number; text: string }[] = [
      { line: lines().findIndex((l) => l.startsWith('C: 16 03 00')), from: 3, to: 5, text: '17' },
      { line: lines().length - 3, from: 0, to: 0, text: '# a note\n' },
      { line: lines().findIndex((l, i) => i > 10 && l === ''), from: 0, to: 1, text: '' },
    ];
    let version = 1;
    for (const e of edits) {
      version++;
      const ls = lines();
      const endLine = e.to > ls[e.line].length ? e.line + 1 : e.line;
      const endChar = e.to > ls[e.line].length ? 0 : e.to;
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: u, version },
        contentChanges: [{ range: { start: { line: e.line, character: e.from }, end: { line: endLine, character: endChar } }, text: e.text }],
      });
      const before = ls.slice(0, e.line).join('\n').length + (e.line > 0 ? 1 : 0);
      const startOff = before + e.from;
      const endOff = endLine > e.line ? before + ls[e.line].length + 1 : before + e.to;
      current = current.slice(0, startOff) + e.text + current.slice(endOff);
    }
    const edited = await client.waitForDiagnostics(u, (p) => p.version === version);
    const u2 = 'file:///tmp/fresh.transcript';
    await client.open(u2, current);
    const fresh = await client.waitForDiagnostics(u2);
    const strip = (p: typeof fresh) => p.diagnostics.map((d) => ({ code: d.code, range: d.range, message: d.message, severity: d.severity }));
    assert.deepEqual(strip(edited), strip(fresh));
    assert.ok(fresh.diagnostics.length > 0);
  } finally {
    await client.stop();
  }
});

test('a notification handler that throws is logged and the server carries on (didOpen, didChange, didClose)', async () => {
  const client = await LspClient.start();
  const logs: string[] = [];
  client.connection.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  try {
    const name = 'ssl3-hello.transcript';
    const u = 'file:///tmp/notifications.transcript';
    // Crafted params that make each handler throw inside its own code: no document, changes that are not a list.
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: null });
    await client.open(u, readSample(name));
    await client.waitForDiagnostics(u, (p) => p.version === 1);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: u, version: 2 }, contentChanges: 5 });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: null });
    // The failed change still leads to a publication for its version, and the server answers requests.
    const after = await client.waitForDiagnostics(u, (p) => p.version === 2);
    assert.ok(after.diagnostics.some((d) => d.code === 'tls-hello-version-below-3.1'));
    const symbols = await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: u } });
    assert.ok(Array.isArray(symbols) && symbols.length > 0);
    for (const handler of ['didOpen', 'didChange', 'didClose']) {
      assert.ok(
        logs.some((l) => l.startsWith(`${handler} failed: TypeError`)),
        `${handler} failure logged with its error; logs: ${JSON.stringify(logs)}`,
      );
    }
    assert.doesNotMatch(client.stderr + logs.join('\n'), /uncaught/i);
  } finally {
    assert.equal(await client.stop(), 0, 'the server shuts down normally after the failures');
  }
});
