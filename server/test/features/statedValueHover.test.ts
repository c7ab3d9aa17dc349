/**
 * Hover on values tools state in words: a suite's name (GnuTLS's, OpenSSL's, IANA's), a suite a
 * hello lists in words, GnuTLS's description of the algorithms, a negotiated version. Fixtures:
 * legacy-cipher (real RC4 sessions against Exim) and stated-cipher (postfix's log of an anonymous
 * suite); the unknown name is the postfix line with its suite renamed (crafted).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import { describeStatedValueAt } from '../../src/core/features/statedValueNotes';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const read = (rel: string): string => readFileSync(path.join(FIXTURES, rel), 'utf8');

/** The hover on the first character of the `nth` occurrence (0-based) of `needle`: the hovered text and the Markdown. */
function hoverOn(text: string, needle: string, nth = 0, at = 0) {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  const h = computeHover(analyzeDocument(text), i + at);
  return h ? { hovered: text.slice(h.span.start, h.span.end), markdown: h.markdown } : null;
}

test('stated values: GnuTLS\'s selected suite, by its GnuTLS name, is IANA\'s TLS_RSA_WITH_RC4_128_SHA, prohibited (RFC 7465)', () => {
  const text = read('legacy-cipher/gnutls-cli-rc4.txt');
  const h = hoverOn(text, 'Selected cipher suite: GNUTLS_RSA_ARCFOUR_128_SHA1', 0, 'Selected cipher suite: '.length + 3)!;
  assert.equal(h.hovered, 'GNUTLS_RSA_ARCFOUR_128_SHA1');
  assert.match(h.markdown, /^\*\*Cipher suite TLS\\_RSA\\_WITH\\_RC4\\_128\\_SHA \(0x0005\)\*\*/);
  assert.match(h.markdown, /The suite the log says was negotiated, named as the tool names it \(`GNUTLS_RSA_ARCFOUR_128_SHA1`\)\. .*RC4 is prohibited in TLS\./);
  assert.match(h.markdown, /\[RFC 7465 §2\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc7465#section-2\)/);
  // The suite the hello offers, on its Keeping line.
  const offered = hoverOn(text, 'Keeping ciphersuite 00.05', 0, 'Keeping ciphersuite '.length)!;
  assert.equal(offered.hovered, '00.05 (GNUTLS_RSA_ARCFOUR_128_SHA1)');
  assert.match(offered.markdown, /One of the suites the ClientHello offers, as the tool states it\./);
});

test('stated values: GnuTLS\'s description in msmtp\'s output names its algorithms and says ARCFOUR is RC4', () => {
  const text = read('legacy-cipher/msmtp-rc4.txt');
  const h = hoverOn(text, '(RSA)-(ARCFOUR-128)-(SHA1)', 0, 8)!;
  assert.equal(h.hovered, '(RSA)-(ARCFOUR-128)-(SHA1)');
  assert.match(h.markdown, /^\*\*Negotiated algorithms RSA, ARCFOUR-128, SHA1\*\*/);
  assert.match(h.markdown, /ARCFOUR-128 is RC4, which TLS no longer allows\./);
  // msmtp's TLS 1.3 description has nothing to remark.
  const strong = hoverOn(read('msmtp/msmtp-starttls.txt'), '(ECDHE-', 0, 2)!;
  assert.doesNotMatch(strong.markdown, /RC4|export|single DES|anonymous|no encryption/);
});

test('stated values: postfix\'s OpenSSL name and negotiated version; a name no table lists says so', () => {
  const text = read('stated-cipher/postfix-adh.log');
  const suite = hoverOn(text, 'ADH-AES256-GCM-SHA384 (256/256 bits)', 0, 4)!;
  assert.equal(suite.hovered, 'ADH-AES256-GCM-SHA384');
  assert.match(suite.markdown, /^\*\*Cipher suite TLS\\_DH\\_anon\\_WITH\\_AES\\_256\\_GCM\\_SHA384 \(0x00a7\)\*\*/);
  assert.match(suite.markdown, /Nobody is authenticated/);
  const version = hoverOn(text, 'TLSv1.2 with cipher ADH', 0, 2)!;
  assert.equal(version.hovered, 'TLSv1.2');
  assert.match(version.markdown, /^\*\*Negotiated version TLS 1\.2 \(0x0303\)\*\*\n\nAs the tool states it \(`TLSv1\.2`\)\.\n/);
  const renamed = text.replace('with cipher ADH-AES256-GCM-SHA384', 'with cipher MADE-UP-SUITE');
  const unknown = hoverOn(renamed, 'MADE-UP-SUITE', 0, 2)!;
  assert.match(unknown.markdown, /^\*\*Cipher suite MADE-UP-SUITE\*\*\n\nAs the tool names it; neither IANA's, OpenSSL's nor GnuTLS's names of the suites list it\./);
  // Elsewhere on the line there is no stated value.
  const analysis = analyzeDocument(text);
  assert.equal(describeStatedValueAt(analysis, text.indexOf('Anonymous TLS connection established')), null);
});

test('stated values: a TLS 1.0 negotiation stated by msmtp carries the deprecation note', () => {
  const text = read('msmtp/msmtp-implicit-tls11.txt');
  const h = hoverOn(text, '(TLS1.1)', 0, 2)!;
  assert.equal(h.hovered, 'TLS1.1');
  assert.match(h.markdown, /^\*\*Negotiated version TLS 1\.1 \(0x0302\)\*\*/);
  assert.match(h.markdown, /Deprecated since 2021/);
  assert.match(h.markdown, /RFC 8996 §4/);
});

test('stated values: the suite a ServerHello selects in tshark -V text has its hover, as the ClientHello\'s suites do', () => {
  const text = read('legacy-cipher/exim-rc4.tshark-V-hellos.txt');
  const server = hoverOn(text, 'Cipher Suite: TLS_RSA_WITH_RC4_128_SHA (0x0005)', 1, 'Cipher Suite: '.length + 2)!;
  assert.equal(server.hovered, 'TLS_RSA_WITH_RC4_128_SHA (0x0005)');
  assert.match(server.markdown, /The suite the server selects, as the tool states it\./);
  const client = hoverOn(text, 'Cipher Suite: TLS_RSA_WITH_RC4_128_SHA (0x0005)', 0, 'Cipher Suite: '.length + 2)!;
  assert.match(client.markdown, /One of the suites the ClientHello offers/);
});


test('stated values tshark -V and openssl -trace print: a server name (msmtp\'s IP literal), an alert\'s description, an SSLv2 record (real captures\' tshark -V, a real -trace run)', () => {
  const sni = hoverOn(read('tshark-verbose/msmtp-starttls.tshark-V.txt'), 'Server Name: 127.0.0.1', 0, 'Server Name: '.length + 2)!;
  assert.equal(sni.hovered, '127.0.0.1');
  assert.match(sni.markdown, /^\*\*server\\?_name 127\.0\.0\.1\*\*/);
  assert.match(sni.markdown, /is an IP address literal; RFC 6066 §3 allows only DNS host names there/);
  assert.match(sni.markdown, /rfc6066#section-3/);
  const alert = hoverOn(read('tshark-verbose/ssl3-hello.tshark-V.txt'), '            Description: Handshake Failure (40)', 0, 14)!;
  assert.equal(alert.hovered, 'Description: Handshake Failure (40)');
  assert.match(alert.markdown, /^\*\*Alert handshake\\?_failure \(40\)\*\*\n\nA fatal alert, which ends the connection, sent by the server, as the tool states it \(`Description: Handshake Failure \(40\)`\)\. The sender found no set of security parameters/);
  const trace = hoverOn(read('openssl-trace/trace-no-shared-cipher.txt'), 'Level=fatal(2), description=handshake failure(40)', 0, 3)!;
  assert.match(trace.markdown, /^\*\*Alert handshake\\?_failure \(40\)\*\*/);
  const v2 = hoverOn(read('tshark-verbose/sslv2-hello-tls10.tshark-V.txt'), 'SSLv2 Record Layer: Client Hello', 0, 3)!;
  assert.equal(v2.hovered, 'SSLv2 Record Layer: Client Hello');
  assert.match(v2.markdown, /^\*\*SSLv2 record\*\*\n\n.*RFC 6176 forbids clients to send/);
});

test('stated values: Postfix\'s signing key and its verdict on the certificate\'s dates (mta-verdicts: real posttls-finger runs)', () => {
  const weak = read('mta-verdicts/posttls-finger-weak.txt');
  const key = hoverOn(weak, 'RSA-PSS (1024 bits)', 0, 3)!;
  assert.equal(key.hovered, 'RSA-PSS (1024 bits)');
  assert.match(key.markdown, /^\*\*The server's signing key: RSA-PSS, 1024 bits\*\*/);
  assert.match(key.markdown, /the server signed the handshake with a 1024-bit key, which is the key of its certificate\. BCP 195 asks for RSA and DSA keys of at least 2048 bits/);
  assert.match(key.markdown, /\[RFC 7525 §4\.3\]/);
  const expired = read('mta-verdicts/posttls-finger-expired.txt');
  const verdict = hoverOn(expired, 'certificate has expired', 0, 5)!;
  assert.equal(verdict.hovered, 'certificate has expired');
  assert.match(verdict.markdown, /^\*\*Certificate verdict: certificate has expired\*\*/);
  assert.match(verdict.markdown, /posttls-finger says that the server's certificate had expired when it verified it, by its own clock during the session\./);
  assert.match(verdict.markdown, /\[RFC 5280 §6\.1\.3\]/);
  // The peer's name before the reason is not the verdict's value.
  assert.equal(hoverOn(expired, 'verification failed for 127.0.0.1', 0, 'verification failed for '.length), null);
});
