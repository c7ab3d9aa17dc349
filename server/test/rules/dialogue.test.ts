/** buildDialogue: replies paired in order, and what each line was pipelined behind. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { buildDialogue, capitalize, describeCommand, describeStep, isTlsRecordText } from '../../src/core/rules/dialogue';

function dialogueOf(lines: string[]) {
  return buildDialogue(readTranscript(lines.join('\n') + '\n').sessions[0]);
}

test('buildDialogue: pipelined lines know how many lines wait, the oldest, the newest and whether a RCPT is among them', () => {
  const d = dialogueOf([
    'S: 220 mx.example.test ESMTP',
    'C: EHLO client.example.test', // 0: nothing waiting
    'S: 250 PIPELINING',
    'C: MAIL FROM:<a@example.test>', // 1
    'C: RCPT TO:<b@example.test>', // 2: behind MAIL
    'C: DATA', // 3: behind MAIL and RCPT
    'S: 250 ok', // answers MAIL
    'S: 250 ok', // answers RCPT
    'C: NOOP', // 4: behind DATA only (no RCPT waiting any more)
    'S: 354 go on', // answers DATA
    'S: 250 ok', // answers NOOP
  ]);
  assert.ok(d.greeting);
  const [ehlo, mail, rcpt, data, noop] = d.steps;
  assert.deepEqual(
    d.steps.map((s) => [s.command.verb, s.waitingCount, s.firstWaiting?.command.verb ?? null, s.lastWaiting?.command.verb ?? null, s.waitingForRcpt]),
    [
      ['EHLO', 0, null, null, false],
      ['MAIL', 0, null, null, false],
      ['RCPT', 1, 'MAIL', 'MAIL', false],
      ['DATA', 2, 'MAIL', 'RCPT', true],
      ['NOOP', 1, 'DATA', 'DATA', false],
    ],
  );
  assert.equal(ehlo.reply?.code, 250);
  assert.equal(mail.reply?.code, 250);
  assert.equal(rcpt.reply?.code, 250);
  assert.equal(data.reply?.code, 354);
  assert.equal(noop.reply?.code, 250);
});

test('buildDialogue: unanswered lines pile up; a reply without a pending line pairs with nothing', () => {
  const d = dialogueOf(['S: 220 mx.example.test ESMTP', 'C: NOOP', 'C: NOOP', 'C: NOOP', 'S: 250 ok', 'S: 250 ok', 'S: 250 ok', 'S: 250 extra']);
  assert.deepEqual(
    d.steps.map((s) => s.waitingCount),
    [0, 1, 2],
  );
  assert.equal(d.steps[2].firstWaiting, d.steps[0]);
  assert.equal(d.steps[2].lastWaiting, d.steps[1]);
  assert.ok(d.steps.every((s) => s.reply?.code === 250));
});

test('buildDialogue: the line after a 334 to AUTH is a SASL response, not a command', () => {
  const d = dialogueOf(['S: 220 mx.example.test ESMTP', 'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: dXNlcg==', 'S: 235 ok']);
  assert.deepEqual(
    d.steps.map((s) => s.sasl),
    [false, true],
  );
});

test('describeCommand / describeStep: quoted and shortened, AUTH payloads masked, control characters escaped, an empty line named', () => {
  const d = dialogueOf(['S: 220 mx.example.test ESMTP', 'C: EHLO client.example.test', 'C: AUTH PLAIN AGJvYgBwdw==', 'C: ', `C: MAIL FROM:<${'a'.repeat(80)}@example.test>`, 'C: \u0000IT']);
  assert.deepEqual(d.steps.map((s) => describeStep(s)), [
    '"EHLO client.example.test"',
    '"AUTH PLAIN <initial response masked>"',
    'an empty line',
    `"MAIL FROM:<${'a'.repeat(46)}..."`,
    '"\\x00IT"',
  ]);
  assert.equal(describeCommand(d.steps[0].command), '"EHLO client.example.test"');
  assert.equal(capitalize('an empty line'), 'An empty line');
  assert.equal(capitalize('"QUIT"'), '"QUIT"');
  assert.equal(capitalize(''), '');
});

test('isTlsRecordText: a record header (content type 20-23, version 3.0-3.4) written as text; near misses are not', () => {
  for (const t of ['\x16\x03\x01\x01$', '\x15\x03\x03', '\x17\x03\x04', '\x14\x03\x00']) assert.equal(isTlsRecordText(t), true, JSON.stringify(t));
  for (const t of ['\x16\x04\x01', '\x18\x03\x01', '\x16\x03\x05', '\x16\x03', 'EHLO', '', '\x80\x2b\x01']) assert.equal(isTlsRecordText(t), false, JSON.stringify(t));
});

test('buildDialogue: message text sent before the 354 (the whole message, up to its ".") is message text, and "." gets its reply', () => {
  // openssl s_client fed by printf inside TLS (server/test/fixtures/keylog/ossl-tls13-aes256, decrypted):
  // every client line leaves before the first reply; postfix answered 354 and queued the message.
  const lines = ['S: 220 mx', 'C: EHLO c', 'C: MAIL FROM:<a@b>', 'C: RCPT TO:<c@d>', 'C: DATA', 'C: Subject: x', 'C: ', 'C: hello', 'C: .', 'C: QUIT'];
  const d = dialogueOf([...lines, 'S: 250 mx', 'S: 250 ok', 'S: 250 ok', 'S: 354 go', 'S: 250 queued', 'S: 221 bye']);
  assert.deepEqual(
    d.steps.map((s) => [s.command.verb, s.endOfData, s.reply?.code ?? null]),
    [
      ['EHLO', false, 250],
      ['MAIL', false, 250],
      ['RCPT', false, 250],
      ['DATA', false, 354],
      ['.', true, 250],
      ['QUIT', false, 221],
    ],
  );
  // The model says so too (message text lines), and a line sent after the 354 is a command again.
  const late = readTranscript([...lines.slice(0, -1), 'S: 250 mx', 'S: 250 ok', 'S: 250 ok', 'S: 354 go', 'S: 250 queued', 'C: QUIT', 'S: 221 bye', ''].join('\n')).sessions[0];
  assert.deepEqual(late.events.filter((e) => e.kind === 'command').map((e) => e.kind === 'command' && [e.verb, e.dataLine === true]), [
    ['EHLO', false], ['MAIL', false], ['RCPT', false], ['DATA', false], ['SUBJECT:', true], ['', true], ['HELLO', true], ['.', true], ['QUIT', false],
  ]);
  assert.deepEqual(buildDialogue(late).steps.map((s) => [s.command.verb, s.reply?.code ?? null]), [['EHLO', 250], ['MAIL', 250], ['RCPT', 250], ['DATA', 354], ['.', 250], ['QUIT', 221]]);
  // Refused (554): the server read those lines as commands, and so do the rules.
  const refused = dialogueOf([...lines, 'S: 250 mx', 'S: 250 ok', 'S: 250 ok', 'S: 554 no valid recipients', 'S: 500 unknown', 'S: 500 unknown', 'S: 500 unknown', 'S: 500 unknown', 'S: 221 bye']);
  assert.deepEqual(refused.steps.map((s) => s.command.verb), ['EHLO', 'MAIL', 'RCPT', 'DATA', 'SUBJECT:', '', 'HELLO', '.', 'QUIT']);
});

test('buildDialogue: two messages sent whole before the first reply are both message text, each "." with its reply', () => {
  // printf 'EHLO ... DATA ... . MAIL ... DATA ... . QUIT' | openssl s_client: every line leaves before the first reply.
  const lines = [
    'S: 220 mx', 'C: EHLO c',
    'C: MAIL FROM:<a@b>', 'C: RCPT TO:<c@d>', 'C: DATA', 'C: Subject: one', 'C: ', 'C: first', 'C: .',
    'C: MAIL FROM:<a@b>', 'C: RCPT TO:<e@f>', 'C: DATA', 'C: Subject: two', 'C: ', 'C: second', 'C: .',
    'C: QUIT',
    'S: 250 mx', 'S: 250 ok', 'S: 250 ok', 'S: 354 go', 'S: 250 queued 1',
    'S: 250 ok', 'S: 250 ok', 'S: 354 go', 'S: 250 queued 2', 'S: 221 bye',
  ];
  const session = readTranscript(lines.join('\n') + '\n').sessions[0];
  assert.deepEqual(
    session.events.filter((e) => e.kind === 'command').map((e) => e.kind === 'command' && [e.verb, e.dataLine === true]),
    [
      ['EHLO', false], ['MAIL', false], ['RCPT', false], ['DATA', false], ['SUBJECT:', true], ['', true], ['FIRST', true], ['.', true],
      ['MAIL', false], ['RCPT', false], ['DATA', false], ['SUBJECT:', true], ['', true], ['SECOND', true], ['.', true],
      ['QUIT', false],
    ],
  );
  assert.deepEqual(buildDialogue(session).steps.map((s) => [s.command.verb, s.reply?.code ?? null]), [
    ['EHLO', 250], ['MAIL', 250], ['RCPT', 250], ['DATA', 354], ['.', 250], ['MAIL', 250], ['RCPT', 250], ['DATA', 354], ['.', 250], ['QUIT', 221],
  ]);
  // The first message sent whole before its 354, the second sent after its own 354 (the client waited).
  const mixed = [
    'S: 220 mx', 'C: EHLO c',
    'C: MAIL FROM:<a@b>', 'C: RCPT TO:<c@d>', 'C: DATA', 'C: Subject: one', 'C: ', 'C: first', 'C: .',
    'C: MAIL FROM:<a@b>', 'C: RCPT TO:<e@f>', 'C: DATA',
    'S: 250 mx', 'S: 250 ok', 'S: 250 ok', 'S: 354 go', 'S: 250 queued 1', 'S: 250 ok', 'S: 250 ok', 'S: 354 go',
    'C: Subject: two', 'C: ', 'C: second', 'C: .', 'S: 250 queued 2', 'C: QUIT', 'S: 221 bye',
  ];
  assert.deepEqual(buildDialogue(readTranscript(mixed.join('\n') + '\n').sessions[0]).steps.map((s) => [s.command.verb, s.reply?.code ?? null]), [
    ['EHLO', 250], ['MAIL', 250], ['RCPT', 250], ['DATA', 354], ['.', 250], ['MAIL', 250], ['RCPT', 250], ['DATA', 354], ['.', 250], ['QUIT', 221],
  ]);
});
