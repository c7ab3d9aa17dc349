/**
 * `decode` says which client lines are no commands (message text after a 354, answers to AUTH
 * challenges) and which SMTP lines travel inside TLS, in JSON (added fields) and in the text tree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { toDecodeJson } from '../../src/core/export/decodeJson';
import { formatDecodeText } from '../../src/core/export/decodeText';

type Event = Record<string, unknown>;
const events = (text: string): Event[] =>
  (toDecodeJson(analyzeDocument(text)) as { sessions: { events: Event[] }[] }).sessions.flatMap((s) => s.events);

// swaks --tls against the lab's postfix (the shared corpus session, command in its facts.json).
const SWAKS = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'corpus', 'sessions', 'swaks-starttls', 'swaks.txt'), 'utf8');

test('swaks: the message after the 354 is message text, everything after the handshake inside TLS', () => {
  const all = events(SWAKS);
  const commands = all.filter((e) => e.kind === 'command');
  const data = commands.filter((e) => e.dataLine === true);
  // Date, To, From, Subject, Message-Id, X-Mailer, blank, body, blank, blank, "." (swaks prints them all).
  assert.equal(data.length, 11);
  assert.deepEqual([data[0].verb, data[data.length - 1].verb], ['DATE:', '.']);
  assert.deepEqual(
    commands.filter((e) => e.dataLine !== true).map((e) => `${e.verb}${e.inTls ? ' (TLS)' : ''}`),
    ['EHLO', 'STARTTLS', 'EHLO (TLS)', 'MAIL (TLS)', 'RCPT (TLS)', 'DATA (TLS)', 'QUIT (TLS)'],
  );
  const replies = all.filter((e) => e.kind === 'reply');
  assert.deepEqual(replies.map((e) => e.inTls === true), [false, false, false, true, true, true, true, true, true]);
  // Fields are only added where they hold: a clear command has none of them.
  assert.deepEqual(Object.keys(commands[0]), ['kind', 'line', 'verb', 'argument']);

  const text = formatDecodeText('swaks.txt', analyzeDocument(SWAKS));
  assert.match(text, /\] C \(message text\): Date: /);
  assert.match(text, /\] C \(end of message text\): \.\n/);
  assert.match(text, /\] C: DATA\n/);
  // One mark where the dialogue enters TLS, before the EHLO that follows the handshake.
  assert.equal(text.split('-- SMTP inside TLS from here --').length, 2);
  assert.match(text, /-- SMTP inside TLS from here --\n {4}\[line \d+\] C: EHLO client\.feas\.test/);
});

// Crafted: AUTH LOGIN with user "bob" (Ym9i) and password "secret" (c2VjcmV0) in base64.
const AUTH = [
  'S: 220 mx ESMTP', 'C: EHLO a', 'S: 250-mx', 'S: 250 AUTH LOGIN', 'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6',
  'C: Ym9i', 'S: 334 UGFzc3dvcmQ6', 'C: c2VjcmV0', 'S: 235 ok', 'C: QUIT', 'S: 221 bye', '',
].join('\n');

test('AUTH LOGIN: the answers to the 334s are AUTH responses, masked in both formats', () => {
  const commands = events(AUTH).filter((e) => e.kind === 'command');
  assert.deepEqual(commands.map((e) => e.authPayload === true), [false, false, true, true, false]);
  const text = formatDecodeText('auth.txt', analyzeDocument(AUTH));
  assert.equal(text.match(/\] C \(AUTH response\): \*+\n/g)?.length, 2);
  for (const secret of ['Ym9i', 'c2VjcmV0']) {
    assert.ok(!text.includes(secret));
    assert.ok(!JSON.stringify(events(AUTH)).includes(secret));
  }
  // Never in TLS: no mark at all.
  assert.ok(!text.includes('-- SMTP'));
});
