import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeDocumentSymbols, filterWorkspaceSymbols, findSessionPhases, type OutlineSymbol } from '../../src/core/features/symbols';
import { computeFoldingRanges } from '../../src/core/features/folding';
import { computeCodeLenses } from '../../src/core/features/codeLens';
import { computeDocumentLinks } from '../../src/core/features/documentLinks';
import { readSample } from '../helpers/samples';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTH_LINES, AUTH_SECRETS } from './helpers';

const MAIL_SESSION = [
  'S: 220 mx.example.test ESMTP',
  'C: EHLO client.example.test',
  'S: 250-mx.example.test',
  ...AUTH_LINES.slice(2),
  'C: MAIL FROM:<a@example.test>',
  'S: 250 2.1.0 Ok',
  'C: RCPT TO:<b@example.test>',
  'S: 250 2.1.5 Ok',
  'C: DATA',
  'S: 354 End data with <CR><LF>.<CR><LF>',
  'C: Subject: hi',
  'C:',
  'C: body',
  'C: .',
  'S: 250 2.0.0 Ok: queued',
  'C: QUIT',
  'S: 221 2.0.0 Bye',
  '',
].join('\n');

function shape(s: OutlineSymbol): unknown {
  return s.children.length > 0 ? [s.name, s.startLine, s.endLine, s.children.map(shape)] : [s.name, s.startLine, s.endLine];
}

test('outline of a session: greeting, EHLO, AUTH (mechanism only), mail transaction with DATA, QUIT', () => {
  const a = analyzeDocument(MAIL_SESSION);
  const symbols = computeDocumentSymbols(a);
  assert.equal(symbols.length, 1);
  assert.deepEqual(shape(symbols[0]), [
    'Session 1',
    0,
    24,
    [
      ['Greeting', 0, 0],
      ['EHLO client.example.test', 1, 3],
      ['AUTH PLAIN', 4, 5],
      ['AUTH LOGIN', 6, 11],
      ['Mail transaction', 12, 22, [['MAIL FROM', 12, 13], ['RCPT <b@example.test>', 14, 15], ['DATA', 16, 22]]],
      ['QUIT', 23, 24],
    ],
  ]);
  assert.equal(symbols[0].children[3].detail, '→ 235');
  assert.equal(symbols[0].children[4].children[2].detail, '→ 354 → 250');
  for (const secret of AUTH_SECRETS) assert.ok(!JSON.stringify(symbols).includes(secret));
});

test('outline of a real STARTTLS session: STARTTLS, then the TLS handshake with its messages', () => {
  const a = analyzeDocument(readSample('ssl3-hello.transcript'));
  const phases = findSessionPhases(a, 0);
  assert.deepEqual(
    phases.map((p) => p.name),
    ['Greeting', 'EHLO client.example.test', 'STARTTLS', 'TLS handshake'],
  );
  const tls = phases[3];
  assert.deepEqual(tls.children.map((c) => `${c.detail} ${c.name}`), ['C ClientHello', 'S Alert: handshake_failure']);
  assert.equal(phases[2].detail, '→ 220');
  const clean = computeDocumentSymbols(analyzeDocument(readSample('openssl-tls12-clean.transcript')));
  assert.match(clean[0].detail, /TLS 1\.2 · TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384/);
  const names = clean[0].children.flatMap((c) => c.children.map((m) => m.name));
  for (const m of ['ClientHello', 'ServerHello', 'Certificate']) assert.ok(names.includes(m), names.join(', '));
});

test('workspace symbols: flattened, filtered by a query, bounded', () => {
  const symbols = computeDocumentSymbols(analyzeDocument(MAIL_SESSION));
  const hits = filterWorkspaceSymbols(symbols, 'rcpt');
  assert.deepEqual(hits.map((h) => [h.name, h.container]), [['RCPT <b@example.test>', 'Mail transaction']]);
  assert.ok(filterWorkspaceSymbols(symbols, '').length >= 9);
  assert.equal(filterWorkspaceSymbols(symbols, '', 3).length, 3);
  assert.deepEqual(filterWorkspaceSymbols(symbols, 'zzz'), []);
});

test('folding: session, multi-line replies, dumps, DATA and comment blocks', () => {
  const a = analyzeDocument(MAIL_SESSION);
  const ranges = computeFoldingRanges(a).map((r) => `${r.startLine}-${r.endLine}${r.kind ? ` ${r.kind}` : ''}`);
  for (const r of ['0-24 region', '2-3', '16-22', '12-22', '6-11']) assert.ok(ranges.includes(r), `${r} in ${ranges.join(', ')}`);
  const sample = readSample('ssl3-hello.transcript');
  const sr = computeFoldingRanges(analyzeDocument(sample)).map((r) => `${r.startLine}-${r.endLine}${r.kind ? ` ${r.kind}` : ''}`);
  // Header comment block, the EHLO reply, the 4-line client dump.
  for (const r of ['0-7 comment', '10-20', '24-27']) assert.ok(sr.includes(r), `${r} in ${sr.join(', ')}`);
});

test('code lens per session: negotiated version and suite, finding count', () => {
  assert.deepEqual(computeCodeLenses(analyzeDocument(readSample('openssl-tls12-clean.transcript'))).map((l) => l.title), [
    'TLS 1.2 · TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 · 0 findings',
  ]);
  const ssl3 = computeCodeLenses(analyzeDocument(readSample('ssl3-hello.transcript')));
  assert.equal(ssl3.length, 1);
  assert.equal(ssl3[0].line, 8);
  assert.match(ssl3[0].title, /^no TLS: handshake_failure alert · \d+ findings? \(1 error\)$/);
});

test('document links for RFC references in comments', () => {
  const text = '# see RFC 5321 §4.2 and RFC 3207 section 4, also RFC5246 App. E.2 and RFC 8446\nS: 220 ok\n';
  const links = computeDocumentLinks(analyzeDocument(text));
  assert.deepEqual(
    links.map((l) => [text.slice(l.span.start, l.span.end), l.url]),
    [
      ['RFC 5321 §4.2', 'https://www.rfc-editor.org/rfc/rfc5321#section-4.2'],
      ['RFC 3207 section 4', 'https://www.rfc-editor.org/rfc/rfc3207#section-4'],
      ['RFC5246 App. E.2', 'https://www.rfc-editor.org/rfc/rfc5246#appendix-E.2'],
      ['RFC 8446', 'https://www.rfc-editor.org/rfc/rfc8446'],
    ],
  );
});

test('outline of tshark -V: the records it states and the certificates it prints, in the TLS phase; the negotiated version and suite from its ServerHello', () => {
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'certificates', 'wrong-order-tls12.tshark-V.txt'), 'utf8');
  const a = analyzeDocument(text);
  const [tls] = findSessionPhases(a, 0);
  assert.equal(tls.name, 'TLS handshake');
  assert.equal(tls.detail, 'TLS 1.2 · TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (stated)');
  assert.deepEqual(tls.children.map((c) => `${c.detail} ${c.name}`), [
    'C (stated) ClientHello',
    'S (stated) ServerHello',
    'S (stated) Certificate',
    'S (printed) Certificate 0: CN=mx.cert-lab.test',
    'S (printed) Certificate 1: CN=Cert Lab Root CA, O=SMTP TLS Transcripts test',
    'S (printed) Certificate 2: CN=Cert Lab Issuing CA, O=SMTP TLS Transcripts test',
    'S (stated) ServerKeyExchange',
    'S (stated) ServerHelloDone',
    'C (stated) ClientKeyExchange',
    'C (stated) change_cipher_spec',
    'C (stated) handshake (encrypted)',
    'S (stated) NewSessionTicket',
    'S (stated) change_cipher_spec',
    'S (stated) handshake (encrypted)',
  ]);
  // Each child is on its statement's line; a printed certificate spans its tree.
  const lines = text.split('\n');
  assert.match(lines[tls.children[1].startLine], /^ {4}TLSv1\.2 Record Layer: Handshake Protocol: Server Hello$/);
  assert.match(lines[tls.children[3].startLine], /^ +Certificate: 30/);
  assert.ok(tls.children[3].endLine - tls.children[3].startLine > 40);
  assert.match(computeDocumentSymbols(a)[0].detail, /^port 465 · TLS 1\.2 · TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 \(stated\)$/);
  // Where the records are decoded, their statements are not listed again: curl --trace states each record
  // ("TLSv1.3 (OUT), TLS handshake, Client hello (1):") above its bytes.
  const trace = analyzeDocument(readFileSync(join(__dirname, '..', 'fixtures', 'curl-trace', 'curl-trace-tls12.txt'), 'utf8'));
  assert.ok(trace.sessions[0].session.events.filter((e) => e.kind === 'stated' && e.subject !== 'alert').length >= 9);
  const children = findSessionPhases(trace, 0).flatMap((p) => p.children);
  assert.ok(children.some((c) => c.name === 'ClientHello' && c.detail === 'C'));
  assert.equal(children.filter((c) => c.detail.includes('(stated)')).length, 0);
});

test('outline: a tool\'s verdict on the server certificate sits in the TLS phase (posttls-finger against an expired certificate, mta-verdicts)', () => {
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'mta-verdicts', 'posttls-finger-expired.txt'), 'utf8');
  const phases = findSessionPhases(analyzeDocument(text), 0);
  const tls = phases.find((p) => p.name === 'TLS handshake');
  assert.ok(tls);
  assert.deepEqual(
    (tls.children ?? []).map((c) => `${c.name} | ${c.detail}`),
    ['Certificate verdict: certificate has expired | posttls-finger (stated)'],
  );
});
