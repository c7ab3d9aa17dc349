/**
 * Property-based robustness tests (fast-check) for every parser: the fuzz targets of
 * targets.ts run here for a few hundred cases each with a fixed seed, so CI stays fast
 * and a failure replays; `npm run fuzz` runs the same targets for a million cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { cat, clientHelloBody, handshake, record } from '../tls/helpers';
import { renderBytes, renderOpensslMsg } from './arbitraries';
import { TARGETS } from './targets';

/** Cases per target in CI: the cheap byte-level targets get more. */
const CI_CASES = Number(process.env.SMTPTLS_PROPERTY_CASES ?? 0) || undefined;

for (const target of TARGETS) {
  test(`property ${target.name}: ${target.what}`, () => {
    const numRuns = CI_CASES ?? Math.max(25, Math.round(60 * target.weight));
    fc.assert(
      fc.property(target.arbitrary, (input) => {
        target.check(input);
      }),
      { numRuns, seed: 0x5eed + target.name.length },
    );
  });
}

test('the targets cover every parser entry point', () => {
  const names = TARGETS.map((t) => t.name);
  for (const n of ['document', 'deterministic', 'tls-bytes', 'tls-prefix', 'document-prefix', 'layouts', 'smtp', 'sample-mutations', 'sample-lengths', 'capture', 'capture-bytes', 'features']) {
    assert.ok(names.includes(n), n);
  }
});

test('renderOpensslMsg writes what openssl -msg prints: each header apart, a split message after both headers, no application data', () => {
  const hello = handshake(1, clientHelloBody());
  const flight = cat(
    record(22, 0x0301, hello.subarray(0, 10)), record(22, 0x0301, hello.subarray(10)),
    record(21, 0x0303, Uint8Array.of(2, 40)), record(20, 0x0303, Uint8Array.of(1)), record(23, 0x0303, Uint8Array.of(9, 9, 9)),
  );
  const { text, shown } = renderOpensslMsg(flight);
  assert.equal(renderBytes(flight, 'openssl-msg'), text);
  const len = (n: number): string => n.toString(16).padStart(4, '0');
  assert.deepEqual(text.split('\n').filter((l) => l.startsWith('>>>')), [
    '>>> TLS 1.0, RecordHeader [length 0005]', '>>> TLS 1.0, RecordHeader [length 0005]', `>>> TLS 1.0, Handshake [length ${len(hello.length)}], ClientHello`,
    '>>> TLS 1.2, RecordHeader [length 0005]', '>>> TLS 1.2, Alert [length 0002], fatal 40',
    '>>> TLS 1.2, RecordHeader [length 0005]', '>>> TLS 1.2, ChangeCipherSpec [length 0001]',
    '>>> TLS 1.2, RecordHeader [length 0005]',
  ]);
  assert.match(text, /^>>> TLS 1\.0, RecordHeader \[length 0005\]\n {4}16 03 01 00 0a\n/);
  // Shown: five headers, the hello once, the alert and the ChangeCipherSpec; not the application data.
  assert.equal(shown.length, 5 * 5 + hello.length + 2 + 1);
  const a = analyzeDocument(text + '\n');
  assert.equal(a.transcript.format, 'openssl-msg');
  const runs = a.transcript.sessions.flatMap((s) => s.events.flatMap((e) => (e.kind === 'bytes' ? [`${e.role} ${e.view.bytes.length}`] : [])));
  assert.deepEqual(runs, ['record-header-only 5', 'record-header-only 5', `decrypted ${hello.length}`, 'stream 7', 'stream 6', 'record-header-only 5']);
  assert.deepEqual(a.findings.filter((f) => ['dump-malformed', 'tls-malformed', 'tls-truncated'].includes(f.rule)), []);
  // Read, not sent: `<<<`, and a ChangeCipherSpec read shows its header alone (as in the fixtures).
  const read = renderOpensslMsg(flight, false, true);
  assert.deepEqual(read.text.split('\n').filter((l) => /^[<>]{3}/.test(l)).map((l) => l.slice(0, 3) + l.slice(3).replace(/ \[.*/, '')), [
    '<<< TLS 1.0, RecordHeader', '<<< TLS 1.0, RecordHeader', '<<< TLS 1.0, Handshake', '<<< TLS 1.2, RecordHeader', '<<< TLS 1.2, Alert',
    '<<< TLS 1.2, RecordHeader', '<<< TLS 1.2, RecordHeader',
  ]);
  assert.equal(read.shown.length, shown.length - 1);
  // Bytes that are no whole record end the imitation: dumped as they are under one header label.
  const odd = renderOpensslMsg(Uint8Array.of(0x16, 0x03, 0x01, 0x00, 0x09, 1, 2));
  assert.equal(odd.text, '>>> TLS 1.2, RecordHeader [length 0005]\n    16 03 01 00 09 01 02');
});
