import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, type Analysis } from '../../src/core/analysis/analyzeDocument';
import { computeCodeActions, formatSessionSummary, DISABLE_NEXT_LINE, type CodeActionItem } from '../../src/core/features/codeActions';
import { CREDENTIAL_MASK } from '../../src/core/features/credentials';
import { listSamples, readSample } from '../helpers/samples';
import { applyEdits, AUTH_LINES, AUTH_SECRETS, offsetOf } from './helpers';

/**
 * Findings as the user sees them, independent of where lines moved: rule, severity, message (its line
 * numbers masked, since inserted comments move lines), and the text they point at.
 */
function describeFindings(a: Analysis): string[] {
  return a.findings.map((f) => `${f.rule} ${f.severity} ${f.message.replace(/\bline \d+/g, 'line N')} @${JSON.stringify(a.text.slice(f.span.start, f.span.end))}`);
}

function requestFor(_a: Analysis) {
  return (f: Analysis['findings'][number]) => ({ span: f.span, diagnostics: [{ code: f.rule, span: f.span }] });
}

/** The quick fix `title` offered on the first finding of `rule` (both must be there). */
function quickFixOn(a: Analysis, rule: string, title: string): CodeActionItem {
  const f = a.findings.find((x) => x.rule === rule);
  assert.ok(f, `a ${rule} finding`);
  const action = computeCodeActions(a, requestFor(a)(f)).find((x) => x.title === title);
  assert.ok(action, `"${title}" on ${rule}`);
  assert.equal(action.kind, 'quickfix');
  return action;
}

test('"Annotate with decoded summary" on the SSL 3.0 hello inserts the expected block under the dump', () => {
  const text = readSample('ssl3-hello.transcript');
  const a = analyzeDocument(text);
  const action = quickFixOn(a, 'tls-hello-version-below-3.1', 'Annotate with decoded summary');
  assert.deepEqual(action.diagnostics, [0]);
  const annotated = applyEdits(text, action.edits);
  const expected = [
    'C: 00 2f 00 0a 00 ff 01 00',
    '# smtptls: decoded ClientHello',
    '#   record version SSL 3.0 (0x0300), 51 bytes',
    '#   client_version: SSL 3.0 (0x0300)',
    '#   cipher_suites (4):',
    '#     0x0035 TLS_RSA_WITH_AES_256_CBC_SHA',
    '#     0x002f TLS_RSA_WITH_AES_128_CBC_SHA',
    '#     0x000a TLS_RSA_WITH_3DES_EDE_CBC_SHA',
    '#     0x00ff TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
    '#   compression_methods: null',
  ].join('\n');
  assert.ok(annotated.includes(expected), annotated);
  assert.match(annotated, /# {3}JA3: [0-9a-f]{32}\n# {3}JA4: t\S+\n# {3}finding: error tls-hello-version-below-3.1 \(RFC 7568 §3\)\nS: 15 03 00/);
  // Re-analysing the annotated file gives the same findings, and the action is not offered twice.
  const b = analyzeDocument(annotated);
  assert.deepEqual(describeFindings(b), describeFindings(a));
  const again = b.findings.find((x) => x.rule === 'tls-hello-version-below-3.1');
  assert.ok(again);
  assert.equal(computeCodeActions(b, requestFor(b)(again)).find((x) => x.title === 'Annotate with decoded summary'), undefined);
});

test('every sample annotated at every finding (and every session start) re-analyses to the same findings', () => {
  for (const name of listSamples()) {
    let text = readSample(name);
    const before = describeFindings(analyzeDocument(text));
    // Apply one annotation at a time, re-analysing in between, as a user would.
    for (let round = 0; round < 20; round++) {
      const a = analyzeDocument(text);
      const actions = [
        ...a.findings.flatMap((f) => computeCodeActions(a, requestFor(a)(f))),
        ...a.sessions.map((s) => a.lines.lineStart(s.session.startLine)).flatMap((o) => computeCodeActions(a, { span: { start: o, end: o }, diagnostics: [] })),
      ].filter((x) => x.title.startsWith('Annotate'));
      if (actions.length === 0) break;
      text = applyEdits(text, actions[0].edits);
    }
    // Every session the readers found got its summary block.
    const sessions = analyzeDocument(readSample(name)).sessions.length;
    assert.equal(text.split('# smtptls: session summary').length - 1, sessions, name);
    assert.deepEqual(describeFindings(analyzeDocument(text)), before, name);
  }
});

test('annotating a clean openssl -msg session (no finding) from the cursor keeps it clean', () => {
  const text = readSample('openssl-tls12-clean.transcript');
  const a = analyzeDocument(text);
  assert.equal(a.findings.length, 0);
  const at = offsetOf(text, '    01 00 00 b3 03 03');
  const action = computeCodeActions(a, { span: { start: at, end: at }, diagnostics: [] }).find((x) => x.title === 'Annotate with decoded summary');
  assert.ok(action);
  const annotated = applyEdits(text, action.edits);
  assert.match(annotated, /# smtptls: decoded ClientHello\n# {3}record version TLS 1\.0 \(0x0301\), 183 bytes\n# {3}client_version: TLS 1\.2 \(0x0303\)\n# {3}cipher_suites \(28\):/);
  assert.match(annotated, /# {3}extensions \(6\): ec_point_formats, supported_groups, session_ticket, encrypt_then_mac, extended_master_secret, signature_algorithms/);
  assert.match(annotated, /# {3}supported_groups: x25519, secp256r1, x448, secp521r1, secp384r1/);
  const b = analyzeDocument(annotated);
  assert.deepEqual(b.findings, []);
  assert.equal(b.sessions[0].tlsEvents.length, a.sessions[0].tlsEvents.length);
});

test('"Suppress <rule> here with a reason" inserts the directive above the line where the finding starts', () => {
  const text = readSample('ssl3-hello.transcript');
  const a = analyzeDocument(text);
  const f = a.findings[0];
  const action = computeCodeActions(a, requestFor(a)(f)).find((x) => x.title === `Suppress ${f.rule} here with a reason`);
  assert.ok(action);
  const edited = applyEdits(text, action.edits);
  const line = a.lines.lineAt(f.span.start);
  const lines = edited.split('\n');
  assert.match(lines[line], new RegExp(`^# ${DISABLE_NEXT_LINE} ${f.rule.replace(/\./g, '\\.')} -- \\S`));
  assert.equal(lines[line + 1], text.split('\n')[line]);
  const b = analyzeDocument(edited);
  assert.ok(!b.findings.some((x) => x.rule === f.rule), 'the rule engine honours the directive');
  const stillThere = b.findings.find((x) => x.rule === f.rule);
  assert.equal(stillThere, undefined);
});

test('a stale diagnostic (text changed since it was published) gets no action', () => {
  const text = readSample('ssl3-hello.transcript');
  const a = analyzeDocument(text);
  const f = a.findings[0];
  const moved = { start: f.span.start + 1, end: f.span.end + 1 };
  const actions = computeCodeActions(a, { span: moved, diagnostics: [{ code: f.rule, span: moved }] });
  assert.ok(!actions.some((x) => x.diagnostics.length > 0));
  assert.deepEqual(computeCodeActions(a, { span: f.span, diagnostics: [{ code: 'no-such-rule', span: f.span }] }).filter((x) => x.diagnostics.length > 0), []);
});

const AUTH_SESSION = [...AUTH_LINES, 'C: QUIT', 'S: 221 2.0.0 Bye', ''].join('\r\n');

test('"Redact credentials" on an AUTH line masks every payload and nothing else', () => {
  const a = analyzeDocument(AUTH_SESSION);
  const at = offsetOf(AUTH_SESSION, 'C: AUTH LOGIN') + 4;
  const action = computeCodeActions(a, { span: { start: at, end: at }, diagnostics: [] }).find((x) => x.title.startsWith('Redact credentials'));
  assert.ok(action);
  assert.equal(action.title, 'Redact credentials (3 AUTH payloads)');
  const redacted = applyEdits(AUTH_SESSION, action.edits);
  assert.equal(
    redacted,
    AUTH_SESSION.replace('AGFsaWNlAHNlY3JldA==', CREDENTIAL_MASK).replace('C: YWxpY2U=', `C: ${CREDENTIAL_MASK}`).replace('C: c2VjcmV0', `C: ${CREDENTIAL_MASK}`),
  );
  // Offered only on AUTH lines; gone once everything is masked.
  const ehlo = offsetOf(AUTH_SESSION, 'C: EHLO');
  assert.ok(!computeCodeActions(a, { span: { start: ehlo, end: ehlo }, diagnostics: [] }).some((x) => x.title.startsWith('Redact')));
  const b = analyzeDocument(redacted);
  assert.ok(!computeCodeActions(b, { span: { start: at, end: at }, diagnostics: [] }).some((x) => x.title.startsWith('Redact')));
});

test('"Annotate session summary" at the session start: phases, negotiation, findings, no credentials', () => {
  const a = analyzeDocument(AUTH_SESSION);
  const action = computeCodeActions(a, { span: { start: 0, end: 0 }, diagnostics: [] }).find((x) => x.title === 'Annotate session summary');
  assert.ok(action);
  const edited = applyEdits(AUTH_SESSION, action.edits);
  assert.ok(edited.startsWith('# smtptls: session summary (lines 1-13)\r\n#   phases: Greeting 220 mx.example.test ESMTP, EHLO client.example.test → 250, AUTH PLAIN → 235, AUTH LOGIN → 235, QUIT → 221\r\n'), edited);
  for (const secret of AUTH_SECRETS) assert.ok(!edited.split('\r\n').filter((l) => l.startsWith('#')).join('\n').includes(secret));
  const summary = formatSessionSummary(analyzeDocument(readSample('ssl3-hello.transcript')), 0);
  assert.ok(summary.includes('#   negotiated: no TLS: handshake_failure alert'), summary.join('\n'));
  assert.ok(summary.includes('#     line 25: error tls-hello-version-below-3.1'), summary.join('\n'));
});

test('"Annotate with the certificate\'s summary" on a certificate s_client prints inserts its reading and findings under the block', () => {
  // Real s_client output (server/test/fixtures/certificates): a server certificate with a 1024-bit key.
  const text = readFileSync(path.join(__dirname, '..', 'fixtures', 'certificates', 'weak-key.plain.txt'), 'utf8');
  const a = analyzeDocument(text);
  const action = quickFixOn(a, 'tls-certificate-weak-key', "Annotate with the certificate's summary");
  const annotated = applyEdits(text, action.edits);
  assert.match(
    annotated,
    /-----END CERTIFICATE-----\n# smtptls: certificate printed above: CN=weak\.cert-lab\.test\n# {3}issuer: CN=Cert Lab Issuing CA, O=SMTP TLS Transcripts test\n# {3}key: RSA, 1024 bits; signature: sha256WithRSAEncryption\n# {3}valid: 20\d\d-.* to 20\d\d-.*\n# {3}names: DNS:weak\.cert-lab\.test\n# {3}serial: [0-9a-f]+\n# {3}key identifiers: subject (?:[0-9A-F]{2}:){19}[0-9A-F]{2}, authority (?:[0-9A-F]{2}:){19}[0-9A-F]{2}\n# {3}finding: warning tls-certificate-weak-key \(RFC 7525 §4\.3\)\nsubject=/,
  );
  // The annotated file reads the same, and the action is not offered twice; on the block without a finding it is a refactoring.
  const b = analyzeDocument(annotated);
  assert.deepEqual(describeFindings(b), describeFindings(a));
  const again = b.findings.find((x) => x.rule === 'tls-certificate-weak-key');
  assert.ok(again);
  assert.equal(computeCodeActions(b, requestFor(b)(again)).find((x) => x.title.startsWith('Annotate with the certificate')), undefined);
  const chain = readFileSync(path.join(__dirname, '..', 'fixtures', 'certificates', 'good-chain.showcerts.txt'), 'utf8');
  const at = chain.indexOf('-----BEGIN CERTIFICATE-----', chain.indexOf(' 1 s:'));
  const offered = computeCodeActions(analyzeDocument(chain), { span: { start: at + 3, end: at + 3 }, diagnostics: [] }).find((x) => x.title.startsWith('Annotate with the certificate'));
  assert.equal(offered?.kind, 'refactor.rewrite');
  assert.match(applyEdits(chain, offered!.edits), /# smtptls: certificate 1 of the chain printed above: CN=Cert Lab Issuing CA/);
});
