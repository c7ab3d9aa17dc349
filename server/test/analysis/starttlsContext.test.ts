/** STARTTLS context per event, and TLS records grouped by the run where they start. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { findStarttlsContexts, isStarttlsAccepted } from '../../src/core/analysis/starttlsContext';
import { assembleTlsStreams, groupTlsEvents } from '../../src/core/analysis/tlsStreams';

test('findStarttlsContexts: null before STARTTLS, the command until its reply, then both; a second STARTTLS starts over', () => {
  const t = readTranscript(['S: 220 mx', 'C: EHLO a', 'S: 250 ok', 'C: STARTTLS', 'S: 220 go', 'C: 16 03 01 00 01 00', 'C: STARTTLS', 'S: 454 no'].join('\n'));
  const session = t.sessions[0];
  const kinds = session.events.map((e) => e.kind);
  assert.deepEqual(kinds, ['reply', 'command', 'reply', 'command', 'reply', 'bytes', 'command', 'reply']);
  const ctx = findStarttlsContexts(session);
  assert.equal(ctx.length, session.events.length);
  assert.deepEqual(ctx.slice(0, 4), [null, null, null, null]);
  // The reply's own context is the state before it: the command, no reply yet.
  assert.equal(ctx[4]?.command, session.events[3]);
  assert.equal(ctx[4]?.reply, null);
  assert.equal(ctx[5]?.reply, session.events[4]);
  assert.ok(isStarttlsAccepted(ctx[5]));
  assert.equal(ctx[6]?.reply, session.events[4]);
  assert.equal(ctx[7]?.command, session.events[6]);
  assert.equal(ctx[7]?.reply, null);
  assert.ok(!isStarttlsAccepted(ctx[7]));
});

test('groupTlsEvents: each record goes with the run it starts in, across many runs of one stream', () => {
  // Client runs interleaved with server runs: each direction is one stream of n runs, one record per run.
  const n = 300;
  const text = 'C: 16 03 01 00 01 00\nS: 17 03 03 00 02 00 00\n'.repeat(n);
  const session = readTranscript(text).sessions[0];
  const streams = assembleTlsStreams(session);
  assert.deepEqual(streams.map((s) => [s.direction, s.runIndices.length, s.decoded.records.length]), [['client', n, n], ['server', n, n]]);
  const events = groupTlsEvents(session, streams);
  assert.equal(events.length, 2 * n);
  events.forEach((e, k) => {
    assert.equal(e.eventIndex, k);
    assert.equal(e.records.length, 1);
    assert.equal(e.records[0].contentType, k % 2 === 0 ? 22 : 23);
  });
  // A record that spans two runs belongs to the run where it starts.
  const split = readTranscript('C: 16 03 01 00 03\nS: 250 x\nC: 01 02 03 16 03 01 00 01 00').sessions[0];
  const splitStreams = assembleTlsStreams(split);
  assert.deepEqual(groupTlsEvents(split, splitStreams).map((e) => [e.eventIndex, e.records.length]), [[0, 1], [2, 1]]);
});
