/**
 * Ruby's Net::SMTP debug output (server/test/fixtures/ruby-net-smtp/make-fixtures.sh, against the mail lab): the
 * dialogue is the one Postfix's smtpd logged of the same connection, its arrows read the way Ruby means them; a failed
 * handshake is read from the OpenSSL::SSL::SSLError Ruby raises; the credentials it writes are masked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { parseRubySslError } from '../../src/core/formats/rubyNetSmtp';
import * as runs from '../helpers/rubyNetSmtpRuns';

const DIR = path.join(__dirname, '..', 'fixtures', 'ruby-net-smtp');

test('Ruby Net::SMTP over STARTTLS: `->` the server\'s, `<-` the client\'s, the dialogue Postfix logged, inside TLS after `TLS connection started`', () => {
  runs.checkRubyStarttls(DIR);
});

test('Ruby Net::SMTP AUTH PLAIN and LOGIN inside TLS: the base64 it writes is masked in hover and decode', () => {
  runs.checkRubyAuth(DIR);
});

test('Ruby Net::SMTP, failed handshakes: its verdicts on the name and the dates, the server\'s alert, from the exception\'s message', () => {
  runs.checkRubyFailures(DIR);
});

test('parseRubySslError: OpenSSL\'s reason after `state=error: `, the verify result in parentheses, Ruby\'s name check; other errors nothing to judge', () => {
  const at = (s: string) => parseRubySslError(s, 0, s.length);
  const alert = at("/usr/lib/ruby/3.1.0/net/protocol.rb:46:in `connect_nonblock': SSL_connect returned=1 errno=0 peeraddr=127.0.0.1:2530 state=error: sslv3 alert handshake failure (OpenSSL::SSL::SSLError)");
  assert.equal(alert?.alert?.description, 40);
  const expired = at('x.rb:1:in `c\': SSL_connect returned=1 errno=0 peeraddr=127.0.0.1:2527 state=error: certificate verify failed (certificate has expired) (OpenSSL::SSL::SSLError)');
  assert.deepEqual(expired?.verdict && { problem: expired.verdict.problem, reason: expired.verdict.reason }, { problem: 'expired', reason: 'certificate has expired' });
  assert.deepEqual(at('x.rb:1:in `c\': SSL_connect returned=1 errno=0 state=error: certificate verify failed (self-signed certificate) (OpenSSL::SSL::SSLError)'), {});
  // OpenSSL's check of the name during the handshake (ruby-name-mismatch.txt); Ruby's after it, worded as its openssl/ssl.rb raises it.
  assert.equal(at('x.rb:1:in `c\': SSL_connect returned=1 errno=0 peeraddr=127.0.0.1:25 state=error: certificate verify failed (hostname mismatch) (OpenSSL::SSL::SSLError)')?.verdict?.problem, 'name-mismatch');
  assert.equal(at('x.rb:1:in `post_connection_check\': hostname "localhost" does not match the server certificate (OpenSSL::SSL::SSLError)')?.verdict?.expectedName, 'localhost');
  assert.equal(at('x.rb:1:in `connect\': Connection refused - connect(2) for "127.0.0.1" port 2599 (Errno::ECONNREFUSED)'), null);
});

test('Ruby\'s arrows are not swaks\'s: a swaks transcript keeps its directions, a Ruby one its own', () => {
  const ruby = ['Connection opened: 127.0.0.1:25', '-> "220 mx ESMTP\\r\\n"', '<- "EHLO c\\r\\n"', '-> "250 mx\\r\\n"', '<- "QUIT\\r\\n"', '-> "221 Bye\\r\\n"', ''].join('\n');
  const r = readTranscript(ruby);
  assert.equal(r.format, 'ruby-net-smtp');
  assert.deepEqual(r.sessions[0].events.filter((e) => e.kind === 'command').map((e) => e.kind === 'command' && e.verb), ['EHLO', 'QUIT']);
  const swaks = ['=== Trying 127.0.0.1:25...', '<-  220 mx ESMTP', ' -> EHLO c', '<-  250 mx', ' -> QUIT', '<-  221 Bye', ''].join('\n');
  const w = readTranscript(swaks);
  assert.equal(w.format, 'swaks');
  assert.deepEqual(w.sessions[0].events.filter((e) => e.kind === 'command').map((e) => e.kind === 'command' && e.verb), ['EHLO', 'QUIT']);
  // The line endings are Ruby's dump's: CR LF here.
  assert.ok(r.sessions[0].events.every((e) => e.kind !== 'reply' || e.parts.every((p) => p.lineEnding === '\r\n')));
  assert.deepEqual(analyzeDocument(ruby).findings, []);
});
