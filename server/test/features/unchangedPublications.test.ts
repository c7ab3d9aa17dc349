/**
 * Publications left out when they would repeat the last one: the gate's own bookkeeping (edited
 * lines moved by later edits, malformed changes, byte comparison), which diagnostics sit on edited
 * lines, and the real server over stdio (a comment edit sends nothing, an edit on a diagnostic's
 * line or one that moves lines sends everything).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnchangedPublications, samePieces } from '../../src/features/unchangedPublications';
import { diagnosticsOnLines, serializeDiagnostics } from '../../src/features/publishDiagnostics';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { LspClient } from '../helpers/lspClient';
import { readSample } from '../helpers/samples';

const b = (s: string): Buffer => Buffer.from(s);
const at = (line: number, character = 0) => ({ line, character });
const edit = (l0: number, l1: number, text: string) => ({ range: { start: at(l0), end: at(l1) }, text });

test('samePieces compares bytes piece by piece', () => {
  const x = b('[1]');
  assert.ok(samePieces([x], [x]));
  assert.ok(samePieces([b('['), b('1]')], [b('['), b('1]')]));
  assert.ok(!samePieces([b('['), b('1]')], [b('['), b('2]')]));
  assert.ok(!samePieces([b('[1]')], [b('['), b('1]')]), 'other cuts count as a change');
});

test('the same bytes with no edit in between are unchanged; the first publication never is', () => {
  const g = new UnchangedPublications();
  const never = () => assert.fail('no edited lines to ask about');
  assert.ok(!g.isUnchanged('u', [b('[]')], never));
  g.sent('u', [b('[]')]);
  assert.ok(g.isUnchanged('u', [b('[]')], never));
  assert.ok(!g.isUnchanged('u', [b('[1]')], never));
  assert.ok(!g.isUnchanged('other', [b('[]')], never));
  g.forget('u');
  assert.ok(!g.isUnchanged('u', [b('[]')], never));
});

test('edited lines are asked about, in the lines of the document after later edits', () => {
  const g = new UnchangedPublications();
  const pieces = [b('[x]')];
  g.sent('u', pieces);
  g.noteChanges('u', [edit(10, 10, 'a')]);
  let asked: (readonly [number, number])[] = [];
  const record = (r: readonly (readonly [number, number])[]) => ((asked = r.map((x) => [...x] as [number, number])), false);
  assert.ok(g.isUnchanged('u', pieces, record));
  assert.deepEqual(asked, [[10, 10]]);
  // Two lines inserted at line 2 move line 10 to 12; a deletion of lines 20-22 (two line breaks) does not move it.
  g.noteChanges('u', [edit(2, 2, 'p\nq\n'), edit(20, 22, '')]);
  assert.ok(g.isUnchanged('u', pieces, record));
  assert.deepEqual(
    asked.sort((x, y) => x[0] - y[0]),
    [
      [2, 4],
      [12, 12],
      [20, 20],
    ],
  );
  // An edit that overlaps a recorded range merges with it; a lone CR counts as a line break.
  g.noteChanges('u', [edit(12, 13, 'x\ry')]);
  assert.ok(g.isUnchanged('u', pieces, record));
  assert.deepEqual(asked.find((r) => r[0] === 12), [12, 13]);
  // A diagnostic on an edited line: not left out.
  assert.ok(!g.isUnchanged('u', pieces, () => true));
  // Sending clears the record.
  g.sent('u', pieces);
  assert.ok(g.isUnchanged('u', pieces, () => assert.fail('nothing edited')));
});

test('a whole-text change, malformed changes or too many edits make the next publication go out', () => {
  const pieces = [b('[x]')];
  const cases: [string, (g: UnchangedPublications) => void][] = [
    ['whole text', (g) => g.noteChanges('u', [{ text: 'all' }])],
    ['not a list', (g) => g.noteChanges('u', 5 as never)],
    ['no range lines', (g) => g.noteChanges('u', [{ range: { start: {}, end: {} }, text: '' } as never])],
    ['null change', (g) => g.noteChanges('u', [null as never])],
    ['65 separate edits', (g) => g.noteChanges('u', Array.from({ length: 65 }, (_, i) => edit(i * 3, i * 3, 'z')))],
  ];
  for (const [label, apply] of cases) {
    const g = new UnchangedPublications();
    g.sent('u', pieces);
    assert.doesNotThrow(() => apply(g), label);
    assert.ok(!g.isUnchanged('u', pieces, () => false), label);
  }
  const g = new UnchangedPublications();
  g.sent('u', pieces);
  g.noteChanges('u', Array.from({ length: 64 }, (_, i) => edit(i * 3, i * 3, 'z')));
  assert.ok(g.isUnchanged('u', pieces, () => false), '64 ranges are still tracked');
});

test('diagnosticsOnLines: lines of a diagnostic or of its related locations, not other lines', () => {
  const text = readSample('ssl3-hello.transcript');
  const lines = text.split('\n');
  const hello = lines.findIndex((l) => l.startsWith('C: 16 03 00'));
  const starttls = lines.indexOf('C: STARTTLS');
  const comment = lines.findIndex((l) => l.startsWith('# command'));
  const doc = new IncrementalAnalysis({ baseline: 'current' });
  doc.setText(text);
  // Before a serialisation every chunk counts as carrying diagnostics.
  assert.ok(diagnosticsOnLines(doc, [[comment, comment]]));
  serializeDiagnostics(doc, 'file:///x');
  assert.ok(diagnosticsOnLines(doc, [[hello, hello]]), 'the ClientHello line carries tls-hello-version-below-3.1');
  assert.ok(diagnosticsOnLines(doc, [[starttls, starttls]]), 'STARTTLS is a related location');
  assert.ok(!diagnosticsOnLines(doc, [[comment, comment]]));
  assert.ok(!diagnosticsOnLines(doc, [[lines.length + 5, lines.length + 9]]));
});

test('the server over stdio: a comment edit publishes nothing, an edit on a diagnostic line, one moving lines or a settings change publishes', async () => {
  const client = await LspClient.start();
  try {
    const uri = 'file:///tmp/unchanged.transcript';
    const text = readSample('ssl3-hello.transcript');
    const lines = text.split('\n');
    const hello = lines.findIndex((l) => l.startsWith('C: 16 03 00'));
    const comment = lines.findIndex((l) => l.startsWith('# command'));
    await client.open(uri, text);
    const first = await client.waitForDiagnostics(uri, (p) => p.version === 1);
    assert.ok(first.diagnostics.length > 0 && !first.repeated);
    const change = (version: number, range: object, t: string) =>
      client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: t }] });
    // 1. A character of a comment: the same diagnostics, not sent again (the trace says so).
    await change(2, { start: at(comment, 2), end: at(comment, 3) }, 'K');
    const v2 = await client.waitForDiagnostics(uri, (p) => p.version === 2);
    assert.ok(v2.repeated, 'version 2 analysed and left out');
    assert.deepEqual(v2.diagnostics, first.diagnostics);
    // 2. A byte of the ClientHello's random on the line of a diagnostic: same findings, sent anyway.
    const col = lines[hello].indexOf('3b');
    await change(3, { start: at(hello, col), end: at(hello, col + 2) }, '3c');
    const v3 = await client.waitForDiagnostics(uri, (p) => p.version === 3);
    assert.ok(!v3.repeated, 'an edited line carries a diagnostic');
    assert.deepEqual(v3.diagnostics, first.diagnostics);
    // 3. A line inserted above everything: every diagnostic moves, sent.
    await change(4, { start: at(0), end: at(0) }, '# review note\n');
    const v4 = await client.waitForDiagnostics(uri, (p) => p.version === 4);
    assert.ok(!v4.repeated);
    assert.deepEqual(
      v4.diagnostics.map((d) => d.range.start.line),
      first.diagnostics.map((d) => d.range.start.line + 1),
    );
    // 4. The comment edited again: left out again.
    await change(5, { start: at(comment + 1, 2), end: at(comment + 1, 3) }, 'c');
    assert.ok((await client.waitForDiagnostics(uri, (p) => p.version === 5)).repeated);
    // 5. A settings change: published again although nothing changed (the client learns the settings are in force).
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { smtpTls: { baseline: 'current' } } });
    await client.waitForDiagnostics(uri, (p) => p.version === 5 && !p.repeated);
    assert.deepEqual(
      client.publications(uri).map((p) => `${p.version}${p.repeated ? ' repeated' : ''}`),
      ['1', '2 repeated', '3', '4', '5 repeated', '5'],
      'real publications on the wire',
    );
  } finally {
    await client.stop();
  }
});
