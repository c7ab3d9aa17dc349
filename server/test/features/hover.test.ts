import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover, formatFieldPath } from '../../src/core/features/hover';
import { getFieldIndex, findFieldAt } from '../../src/core/features/fieldIndex';
import { describeEnhancedStatus, describeReplyCode, findVerbNote } from '../../src/core/features/smtpNotes';
import { describeCipherSuite, findFieldNote } from '../../src/core/features/tlsFieldNotes';
import { readSample } from '../helpers/samples';
import { AUTH_LINES, AUTH_SECRETS, offsetOf, readCorpus } from './helpers';

test('hover on a cipher-suite byte: path, raw bytes, IANA name, meaning and RFC link', () => {
  const text = readSample('ssl3-hello.transcript');
  const a = analyzeDocument(text);
  const at = offsetOf(text, '00 35\nC: 00 2f') + 3; // second pair of the first suite 0x0035
  const h = computeHover(a, at);
  assert.ok(h);
  assert.match(h.markdown, /^\*\*cipher_suites\[0\]\*\*/);
  assert.ok(h.markdown.includes('`Record › Handshake › ClientHello › cipher_suites[0]`'), h.markdown);
  assert.ok(h.markdown.includes('| Raw | `00 35` |'));
  assert.ok(h.markdown.includes('| IANA name | `TLS_RSA_WITH_AES_256_CBC_SHA` (IANA registered) |'));
  assert.ok(h.markdown.includes('RSA key transport (no forward secrecy)'));
  assert.ok(h.markdown.includes('(https://www.rfc-editor.org/rfc/rfc5246#section-7.4.1.2)'));
  // The hover range is the suite's two hex pairs on that line.
  assert.equal(text.slice(h.span.start, h.span.end), '00 35');
});

test('hover on client_version says SSL 3.0 is prohibited and links RFC 7568', () => {
  const text = readSample('ssl3-hello.transcript');
  const a = analyzeDocument(text);
  const h = computeHover(a, offsetOf(text, 'C: 16 03 00') + 3 + 9 * 3);
  assert.ok(h);
  assert.match(h.markdown, /\*\*client_version\*\*/);
  assert.match(h.markdown, /prohibited since 2015/);
  assert.match(h.markdown, /rfc7568#section-3/);
});

test('hover on a multi-line field spans only the hovered line', () => {
  const text = readSample('ssl3-hello.transcript');
  const a = analyzeDocument(text);
  const h = computeHover(a, offsetOf(text, 'C: 02 03 04') + 3);
  assert.ok(h);
  assert.match(h.markdown, /\*\*random\*\*/);
  assert.match(h.markdown, /32 bytes of opaque data/);
  assert.equal(a.lines.lineAt(h.span.start), a.lines.lineAt(h.span.end));
});

test('hover on SMTP verb, reply code, enhanced status code and direction marker', () => {
  const text = readSample('ssl3-hello.transcript');
  const a = analyzeDocument(text);
  const verb = computeHover(a, offsetOf(text, 'C: STARTTLS') + 4);
  assert.match(verb?.markdown ?? '', /SMTP command STARTTLS/);
  assert.match(verb?.markdown ?? '', /rfc3207#section-4/);
  const code = computeHover(a, offsetOf(text, 'S: 220 2.0.0') + 4);
  assert.match(code?.markdown ?? '', /\*\*Reply 220\*\*/);
  assert.match(code?.markdown ?? '', /go-ahead for the TLS handshake/);
  const status = computeHover(a, offsetOf(text, '2.0.0 Ready') + 2);
  assert.match(status?.markdown ?? '', /Enhanced status 2\.0\.0/);
  assert.match(status?.markdown ?? '', /rfc3463#section-3\.1/);
  const marker = computeHover(a, offsetOf(text, 'C: EHLO'));
  assert.match(marker?.markdown ?? '', /Client to server/);
  assert.equal(computeHover(a, offsetOf(text, 'mx.example.test ESMTP') + 3), null);
});

test('hover on swaks markers and openssl -trace / gnutls field names', () => {
  const swaks = readSample('swaks-starttls.transcript');
  const sa = analyzeDocument(swaks);
  assert.match(computeHover(sa, offsetOf(swaks, ' ~> EHLO') + 1)?.markdown ?? '', /inside TLS/);
  const trace = readCorpus('ossl-tls1_2-trace', 'openssl-s_client-trace.txt');
  const ta = analyzeDocument(trace);
  const cv = computeHover(ta, offsetOf(trace, 'client_version=0x303') + 2);
  assert.match(cv?.markdown ?? '', /TLS field `client_version`/);
  const suites = computeHover(ta, offsetOf(trace, 'cipher_suites (len=') + 1);
  assert.match(suites?.markdown ?? '', /TLS field `cipher_suites`/);
  const gnutls = readCorpus('gnutls-default-d5', 'gnutls-cli-d5.txt');
  const ga = analyzeDocument(gnutls);
  assert.match(computeHover(ga, offsetOf(gnutls, 'Adv. version') + 1)?.markdown ?? '', /client_version/);
});

test('hovers never show AUTH credentials, encoded or decoded', () => {
  const text = [...AUTH_LINES, ''].join('\n');
  const a = analyzeDocument(text);
  for (let offset = 0; offset < text.length; offset++) {
    const h = computeHover(a, offset);
    if (!h) continue;
    for (const secret of AUTH_SECRETS) assert.ok(!h.markdown.includes(secret), `offset ${offset}: ${h.markdown}`);
  }
  assert.match(computeHover(a, offsetOf(text, 'c2VjcmV0') + 2)?.markdown ?? '', /AUTH credentials/);
  assert.match(computeHover(a, offsetOf(text, 'C: AUTH PLAIN') + 4)?.markdown ?? '', /SMTP command AUTH/);
});

test('formatFieldPath folds list nodes into their items and names extensions', () => {
  const text = readSample('openssl-tls12-clean.transcript');
  const a = analyzeDocument(text);
  // "00 0a 00 0c 00 0a 00 1d": supported_groups header then x25519.
  const at = offsetOf(text, '00 1d 00 17') ;
  const hit = findFieldAt(getFieldIndex(a), at);
  assert.ok(hit);
  assert.equal(formatFieldPath(hit.path), 'Record › Handshake › ClientHello › extensions[1] (supported_groups) › named_group_list[0]');
  assert.match(computeHover(a, at)?.markdown ?? '', /`x25519`/);
});

test('notes: verbs, reply codes and RFC 3463 codes are explained; unknown ones are not invented', () => {
  assert.match(findVerbNote('ehlo')?.about ?? '', /extensions/);
  assert.equal(findVerbNote('XYZZY'), undefined);
  assert.match(describeReplyCode('554')?.about ?? '', /permanent failure/);
  assert.match(describeReplyCode('299')?.about ?? '', /Class 2xx/);
  assert.equal(describeReplyCode('600'), undefined);
  assert.match(describeEnhancedStatus('5.7.8')?.about ?? '', /credentials are invalid/);
  assert.match(describeEnhancedStatus('4.2.2')?.about ?? '', /persistent transient.*mailbox.*full/);
  assert.match(describeEnhancedStatus('5.9.9')?.about ?? '', /not defined by RFC 3463/);
  assert.equal(describeEnhancedStatus('3.1.1'), undefined);
  assert.match(describeCipherSuite(0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384')?.text ?? '', /ephemeral ECDH, RSA-signed.*AES-256-GCM.*SHA384/);
  assert.match(describeCipherSuite(0x0005, 'TLS_RSA_WITH_RC4_128_SHA')?.text ?? '', /RC4 is prohibited/);
  assert.match(describeCipherSuite(0x1302, 'TLS_AES_256_GCM_SHA384')?.text ?? '', /TLS 1\.3 handshake/);
  assert.match(findFieldNote('cipher_suites[17]')?.about ?? '', /cipher suites/);
});

test('a suite\'s hover calls weak exactly the suites the weak-suite rules flag; 3DES is advice, named as such', async () => {
  const { classifyWeakSuite } = await import('../../src/core/rules/checks/helloContent');
  const { lookupCipherSuite } = await import('../../src/core/tls/registry/cipherSuites');
  const WEAK = /does not encrypt|export-grade|Nobody is authenticated|Single DES|RC4 is prohibited/;
  let compared = 0;
  for (let value = 0; value <= 0xffff; value++) {
    const entry = lookupCipherSuite(value);
    if (!entry.known) continue;
    compared++;
    const text = describeCipherSuite(value, entry.name)?.text ?? '';
    assert.equal(WEAK.test(text), classifyWeakSuite(entry.name).length > 0, `${entry.name}: ${text}`);
  }
  assert.ok(compared > 300, `${compared} registered suites`);
  const des3 = describeCipherSuite(0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA');
  assert.match(des3?.text ?? '', /3DES has 64-bit blocks.*not flagged by the weak-suite rules/);
  assert.ok(des3?.refs.some((r) => r.label === 'RFC 9325 §4.1'));
  assert.match(describeCipherSuite(0x0018, 'TLS_DH_anon_WITH_RC4_128_MD5')?.text ?? '', /Nobody is authenticated.*RC4 is prohibited/);
});

test('a suite whose name ends in no hash (CCM, CCM_8, GOST MGM) is described by its AEAD cipher, not a made-up hash', () => {
  const ccm = describeCipherSuite(0xc09c, 'TLS_RSA_WITH_AES_128_CCM')?.text ?? '';
  assert.match(ccm, /cipher AES-128-CCM\b.*AEAD/);
  assert.doesNotMatch(ccm, /hash CCM/);
  const ccm8 = describeCipherSuite(0xc0ae, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8')?.text ?? '';
  assert.match(ccm8, /ephemeral ECDH, ECDSA-signed.*cipher AES-128-CCM-8\b.*AEAD/);
  assert.doesNotMatch(ccm8, /hash 8/);
  const mgm = describeCipherSuite(0xc103, 'TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L')?.text ?? '';
  assert.match(mgm, /cipher KUZNYECHIK-MGM-L\b.*AEAD/);
  assert.doesNotMatch(mgm, /hash L/);
  // A MAC named last stays one; hashes as before.
  assert.match(describeCipherSuite(0xc100, 'TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC')?.text ?? '', /cipher KUZNYECHIK-CTR; MAC OMAC\./);
  assert.match(describeCipherSuite(0x1304, 'TLS_AES_128_CCM_SHA256')?.text ?? '', /cipher AES-128-CCM; hash SHA256\./);
  assert.match(describeCipherSuite(0x0002, 'TLS_RSA_WITH_NULL_SHA')?.text ?? '', /cipher NULL; hash SHA\. It does not encrypt/);
});
