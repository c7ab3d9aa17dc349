/**
 * IncrementalAnalysis.prefixFindings: the findings of the first chunks after the suppression
 * comments those chunks hold are the whole document's findings there, for every prefix, with
 * blocks that open in one chunk and close in another, next-line suppressions at a chunk's last
 * line and a suppression without a reason (real samples, several copies, comments between them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { readSample } from '../helpers/samples';

const SAMPLES = ['ssl3-hello.transcript', 'sslv2-hello-tls10.transcript', 'sslv2-hello-ssl2.transcript', 'truncated-hello.transcript'];

test('prefixFindings(k) equals the document findings before chunk k, for every k', () => {
  const parts: string[] = [];
  for (let i = 0; i < 12; i++) parts.push(readSample(SAMPLES[i % SAMPLES.length]));
  // A block from session 2 to session 6, a reasonless one from session 8 on, one enabled again at 10.
  parts[2] = '# smtptls-disable tls-alert -- postfix answers every crafted hello with an alert\n' + parts[2];
  parts[6] = '# smtptls-enable tls-alert\n' + parts[6];
  parts[8] = '# smtptls-disable tls-hello-version-below-3.1 tls-weak-cipher-offered\n' + parts[8];
  parts[10] = '# smtptls-enable tls-weak-cipher-offered\n' + parts[10];
  // A next-line suppression as the last line of a session (its target is the next chunk's first line).
  parts[4] = parts[4].replace(/\n$/, '') + '\n# smtptls-disable-next-line tls-alert -- the next line\n';
  const text = parts.join('\n');
  const doc = new IncrementalAnalysis({ baseline: 'current' });
  doc.setText(text);
  const chunks = doc.chunks;
  assert.ok(chunks.length >= 12, `${chunks.length} chunks`);
  const whole = doc.findings();
  assert.ok(whole.some((f) => f.rule === 'suppression-without-reason'));
  // The comments do suppress: fewer findings of those rules than the chunks report alone.
  const count = (list: readonly { rule: string }[], rule: string) => list.filter((f) => f.rule === rule).length;
  const unsuppressed = chunks.flatMap((c) => doc.summaryOf(c).findings);
  for (const rule of ['tls-alert', 'tls-hello-version-below-3.1', 'tls-weak-cipher-offered']) assert.ok(count(whole, rule) < count(unsuppressed, rule), rule);
  const key = (f: { rule: string; span: { start: number; end: number }; message: string }) => `${f.rule}@${f.span.start}-${f.span.end}:${f.message}`;
  for (let k = 0; k <= chunks.length + 1; k++) {
    const end = k < chunks.length ? chunks[k].start : Infinity;
    assert.deepEqual(
      doc.prefixFindings(k).map(key),
      whole.filter((f) => f.span.start < end).map(key),
      `first ${k} chunks`,
    );
  }
});

test('prefixFindings analyses only the chunks it covers', () => {
  const doc = new IncrementalAnalysis({ baseline: 'current' });
  doc.setText(SAMPLES.map(readSample).join('\n'));
  assert.ok(doc.chunks.length >= 4);
  doc.prefixFindings(2);
  assert.deepEqual(
    doc.chunks.map((c) => c.content.summary !== null),
    doc.chunks.map((_, i) => i < 2),
  );
});
