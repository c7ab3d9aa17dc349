/** Credentials in a decrypted SMTP dialogue, masked by the import (capture/innerCredentials.ts). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { InnerCredentialMask } from '../../src/core/capture/innerCredentials';

test('AUTH PLAIN with an initial response: the response is masked, character for character', () => {
  const m = new InnerCredentialMask();
  assert.equal(m.client('EHLO x'), 'EHLO x');
  assert.equal(m.client('AUTH PLAIN AGFsaWNlAHMzY3JldA=='), `AUTH PLAIN ${'*'.repeat(20)}`);
  // Pipelined after it (no 334 came): a command, not a credential.
  assert.equal(m.client('MAIL FROM:<a@b>'), 'MAIL FROM:<a@b>');
  assert.equal(m.masked, 1);
});

test('AUTH LOGIN: each line answering a 334 is masked; a 235 ends the exchange', () => {
  const m = new InnerCredentialMask();
  assert.equal(m.client('AUTH LOGIN'), 'AUTH LOGIN');
  m.server('334 VXNlcm5hbWU6');
  assert.equal(m.client('Ym9iYnk='), '********');
  m.server('334 UGFzc3dvcmQ6');
  assert.equal(m.client('aHVudGVyMg=='), '************');
  m.server('235 2.7.0 Authentication successful');
  assert.equal(m.client('MAIL FROM:<bobby@x>'), 'MAIL FROM:<bobby@x>');
  assert.equal(m.masked, 2);
});

test('a 334 outside an AUTH exchange, and a rejected AUTH, mask nothing more', () => {
  const m = new InnerCredentialMask();
  m.server('334 odd');
  assert.equal(m.client('NOOP'), 'NOOP');
  assert.equal(m.client('AUTH CRAM-MD5'), 'AUTH CRAM-MD5');
  m.server('504 5.5.4 Unrecognized authentication type');
  m.server('334 late');
  assert.equal(m.client('QUIT'), 'QUIT');
  assert.equal(m.masked, 0);
});

test('a client that sends its AUTH answers before the 334s: as many lines as the mechanism takes, and no more', () => {
  // printf 'AUTH LOGIN\r\n<user>\r\n<password>\r\nMAIL ...' | openssl s_client: every line before any reply.
  const login = new InnerCredentialMask();
  assert.equal(login.client('AUTH LOGIN'), 'AUTH LOGIN');
  assert.equal(login.client('Ym9iYnk='), '********');
  assert.equal(login.client('aHVudGVyMg=='), '************');
  assert.equal(login.client('MAIL FROM:<a@b>'), 'MAIL FROM:<a@b>');
  login.server('334 VXNlcm5hbWU6');
  login.server('334 UGFzc3dvcmQ6');
  login.server('235 2.7.0 ok');
  login.server('250 ok');
  assert.equal(login.client('QUIT'), 'QUIT', 'the 334s were answered already');
  // PLAIN without a response: one line.
  const plain = new InnerCredentialMask();
  plain.client('AUTH PLAIN');
  assert.equal(plain.client('AGFsaWNlAHMzY3JldA=='), '*'.repeat(20));
  assert.equal(plain.client('MAIL FROM:<a@b>'), 'MAIL FROM:<a@b>');
  // A mechanism of unknown shape: every line up to the server's first reply.
  const other = new InnerCredentialMask();
  other.client('AUTH SCRAM-SHA-256');
  assert.equal(other.client('biwsbj11c2Vy'), '************');
  other.server('334 cj1meWtv');
  assert.equal(other.client('Yz1iaXdz'), '********');
  other.server('235 ok');
  assert.equal(other.client('MAIL FROM:<a@b>'), 'MAIL FROM:<a@b>');
});
