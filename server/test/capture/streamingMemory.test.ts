/**
 * Streaming import in bounded memory: once a session is written, nothing of it stays in the
 * importer (no connection, no queued renderer, no session description), so memory does not
 * grow with the number of sessions. The capture: the real swaks session (corpus) repeated on
 * 2,000 client ports (helpers.repeatConnection).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createBufferSource } from '../../src/core/capture/captureSource';
import { CaptureImporter } from '../../src/core/capture/importCapture';
import { CORPUS_SESSIONS, listFrames, readFixture, repeatConnection, writePcap } from './helpers';

const COPIES = 2000;
const capture = writePcap(repeatConnection(listFrames(readFixture(path.join(CORPUS_SESSIONS, 'swaks-starttls/capture.pcap'))), COPIES), 1);

test('streaming to a writer: each session is released once written (live entries stay flat)', () => {
  let chunks = 0;
  let maxConnections = 0;
  let maxQueued = 0;
  let maxListed = 0;
  const importer: CaptureImporter = new CaptureImporter({
    sourceMap: false,
    write: () => {
      chunks++;
      const live = importer.liveState;
      maxConnections = Math.max(maxConnections, live.connections);
      maxQueued = Math.max(maxQueued, live.queuedSessions);
      maxListed = Math.max(maxListed, live.listedSessions);
    },
  });
  const r = importer.run(createBufferSource(capture));
  assert.equal(r.sessionCount, COPIES);
  assert.equal(r.sessions.length, 0);
  assert.ok(chunks > 10, `${chunks} chunks`);
  // One connection is open at a time in this capture; the one being written may still be queued.
  assert.ok(maxConnections <= 1, `connections ${maxConnections}`);
  assert.ok(maxQueued <= 1, `queued ${maxQueued}`);
  assert.equal(maxListed, 0);
  assert.deepEqual(importer.liveState, { connections: 0, queuedSessions: 0, listedSessions: 0 });
});

test('the session list is kept when asked for, or when the text is collected (check, the editor)', () => {
  const collected = new CaptureImporter({}).run(createBufferSource(capture));
  assert.equal(collected.sessions.length, COPIES);
  assert.deepEqual(collected.sessions.map((s) => s.client.port).slice(0, 3), [1024, 1025, 1026]);
  const listed = new CaptureImporter({ sourceMap: false, sessionList: true, write: () => undefined }).run(createBufferSource(capture));
  assert.equal(listed.sessions.length, COPIES);
  assert.equal(listed.sessionCount, COPIES);
  // A source map needs the list (the import command writes both).
  assert.equal(new CaptureImporter({ sourceMap: true, write: () => undefined }).run(createBufferSource(capture)).sessions.length, COPIES);
});
