/**
 * TLS secrets in a log (analysis/tlsSecrets.ts, features/tlsSecretNotes.ts): found in real
 * openssl s_client output (Master-Key of TLS 1.2, Resumption PSK of TLS 1.3) and key logs
 * written by openssl -keylogfile; explained on hover without their value; masked by
 * "Redact secrets". The fixtures' README files give the commands that produced them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { findTlsSecrets, secretOnLine } from '../../src/core/analysis/tlsSecrets';
import { computeCodeActions } from '../../src/core/features/codeActions';
import { computeHover } from '../../src/core/features/hover';
import { getTlsSecrets, tlsSecretOnLine } from '../../src/core/features/tlsSecretNotes';
import { LineIndex } from '../../src/core/text/lineIndex';
import { applyEdits } from './helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const read = (rel: string): string => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');

/** The hex after `label: ` on its line, as the tool printed it. */
const valueOf = (text: string, label: string): string => new RegExp(`^\\s*${label}: ([0-9A-F]+)$`, 'm').exec(text)![1];

test('s_client TLS 1.2 (-debug): the Master-Key value, one secret', () => {
  const text = read('openssl-debug/s_client-debug-alpn-tls12.txt');
  const secrets = findTlsSecrets(text, new LineIndex(text));
  assert.deepEqual(secrets.map((s) => [s.kind, s.label, text.slice(s.start, s.end)]), [['master-key', 'Master-Key', valueOf(text, 'Master-Key')]]);
});

test('s_client TLS 1.3 (-msg): the Resumption PSK of each session block', () => {
  const text = read('tls/tls13-postfix.msg.txt');
  const secrets = findTlsSecrets(text, new LineIndex(text));
  const expected = [...text.matchAll(/^\s*Resumption PSK: ([0-9A-F]+)$/gm)].map((m) => m[1]);
  assert.ok(expected.length >= 1);
  assert.deepEqual(secrets.map((s) => [s.kind, text.slice(s.start, s.end)]), expected.map((v) => ['resumption-psk', v]));
});

test('a key log written by openssl -keylogfile: the secret of every line, not its client random', () => {
  const text = read('tls/tls13-postfix.keylog');
  const lines = text.split('\n').filter((l) => /^[A-Z]/.test(l));
  const secrets = findTlsSecrets(text, new LineIndex(text));
  assert.equal(secrets.length, lines.length);
  secrets.forEach((s, k) => {
    const [label, random, secret] = lines[k].split(' ');
    assert.equal(s.label, label);
    assert.equal(text.slice(s.start, s.end), secret);
    assert.ok(!text.slice(s.start, s.end).includes(random));
  });
});

test('no secret: empty values, prose, labels inside other lines, masked values', () => {
  const text = [
    '    Master-Key: ',
    '    Master-Key: ********',
    'The key exchange is RSA key transport; see CLIENT_RANDOM in the docs.',
    'S: 250 CLIENT_RANDOM 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef 00112233',
    'CLIENT_RANDOM 0123 4567',
    '    Session-ID: 28143994FFF1D620C84E6BAAABF49021F77DA7B97FBFAF867DE5B896285A82F9',
    '',
  ].join('\n');
  assert.deepEqual(findTlsSecrets(text, new LineIndex(text)), []);
  assert.equal(secretOnLine('    Master-Key: ABCDEF0123456789', 100, 7)?.start, 116);
  assert.equal(secretOnLine('RSA 0123456789abcdef 00112233aabb', 0, 0)?.label, 'RSA');
  assert.equal(secretOnLine('Master-Key: 0123456789ABCDEF and more', 0, 0), null);
});

test('hover on a secret line explains it and never shows it; the redaction masks every secret of the document', () => {
  const text = read('tls/tls13-postfix.msg.txt');
  const a = analyzeDocument(text);
  const secret = getTlsSecrets(a)[0];
  const value = text.slice(secret.start, secret.end);
  assert.equal(tlsSecretOnLine(a, secret.line), secret);
  assert.equal(tlsSecretOnLine(a, secret.line + 1), undefined);
  for (const at of [a.lines.lineStart(secret.line) + 5, secret.start + 3]) {
    const h = computeHover(a, at);
    assert.ok(h);
    assert.match(h.markdown, /^\*\*TLS secret: `Resumption PSK`\*\* \(masked here\)/);
    assert.match(h.markdown, /Redact secrets/);
    assert.ok(!h.markdown.includes(value.slice(0, 16)));
  }
  // Offered on the secret's line, not elsewhere.
  const none = computeCodeActions(a, { span: { start: 0, end: 0 }, diagnostics: [] });
  assert.ok(!none.some((x) => x.title.startsWith('Redact secrets')));
  const actions = computeCodeActions(a, { span: { start: secret.start, end: secret.start }, diagnostics: [] });
  const redact = actions.find((x) => x.title.startsWith('Redact secrets'));
  assert.ok(redact, JSON.stringify(actions.map((x) => x.title)));
  assert.equal(redact.title, `Redact secrets (${getTlsSecrets(a).length} line${getTlsSecrets(a).length === 1 ? '' : 's'})`);
  const redacted = applyEdits(text, redact.edits);
  assert.ok(!redacted.includes(value));
  assert.match(redacted, /^ {4}Resumption PSK: \*{8}$/m);
  assert.deepEqual(findTlsSecrets(redacted, new LineIndex(redacted)), []);
  // The redacted log reads the same: same findings.
  assert.deepEqual(analyzeDocument(redacted).findings.map((f) => f.rule), a.findings.map((f) => f.rule));
});

test('msmtp --debug prints its passwordeval command (here the password itself): found, explained masked, redacted; its "password = *" is msmtp\'s own mask', () => {
  const text = read('msmtp/msmtp-auth-plain.txt');
  const secrets = findTlsSecrets(text, new LineIndex(text));
  assert.deepEqual(secrets.map((s) => [s.kind, s.label, text.slice(s.start, s.end)]), [['password', 'passwordeval', 'echo s3cret-pass']]);
  assert.match(text, /^password = \*$/m);
  const a = analyzeDocument(text);
  const h = computeHover(a, secrets[0].start + 2);
  assert.ok(h && h.markdown.startsWith('**Secret: `passwordeval`** (masked here)') && !h.markdown.includes('s3cret'), h?.markdown);
  const redact = computeCodeActions(a, { span: { start: secrets[0].start, end: secrets[0].start }, diagnostics: [] }).find((x) => x.title.startsWith('Redact secrets'));
  assert.ok(redact);
  const redacted = applyEdits(text, redact.edits);
  assert.match(redacted, /^passwordeval = \*{8}$/m);
  assert.ok(!redacted.includes('s3cret-pass'));
  assert.deepEqual(findTlsSecrets('password = (not set)\npasswordeval = (not set)\n', new LineIndex('password = (not set)\npasswordeval = (not set)\n')), []);
});
