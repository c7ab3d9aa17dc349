/**
 * s-nail -vv (server/test/fixtures/s-nail/make-fixtures.sh, against the mail lab): the dialogue is the one Postfix's
 * smtpd logged of the same connection; the TLS version and suite it states are judged; the password it prints
 * before connecting is a secret.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { isSnailConnecting } from '../../src/core/formats/snailVerbose';
import { secretOnLine } from '../../src/core/analysis/tlsSecrets';
import { checkSnailAuth, checkSnailStarttls, checkSnailTls10, checkSnailTwoRuns } from '../helpers/snailRuns';

const DIR = path.join(__dirname, '..', 'fixtures', 's-nail');

test('s-nail -vv: the dialogue is the one Postfix logged of the same connection, inside TLS after s-nail\'s `TLS connection using` line, TLS 1.3 stated, no finding', () => {
  checkSnailStarttls(DIR);
});

test('s-nail -vv with TLS 1.0 only: `TLS connection using TLSv1 / ECDHE-RSA-AES256-SHA` is tls-deprecated-version on its words', () => {
  checkSnailTls10(DIR);
});

test('s-nail -vv with an account: the password on its Credentials line is a secret, in no hover, decode or message', () => {
  checkSnailAuth(DIR);
});

test('s-nail -vv: two runs appended are two sessions on their ports, a chunk starting at each `Connecting to`', () => {
  checkSnailTwoRuns(DIR);
});

test('isSnailConnecting and the Credentials secret: s-nail\'s own lines only; an empty password is none', () => {
  assert.equal(isSnailConnecting('s-nail: Connecting to 127.0.0.1:2526 ... connected.', 0, 52), true);
  assert.equal(isSnailConnecting('s-nail: Connecting to [::1]:25 ... ', 0, 35), true);
  for (const l of ['Connecting to 127.0.0.1:25 ... connected.', 's-nail: Resolving host 127.0.0.1:25 ... done', 'msmtp: Connecting to x:25 ...']) assert.equal(isSnailConnecting(l, 0, l.length), false, l);
  const line = 's-nail: Credentials: host mx.example.test:587, user ann, pass hunter2, too';
  const secret = secretOnLine(line, 10, 3);
  assert.deepEqual(secret && { value: line.slice(secret.start - 10, secret.end - 10), kind: secret.kind, label: secret.label }, { value: 'hunter2, too', kind: 'password', label: 'pass' });
  const trailing = 's-nail: Credentials: host x:25, user y, pass hunter2 \t ';
  const t = secretOnLine(trailing, 0, 0);
  assert.equal(t && trailing.slice(t.start, t.end), 'hunter2');
  assert.equal(secretOnLine("s-nail: Credentials: host 127.0.0.1:25, user root, pass ''", 0, 0), null);
  // Not s-nail's line.
  assert.equal(secretOnLine('Credentials: host x:25, user y, pass z', 0, 0), null);
  // TLS before the greeting (smtps://): every line inside TLS.
  const smtps = ['s-nail: Connecting to 127.0.0.1:465 ... connected.', 's-nail: TLS connection using TLSv1.3 / TLS_AES_256_GCM_SHA384', 's-nail: >>> SERVER: 220 mx ESMTP', 's-nail: >>> EHLO c', 's-nail: >>> SERVER: 250 mx', ''].join('\n');
  const s = readTranscript(smtps).sessions[0];
  assert.equal(s.port, 465);
  assert.ok(s.events.filter((e) => e.kind === 'command' || e.kind === 'reply').every((e) => (e.kind === 'command' || e.kind === 'reply') && e.inTls));
});
