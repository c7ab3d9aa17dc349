/** Hover on a capture import's decrypted records: the mark, and the bytes after it (TLS 1.3 Certificate). */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { createBufferSource } from '../../src/core/capture/captureSource';
import { importCapture } from '../../src/core/capture/importCapture';
import { computeHover } from '../../src/core/features/hover';
import { parseKeyLog } from '../../src/core/tls/decrypt/keyLogSecrets';
import { REPO } from '../helpers/lspClient';

function imported(session: string): string {
  const dir = path.join(REPO, 'server/test/fixtures/keylog', session);
  const { keyLog } = parseKeyLog(fs.readFileSync(path.join(dir, 'keylog.txt'), 'utf8'));
  return importCapture(createBufferSource(new Uint8Array(fs.readFileSync(path.join(dir, 'capture.pcap')))), { name: session, keyLog }).text;
}

test('the mark of a decrypted TLS 1.3 record says what was on the wire and where its real type is', () => {
  const text = imported('ossl-tls13-aes256');
  const a = analyzeDocument(text);
  const mark = 'S: <decrypted TLS 1.3 record: handshake (22)>';
  const at = text.indexOf(mark);
  assert.ok(at >= 0);
  const h = computeHover(a, at + 10);
  assert.ok(h);
  assert.match(h.markdown, /^\*\*decrypted TLS 1\.3 record: handshake \(22\)\*\*/);
  assert.match(h.markdown, /application_data \(23\) in its header/);
  assert.match(h.markdown, /RFC 8446 §5\.2/);
  assert.deepEqual(h.span, { start: at + 3, end: at + mark.length });
  // Nothing of the key log's secrets in the hover.
  for (const secret of fs.readFileSync(path.join(REPO, 'server/test/fixtures/keylog/ossl-tls13-aes256/keylog.txt'), 'utf8').matchAll(/ ([0-9a-f]{64,})$/gm)) {
    assert.ok(!h.markdown.includes(secret[1]));
  }
  // The Certificate's first byte (handshake type 11) under its mark: a field hover.
  const cert = text.indexOf(`${mark}\nS: 0b `);
  const byte = computeHover(a, cert + mark.length + 4);
  assert.ok(byte);
  assert.match(byte.markdown, /Certificate/);
});

test('a TLS 1.2 mark points at RFC 5246; a C: line that only looks like a mark in other text is not one', () => {
  const text = imported('ossl-tls12-gcm');
  const at = text.indexOf('C: <decrypted TLS 1.2 record: handshake (22)>');
  const h = computeHover(analyzeDocument(text), at + 5);
  assert.match(h?.markdown ?? '', /RFC 5246 §6\.2\.3/);
  const other = 'S: 220 x\nC: <decrypted TLS 1.9 record: handshake (22)>\n';
  const none = computeHover(analyzeDocument(other), other.indexOf('<decrypted') + 3);
  assert.ok(!none || !/decrypted TLS/.test(none.markdown));
});
