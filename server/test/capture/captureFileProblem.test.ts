/**
 * Rule capture-file-problem: what the importer finds wrong with the capture file itself (listed after
 * the `# capture:` line it ends its transcript with) becomes a finding on that line, so that
 * `smtptls check` on a damaged capture does not pass in silence. Fixtures: the real swaks capture,
 * its copy through `editcap -F pcap -s 60` (server/test/fixtures/capture/make-fixtures.sh), the
 * gnutls-serv TLS capture on a lab port (no SMTP), and the swaks capture with one record header
 * crafted (orig_len one less than incl_len).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { checkInChunks } from '../../src/core/analysis/chunkedCheck';
import { DEFAULT_SETTINGS } from '../../src/core/rules/types';
import { CAPTURE_FIXTURES, CORPUS_SESSIONS, importBytes, readFixture } from './helpers';

const RULE = 'capture-file-problem';
const findingsOf = (bytes: Uint8Array) => {
  const r = importBytes(bytes);
  return { text: r.text, found: analyzeDocument(r.text).findings.filter((f) => f.rule === RULE) };
};

test('capture-file-problem: a clean capture gives none', () => {
  assert.deepEqual(findingsOf(readFixture(path.join(CORPUS_SESSIONS, 'swaks-starttls/capture.pcap'))).found, []);
});

test('capture-file-problem: frames cut inside their headers (editcap -s 60) give a warning on the importer\'s line, and say there is no SMTP', () => {
  const { text, found } = findingsOf(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls-snap60.pcap')));
  assert.deepEqual(
    found.map((f) => f.severity),
    ['information', 'warning'],
  );
  assert.match(found[1].message, /^Reading the capture file: frame 1 was cut by the capture's snapshot length inside its IP\/TCP headers \(60 of 74 bytes captured\)/);
  assert.equal(text.slice(found[1].span.start - 2, found[1].span.end), `# ${found[1].message.replace('Reading the capture file: ', 'warning: ')}`);
  assert.match(found[0].message, /^No SMTP in the capture: no stream on port 25/);
});

test('capture-file-problem: a record whose original length is less than its captured length (crafted pcap header)', () => {
  const bytes = Uint8Array.from(readFixture(path.join(CORPUS_SESSIONS, 'swaks-starttls/capture.pcap')));
  const view = new DataView(bytes.buffer);
  // Frame 2's record header: 24-byte file header, frame 1's 16-byte header and its incl_len bytes; orig_len at +12.
  const at = 24 + 16 + view.getUint32(24 + 8, true);
  view.setUint32(at + 12, view.getUint32(at + 8, true) - 1, true);
  const { found } = findingsOf(bytes);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /^Reading the capture file: frame 2 says its packet was \d+ bytes long but holds \d+ captured bytes/);
});

test('capture-file-problem: the same in the streaming check as in a whole-text analysis, and only after a `# capture:` line', () => {
  const r = importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls-snap60.pcap')));
  const whole = analyzeDocument(r.text).findings.filter((f) => f.rule === RULE).map((f) => [f.span.start, f.message]);
  const chunked = checkInChunks(r.text, DEFAULT_SETTINGS).findings.filter((f) => f.rule === RULE).map((f) => [f.span.start, f.message]);
  assert.deepEqual(chunked, whole);
  // A transcript that merely has such comment lines elsewhere is not judged.
  const text = ['# warning: not from an import', 'S: 220 mx.example.test ESMTP', '# capture: pcap', '', '# error: after a blank line'].join('\n');
  assert.deepEqual(analyzeDocument(text).findings.filter((f) => f.rule === RULE), []);
});
