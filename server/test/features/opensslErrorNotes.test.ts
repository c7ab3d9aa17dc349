/**
 * Hover on OpenSSL errors in logs and tool outputs (features/opensslErrorNotes.ts): the reasons
 * explained are libssl's own strings (server/test/fixtures/stated-alerts/alert-names.txt, read from
 * the installed library), and real outputs get the note on their error string.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import { describeOpensslErrorAt, EXPLAINED_OPENSSL_REASONS } from '../../src/core/features/opensslErrorNotes';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const read = (rel: string): string => readFileSync(path.join(FIXTURES, rel), 'utf8');

test('every reason explained is one libssl gives (its error strings, read from the library)', () => {
  const library = new Set(read('stated-alerts/alert-names.txt').split('\n').filter((l) => l.startsWith('sslreason\t')).map((l) => l.split('\t')[2]));
  assert.ok(library.size > 200);
  for (const reason of EXPLAINED_OPENSSL_REASONS) assert.ok(library.has(reason), reason);
  assert.ok(EXPLAINED_OPENSSL_REASONS.length >= 15);
});

test('describeOpensslErrorAt: the error string under the offset, 3.x and 1.x forms and Python\'s; nothing for an unexplained reason or off the error', () => {
  const line = 'Nov 30 05:21:56 mx postfix/smtpd[15271]: warning: TLS library problem: error:0A0000C1:SSL routines::no shared cipher:../ssl/statem/statem_srvr.c:2226:';
  const at = line.indexOf('error:');
  const n = describeOpensslErrorAt(line, 0, line.length, at + 30)!;
  assert.equal(line.slice(n.span.start, n.span.end), 'error:0A0000C1:SSL routines::no shared cipher');
  assert.equal(n.title, 'OpenSSL error: no shared cipher (0A0000C1)');
  assert.match(n.about, /no cipher suite/);
  assert.equal(describeOpensslErrorAt(line, 0, line.length, 5), null);
  const old = '139:error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher:s3_srvr.c:1417:';
  assert.equal(describeOpensslErrorAt(old, 0, old.length, 10)?.title, 'OpenSSL error: no shared cipher (1408A0C1)');
  const py = 'ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)';
  assert.match(describeOpensslErrorAt(py, 0, py.length, 20)!.about, /do not start a TLS record/);
  const unexplained = 'error:0A000126:SSL routines::unexpected message:x';
  assert.equal(describeOpensslErrorAt(unexplained, 0, unexplained.length, 3), null);
});

test('hover on real outputs: postfix\'s no shared cipher and version too low, s_client\'s certificate verify failed', () => {
  const cases: [string, string, RegExp][] = [
    ['stated-alerts/sclient-no-shared-cipher.postfix.log', 'no shared cipher', /^\*\*OpenSSL error: no shared cipher \(0A0000C1\)\*\*/],
    ['live/ssl3-hello.postfix.log', 'version too low', /^\*\*OpenSSL error: version too low \(0A00018C\)\*\*\n\nThe version the peer offered or selected is below/],
    ['stated-alerts/sclient-state-unknown-ca.txt', 'certificate verify failed', /^\*\*OpenSSL error: certificate verify failed \(0A000086\)\*\*/],
    ['live/sslv2-hello-ssl2.postfix.log', 'unknown protocol', /^\*\*OpenSSL error: unknown protocol \(0A0000FC\)\*\*\n\nThe peer's hello is in a protocol this side does not speak at all/],
    ['live/malformed-hello.postfix.log', 'error in received cipher list', /^\*\*OpenSSL error: error in received cipher list \(0A000097\)\*\*/],
  ];
  for (const [file, needle, want] of cases) {
    const text = read(file);
    const h = computeHover(analyzeDocument(text), text.indexOf(needle) + 2);
    assert.ok(h, file);
    assert.match(h.markdown, want, file);
    assert.ok(text.slice(h.span.start, h.span.end).endsWith(needle), text.slice(h.span.start, h.span.end));
  }
  // The error of a received alert keeps the alert's own hover.
  const swaks = read('stated-alerts/swaks-no-shared-cipher.txt');
  const h = computeHover(analyzeDocument(swaks), swaks.indexOf('sslv3 alert handshake failure'))!;
  assert.match(h.markdown, /^\*\*Alert handshake\\?_failure \(40\)\*\*/);
});
