/** The EHLO reply in force at each step of a dialogue (findEhloReply). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { findEhloReply, getDialogue } from '../../src/core/rules/checks/smtpDialogue';

test('findEhloReply: the last 250 to EHLO before the step, forgotten after HELO and after a 220 to STARTTLS', () => {
  const text = [
    'S: 220 mx.example.test ESMTP',
    'C: MAIL FROM:<a@example.test>', // 0: no EHLO yet
    'S: 503 greet first',
    'C: EHLO one.example.test', // 1
    'S: 250-mx.example.test',
    'S: 250 PIPELINING',
    'C: EHLO two.example.test', // 2: the first EHLO's reply
    'S: 550 no',
    'C: STARTTLS', // 3: still the first (the second was refused)
    'S: 220 ready',
    'C: NOOP', // 4: none after STARTTLS was accepted
    'S: 250 ok',
    'C: HELO three.example.test', // 5
    'S: 250 mx.example.test',
    'C: NOOP', // 6: none after HELO
    'S: 250 ok',
  ].join('\n');
  const a = analyzeDocument(text + '\n');
  const session = a.sessions[0];
  const steps = getDialogue(session).steps;
  assert.equal(steps.length, 7);
  const ehlo1 = steps[1].reply;
  assert.ok(ehlo1);
  assert.deepEqual(steps.map((st) => findEhloReply(session, st)), [null, null, ehlo1, ehlo1, null, null, null]);
});
