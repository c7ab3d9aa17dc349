/** Credentials are collected from AUTH exchanges and scrubbed from strings and JSON. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { collectCredentialSecrets, createRedactor, redactJson } from '../../src/core/export/redact';
import { REPO } from '../helpers/lspClient';

const AUTH = fs.readFileSync(path.join(REPO, 'server/test/fixtures/cli/auth-plain-login.transcript'), 'utf8');

test('AUTH PLAIN initial response and AUTH LOGIN answers are secrets, encoded and decoded', () => {
  const secrets = collectCredentialSecrets(analyzeDocument(AUTH));
  for (const s of ['AGFsaWNlAHMzY3JldFBhc3M=', 'alice', 's3cretPass', 'Ym9iYnk=', 'bobby', 'aHVudGVyMlBX', 'hunter2PW']) {
    assert.ok(secrets.includes(s), s);
  }
  // Challenges from the server and ordinary commands are not secrets.
  for (const s of ['VXNlcm5hbWU6', 'Username:', 'MAIL FROM:<alice@example.test>', 'QUIT']) assert.ok(!secrets.includes(s), s);
});

test('a transcript without AUTH has no secrets and the redactor changes nothing', () => {
  const text = fs.readFileSync(path.join(REPO, 'samples/ssl3-hello.transcript'), 'utf8');
  const analysis = analyzeDocument(text);
  assert.deepEqual(collectCredentialSecrets(analysis), []);
  assert.equal(createRedactor(analysis)(text), text);
});

test('the redactor replaces every occurrence, in strings and nested JSON values', () => {
  const redact = createRedactor(analyzeDocument(AUTH));
  assert.equal(redact('C: AUTH PLAIN AGFsaWNlAHMzY3JldFBhc3M= (user alice)'), 'C: AUTH PLAIN *** (user ***)');
  assert.deepEqual(redactJson({ a: ['hunter2PW', 1, null, { b: 'x bobby y' }] }, redact), { a: ['***', 1, null, { b: 'x *** y' }] });
});

test('an AUTH exchange ends at the first reply that is not 334', () => {
  const text = 'S: 220 x\nC: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\nC: Ym9iYnk=\nS: 535 5.7.8 no\nC: NOOP-not-a-secret\nS: 250 ok\n';
  const secrets = collectCredentialSecrets(analyzeDocument(text));
  assert.ok(secrets.includes('Ym9iYnk='));
  assert.ok(!secrets.some((s) => s.includes('NOOP')));
});

test('commands pipelined after AUTH (replies shown later) are credentials only as far as the mechanism sends lines', () => {
  // openssl s_client fed by printf inside TLS (server/test/fixtures/keylog/ossl-tls13-aes256, decrypted): the
  // client sends everything before the first reply. PLAIN with its response sends nothing more.
  const plain = ['S: 220 mx', 'C: EHLO c', 'C: AUTH PLAIN AGJvYkBmZWFzLnRlc3QAbGFiLXRocm93YXdheS1wdw==', 'C: MAIL FROM:<bob@feas.test>', 'C: DATA', 'C: QUIT', 'S: 250 ok', 'S: 503 no', ''].join('\n');
  const secrets = collectCredentialSecrets(analyzeDocument(plain));
  assert.deepEqual(secrets.sort(), ['AGJvYkBmZWFzLnRlc3QAbGFiLXRocm93YXdheS1wdw==', 'bob@feas.test', 'lab-throwaway-pw'].sort());
  assert.equal(createRedactor(analyzeDocument(plain))('ClientHello, DATA, QUIT'), 'ClientHello, DATA, QUIT');
  // LOGIN without a response: the user name and the password, then MAIL is a command again.
  const login = ['S: 220 mx', 'C: AUTH LOGIN', 'C: Ym9iYnk=', 'C: aHVudGVyMlBX', 'C: MAIL FROM:<x@y>', 'S: 334 VXNlcm5hbWU6', ''].join('\n');
  assert.deepEqual(collectCredentialSecrets(analyzeDocument(login)).sort(), ['Ym9iYnk=', 'aHVudGVyMlBX', 'bobby', 'hunter2PW'].sort());
  // A mechanism of unknown shape keeps every line up to a reply other than 334 (the safe side).
  const other = ['S: 220 mx', 'C: AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjl0eXhkYQ==', 'C: Yz1iaXdzLHI9Znlr', 'S: 235 ok', ''].join('\n');
  assert.ok(collectCredentialSecrets(analyzeDocument(other)).includes('Yz1iaXdzLHI9Znlr'));
});
