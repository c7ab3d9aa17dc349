/** The fixed shapes of SASL mechanisms in SMTP AUTH (formats/saslMechanisms.ts). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { saslLinesBeforeChallenge } from '../../src/core/formats/saslMechanisms';

test('lines a mechanism sends after AUTH when no 334 came before them', () => {
  assert.equal(saslLinesBeforeChallenge('PLAIN', false), 1);
  assert.equal(saslLinesBeforeChallenge('plain', true), 0);
  assert.equal(saslLinesBeforeChallenge('LOGIN', false), 2);
  assert.equal(saslLinesBeforeChallenge('Login', true), 1);
  assert.equal(saslLinesBeforeChallenge('CRAM-MD5', false), 1);
  assert.equal(saslLinesBeforeChallenge('SCRAM-SHA-256', false), null);
  assert.equal(saslLinesBeforeChallenge('XOAUTH2', true), null);
});
