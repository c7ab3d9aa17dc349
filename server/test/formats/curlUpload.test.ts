/**
 * A real curl --trace of a 20 KB message sent over TLS 1.3 (server/test/fixtures/uploads/README.md):
 * curl shows each record it sends as its 5-byte header, so a full record of message text is a
 * header declaring 16,401 bytes (2^14 of text, the inner content type, the AEAD tag). Such a header
 * is application_data, always protected: its length is a ciphertext's (RFC 8446 §5.2 allows
 * 2^14 + 256). Before, a header alone was held to the plaintext limit and every upload of more than
 * 16 KB got a false tls-record-overflow error.
 *
 * The same trace, its message text block repeated until it runs across forced cuts, checks that
 * curl's blocks tell a chunk it continues message text (analysis/chunkContinuation.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { continuationAfter } from '../../src/core/analysis/chunkContinuation';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { DEFAULT_SETTINGS } from '../../src/core/rules/types';

const DIR = path.join(__dirname, '..', 'fixtures', 'uploads');
const TRACE = fs.readFileSync(path.join(DIR, 'curl-trace-20k.txt'), 'utf8');

/** tshark's record lengths of the side whose TCP port is `port`, in frame order. */
function tsharkLengths(port: string): number[] {
  const rows = fs.readFileSync(path.join(DIR, 'curl-upload-20k.tshark-records.txt'), 'utf8').trim().split('\n');
  return rows.map((r) => r.split('\t')).filter((f) => f[1] === port).flatMap((f) => f[3].split(',').map(Number));
}

test('curl --trace of a 20 KB upload over TLS 1.3: the 16,401-byte record headers are ciphertext, no tls-record-overflow; lengths as tshark reads them', () => {
  const analysis = analyzeDocument(TRACE);
  assert.deepEqual(analysis.findings.map((f) => f.rule), []);
  // Records on the wire (curl also shows the inner content of protected ones, decoded apart).
  const client = analysis.sessions.flatMap((s) => s.streams.filter((st) => st.direction === 'client').flatMap((st) => st.decoded.records.filter((r) => !r.decrypted)));
  const lengths = client.map((r) => r.length);
  const wire = tsharkLengths('50024');
  // curl's trace ends before the QUIT and close_notify records tshark sees last.
  assert.deepEqual(lengths, wire.slice(0, lengths.length));
  const big = client.find((r) => r.length === 16401);
  assert.ok(big && big.encrypted === true && big.contentType === 23);
});

/** The trace with its `=> Send data` block (message text) written `copies` times. */
function traceWithText(copies: number): string {
  const start = TRACE.indexOf('=> Send data, ');
  const end = TRACE.indexOf('\n<= Recv header', start) + 1;
  assert.ok(start > 0 && end > start);
  return TRACE.slice(0, start) + TRACE.slice(start, end).repeat(copies) + TRACE.slice(end);
}

test('curl --trace: message text across forced cuts is read as text, as in the whole trace', () => {
  const limit = 40_000;
  const text = traceWithText(12);
  assert.deepEqual(analyzeDocument(text).findings.map((f) => f.rule), []);
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: limit });
  inc.setText(text);
  assert.ok(inc.chunks.length >= 8, `${inc.chunks.length} chunks`);
  assert.ok(inc.chunks.slice(1).some((c) => c.content.continues === 'data'));
  assert.deepEqual(inc.findings().map((f) => f.rule), []);
  // The part before the 354 reply ends outside message text; a part cut inside the text block ends inside it.
  const before = text.slice(0, text.indexOf('=> Send header, 6 bytes'));
  assert.equal(continuationAfter(before, null, before.length - 30), 'session');
  const inside = text.slice(0, text.indexOf('0400: ', text.indexOf('=> Send data, ')));
  assert.equal(continuationAfter(inside, null, inside.length - 30), 'data');
  // Without it, the text blocks after a cut are read as commands.
  const withBlock = inc.chunks.slice(1).find((c) => c.text.includes('=> Send data, '));
  assert.ok(withBlock);
  assert.ok(analyzeDocument(withBlock.text).findings.some((f) => f.rule === 'smtp-unknown-command'));
  assert.deepEqual(analyzeDocument(withBlock.text, DEFAULT_SETTINGS, { continues: 'data' }).findings.map((f) => f.rule), []);
});

test('a reply other than 354 ends message text (curl does not show the "." it sends)', () => {
  const text = ' -> DATA\n<-  354 go ahead\n -> Subject: x\n<-  250 2.0.0 Ok: queued\n -> QUIT\n<-  221 2.0.0 Bye\n';
  const commands = readTranscript(text).sessions[0].events.filter((e) => e.kind === 'command');
  assert.deepEqual(
    commands.map((e) => (e.kind === 'command' ? [e.verb, e.dataLine === true] : null)),
    [
      ['DATA', false],
      ['SUBJECT:', true],
      ['QUIT', false],
    ],
  );
});
