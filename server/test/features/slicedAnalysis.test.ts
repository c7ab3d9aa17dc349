/**
 * The first analysis of a large document in slices: every chunk analysed with the same findings as
 * in one go, a first part offered once, progress reported, the pass stopped by a newer version or an
 * edit and finished by the next one; and the real server answering a hover while it opens a large
 * document, after publishing its first part.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseInSlices } from '../../src/features/slicedAnalysis';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { LspClient } from '../helpers/lspClient';
import { readSample } from '../helpers/samples';

const SAMPLES = ['ssl3-hello.transcript', 'sslv2-hello-tls10.transcript', 'sslv2-hello-ssl2.transcript', 'truncated-hello.transcript'];
const manySessions = (copies: number): string => Array.from({ length: copies }, (_, i) => readSample(SAMPLES[i % SAMPLES.length])).join('\n');
const EVERY_CHUNK = { sliceMs: 0, partialAfterMs: 0 };

test('analyseInSlices: every chunk analysed, the findings of one pass, a first part offered once, progress to the end', async () => {
  const text = manySessions(12);
  const doc = new IncrementalAnalysis({ baseline: 'current' });
  doc.setText(text);
  const total = doc.chunks.length;
  assert.ok(total >= 12);
  const partial: number[] = [];
  const progress: [number, number][] = [];
  const done = await analyseInSlices(doc, { stillCurrent: () => true, onPartial: (n) => partial.push(n), onProgress: (d, t) => progress.push([d, t]) }, EVERY_CHUNK);
  assert.equal(done, true);
  assert.ok(doc.chunks.every((c) => c.content.summary !== null));
  assert.deepEqual(partial, [1], 'offered once, after the first chunk');
  assert.equal(progress.length, total - 1, 'a report after every slice but the last');
  assert.deepEqual(progress.at(-1), [total - 1, total]);
  assert.equal(doc.analysisCount, total, 'each chunk analysed once');
  assert.deepEqual(
    doc.findings().map((f) => [f.rule, f.span.start, f.span.end]),
    analyzeDocument(text).findings.map((f) => [f.rule, f.span.start, f.span.end]),
  );
  // A second pass has nothing left to do.
  assert.equal(await analyseInSlices(doc, { stillCurrent: () => assert.fail('no yield needed') }, EVERY_CHUNK), true);
});

test('analyseInSlices: a newer version stops the pass; the next pass analyses only what is left', async () => {
  const doc = new IncrementalAnalysis({ baseline: 'current' });
  doc.setText(manySessions(8));
  let current = true;
  const stopped = await analyseInSlices(doc, { stillCurrent: () => (current = false) }, EVERY_CHUNK);
  assert.equal(stopped, false);
  assert.equal(current, false);
  const analysed = doc.chunks.filter((c) => c.content.summary !== null).length;
  assert.equal(analysed, 1, 'one slice of one chunk, then stopped');
  assert.equal(await analyseInSlices(doc, { stillCurrent: () => true }, EVERY_CHUNK), true);
  assert.equal(doc.analysisCount, doc.chunks.length, 'no chunk analysed twice');
});

test('analyseInSlices: an edit during a yield (the chunk list replaced) stops the pass', async () => {
  const doc = new IncrementalAnalysis({ baseline: 'current' });
  doc.setText(manySessions(8));
  let edited = false;
  const result = await analyseInSlices(
    doc,
    {
      stillCurrent: () => true,
      onProgress: () => {
        if (edited) return;
        edited = true;
        // Runs before the yield: the pass sees the new chunk list when it resumes.
        assert.ok(doc.applyEdit(0, 0, '# note\n'));
      },
    },
    EVERY_CHUNK,
  );
  assert.equal(result, false);
});

test('the server over stdio: opening a large document publishes a first part, answers a hover before the rest, then publishes everything', async () => {
  // Every diagnostic published (smtpTls.maxDiagnostics 0): the test counts them all.
  const client = await LspClient.start({ initializationOptions: { smtpTls: { maxDiagnostics: 0 } } });
  try {
    const uri = 'file:///tmp/sliced-open.transcript';
    // 2,400 sessions (4.8 MB): about a second of analysis or more, well over the 150 ms of a first part.
    const text = manySessions(2400);
    const hello = text.split('\n').findIndex((l) => l.startsWith('C: 16 03 00 00 33 01 00 00 2f 03 00'));
    await client.open(uri, text);
    const first = await client.waitForDiagnostics(uri, () => true, 120000, { includePartial: true });
    assert.equal(first.partial, true, 'the first publication is a first part');
    let complete = false;
    const all = client.waitForDiagnostics(uri, () => true, 120000).then((p) => ((complete = true), p));
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: hello, character: 31 } })) as {
      contents: { value: string };
    } | null;
    assert.equal(complete, false, 'the hover was answered while the rest of the document was being analysed');
    assert.match(hover?.contents.value ?? '', /client_version/);
    const whole = await all;
    assert.ok(!whole.partial && whole.diagnostics.length > first.diagnostics.length);
    const expected = analyzeDocument(text).findings.length;
    assert.equal(whole.diagnostics.length, expected, 'the complete publication has every finding');
    assert.ok(first.diagnostics.length > 0 && first.diagnostics.length < expected);
  } finally {
    await client.stop();
  }
});

test('the server over stdio: the first part and the whole of a large document keep to smtpTls.maxDiagnostics, with and without suppressions', async () => {
  for (const prefix of ['', '# smtptls-disable tls-alert -- postfix answers every crafted hello with an alert\n']) {
    const client = await LspClient.start({ initializationOptions: { smtpTls: { maxDiagnostics: 300 } } });
    try {
      const uri = 'file:///tmp/sliced-open-limited.transcript';
      const text = prefix + manySessions(2400);
      await client.open(uri, text);
      const first = await client.waitForDiagnostics(uri, () => true, 120000, { includePartial: true });
      const whole = await client.waitForDiagnostics(uri, () => true, 120000);
      assert.equal(first.partial, true);
      for (const p of [first, whole]) {
        assert.ok(p.diagnostics.length <= 300, `${p.diagnostics.length}`);
        const note = p.diagnostics.filter((d) => d.code === 'diagnostics-limit');
        // Each publication says how many of its own diagnostics it leaves out.
        assert.equal(note.length, p.diagnostics.length === 300 ? 1 : 0, JSON.stringify(prefix));
      }
      assert.equal(whole.diagnostics.length, 300);
      const total = Number(/^([\d,]+) more/.exec(String(whole.diagnostics[299].message))![1].replace(/,/g, '')) + 299;
      const expected = analyzeDocument(text).findings.length;
      assert.equal(total, expected, 'the note counts every finding of the document');
    } finally {
      await client.stop();
    }
  }
});

test('the server over stdio: a large document with suppression comments also gets a first part, with the suppressions applied', async () => {
  const client = await LspClient.start({ initializationOptions: { smtpTls: { maxDiagnostics: 0 } } });
  try {
    const uri = 'file:///tmp/sliced-open-suppressed.transcript';
    const text = '# smtptls-disable tls-alert -- postfix answers every crafted hello with an alert\n' + manySessions(2400);
    await client.open(uri, text);
    const first = await client.waitForDiagnostics(uri, () => true, 120000, { includePartial: true });
    assert.equal(first.partial, true);
    assert.ok(first.diagnostics.length > 0);
    assert.ok(!first.diagnostics.some((d) => d.code === 'tls-alert'), 'suppressed in the first part too');
    const whole = await client.waitForDiagnostics(uri, () => true, 120000);
    // The first part is the beginning of the whole: the same diagnostics, in the same order.
    assert.deepEqual(first.diagnostics, whole.diagnostics.slice(0, first.diagnostics.length));
    assert.ok(whole.diagnostics.length > first.diagnostics.length);
  } finally {
    await client.stop();
  }
});

test('the server over stdio: a client with work-done progress sees begin, reports and end; one that refuses the token still gets its diagnostics', async () => {
  for (const refuse of [false, true]) {
    const client = await LspClient.start({ window: { workDoneProgress: true } });
    const events: { kind: string; title?: string; percentage?: number }[] = [];
    const logs: string[] = [];
    let created = 0;
    client.connection.onRequest('window/workDoneProgress/create', () => {
      created++;
      if (refuse) throw new Error('no progress here');
      return null;
    });
    client.connection.onNotification('$/progress', (p: { value: { kind: string; title?: string; percentage?: number } }) => {
      events.push(p.value);
    });
    client.connection.onNotification('window/logMessage', (p: { message: string }) => {
      logs.push(p.message);
    });
    try {
      const uri = `file:///tmp/sliced-progress-${refuse}.transcript`;
      await client.open(uri, manySessions(2400));
      const whole = await client.waitForDiagnostics(uri, () => true, 120000);
      assert.ok(whole.diagnostics.length > 0);
      assert.equal(created, 1, 'one progress token per pass');
      // The end comes right after the pass; give the notification a moment to arrive.
      const deadline = Date.now() + 5000;
      while (!refuse && !events.some((e) => e.kind === 'end') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (refuse) {
        assert.deepEqual(events, []);
        assert.ok(!logs.some((l) => /uncaught/i.test(l)), logs.join('\n'));
      } else {
        assert.equal(events[0].kind, 'begin');
        assert.equal(events[0].title, 'SMTP/TLS analysis');
        assert.equal(events.at(-1)?.kind, 'end');
        const percents = events.filter((e) => e.kind === 'report').map((e) => e.percentage ?? -1);
        assert.ok(percents.length > 0 && percents.every((p, i) => p >= 0 && p <= 100 && (i === 0 || p >= percents[i - 1])), JSON.stringify(percents));
      }
    } finally {
      await client.stop();
    }
  }
});
