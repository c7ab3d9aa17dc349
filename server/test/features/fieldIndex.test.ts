import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { buildFieldIndex, findFieldAt, findFieldPath, findPairIndex, findRecordAt, getFieldIndex, locateRuns } from '../../src/core/features/fieldIndex';
import { listSamples, readSample } from '../helpers/samples';
import { offsetOf } from './helpers';

test('every hex pair of every sample is indexed in document order and points back at its own characters', () => {
  for (const name of listSamples()) {
    const text = readSample(name);
    const a = analyzeDocument(text);
    const index = buildFieldIndex(a);
    let expected = 0;
    for (const s of a.sessions) for (const st of s.streams) expected += st.view.bytes.length;
    assert.equal(index.offsets.length, expected, name);
    for (let k = 0; k < index.offsets.length; k++) {
      if (k > 0) assert.ok(index.offsets[k] > index.offsets[k - 1], `${name}: offsets ascend at ${k}`);
      const { stream } = index.streams[index.streamIds[k]];
      const byte = stream.view.bytes[index.byteIndices[k]];
      assert.equal(parseInt(text.slice(index.offsets[k], index.offsets[k] + 2), 16), byte, `${name}: pair ${k} is the byte's hex`);
    }
  }
});

test('the index is built once per analysis', () => {
  const a = analyzeDocument(readSample('ssl3-hello.transcript'));
  assert.equal(getFieldIndex(a), getFieldIndex(a));
  assert.notEqual(getFieldIndex(a), getFieldIndex(analyzeDocument(readSample('ssl3-hello.transcript'))));
});

test('position → innermost field: client_version, cipher_suites[3] and the alert description of the SSL 3.0 sample', () => {
  const text = readSample('ssl3-hello.transcript');
  const a = analyzeDocument(text);
  const index = getFieldIndex(a);
  // C: 16 03 00 00 33 01 00 00 2f 03 00 ...: client_version is the 10th and 11th byte.
  const first = offsetOf(text, 'C: 16 03 00') + 3;
  const cv = findFieldAt(index, first + 9 * 3 + 1);
  assert.deepEqual(cv?.path.map((n) => n.name), ['record', 'Handshake', 'ClientHello', 'client_version']);
  assert.equal(cv?.path.at(-1)?.value, 0x0300);
  // "00 ff" on line 4 of the dump is the fourth suite.
  const scsv = findFieldAt(index, offsetOf(text, '00 ff 01 00') + 3);
  assert.equal(scsv?.path.at(-1)?.name, 'cipher_suites[3]');
  assert.equal(scsv?.path.at(-1)?.display, 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV');
  const alert = findFieldAt(index, offsetOf(text, 'S: 15 03 00 00 02 02 28') + 3 + 6 * 3);
  assert.equal(alert?.path.at(-1)?.name, 'description');
  assert.equal(alert?.stream.direction, 'server');
  // The space between two pairs and the direction marker are no byte.
  assert.equal(findFieldAt(index, first + 2), null);
  assert.equal(findFieldAt(index, first - 3), null);
});

test('binary search agrees with a linear scan on a real openssl -msg session', () => {
  const a = analyzeDocument(readSample('openssl-tls12-clean.transcript'));
  const index = getFieldIndex(a);
  for (const probe of [0, 500, 1234, 2000, 4000, a.text.length - 1]) {
    let linear = -1;
    for (let k = 0; k < index.offsets.length; k++) if (index.offsets[k] <= probe) linear = k;
    assert.equal(findPairIndex(index, probe), linear, `offset ${probe}`);
  }
});

test('findRecordAt and findFieldPath stay inside the spans they are given', () => {
  const a = analyzeDocument(readSample('openssl-tls12-clean.transcript'));
  const records = a.sessions[0].streams[0].decoded.records;
  assert.ok(records.length > 0);
  const r = records[0];
  assert.equal(findRecordAt(records, r.start), r);
  assert.equal(findRecordAt(records, -1), null);
  assert.deepEqual(findFieldPath(r.field, r.end + 1000), []);
  const path = findFieldPath(r.field, r.start);
  assert.equal(path[0], r.field);
  for (const n of path) assert.ok(n.start <= r.start && r.start < n.end);
});

test('locateRuns: each run of a stream starts where the runs before it end, and its bytes are the stream\'s there', () => {
  let runs = 0;
  for (const name of listSamples()) {
    for (const s of analyzeDocument(readSample(name)).sessions) {
      const where = locateRuns(s);
      for (const stream of s.streams) {
        let at = 0;
        for (const i of stream.runIndices) {
          const ev = s.session.events[i];
          const w = where.get(i);
          assert.ok(w && w.stream === stream && w.start === at, `${name} event ${i}`);
          if (ev.kind !== 'bytes') continue;
          assert.deepEqual([...stream.view.bytes.subarray(at, at + ev.view.bytes.length)], [...ev.view.bytes], `${name} event ${i}`);
          at += ev.view.bytes.length;
          runs++;
        }
      }
      // Events that are no run of a stream are not located.
      s.session.events.forEach((ev, i) => {
        if (ev.kind !== 'bytes') assert.ok(!where.has(i) || s.streams.some((st) => st.runIndices.includes(i)));
      });
    }
  }
  assert.ok(runs > 20, `${runs} runs`);
});
