/** SMTP line parsing, and wire-read lines built as single literals equal (keys in order) to the spread they replace. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createByteView } from '../../src/core/bytes/byteView';
import { parseCommandText, parseReplyText, withWireCommand, withWireReply } from '../../src/core/formats/smtpLines';

const VIEW = createByteView(new Uint8Array([0x51]), new Int32Array([7]));

test('withWireCommand: same keys, order and values as { ...event, lineEnding, view }, data lines included', () => {
  for (const dataLine of [false, true]) {
    const e = parseCommandText('MAIL FROM:<a@b>', 3, { start: 10, end: 25 }, true, dataLine);
    for (const view of [undefined, VIEW]) {
      const expected = view ? { ...e, lineEnding: '\r\n', view } : { ...e, lineEnding: '\r\n' };
      const got = withWireCommand(e, '\r\n', view);
      assert.deepEqual(got, expected);
      assert.deepEqual(Object.keys(got), Object.keys(expected));
    }
  }
  assert.equal(parseCommandText('ehlo x', 0, { start: 0, end: 6 }, false, false).verb, 'EHLO');
});

test('withWireReply: same keys, order and values as { ...reply, lineEnding, view }, with and without an enhanced code', () => {
  for (const content of ['250 2.1.0 Ok', '250-PIPELINING', '25O bad']) {
    const r = parseReplyText(content, 4, { start: 0, end: content.length });
    for (const view of [undefined, VIEW]) {
      const expected = view ? { ...r, lineEnding: '\n', view } : { ...r, lineEnding: '\n' };
      const got = withWireReply(r, '\n', view);
      assert.deepEqual(got, expected);
      assert.deepEqual(Object.keys(got), Object.keys(expected));
    }
  }
  assert.equal(parseReplyText('250 2.1.0 Ok', 0, { start: 0, end: 12 }).enhancedCode, '2.1.0');
  assert.equal(parseReplyText('25O bad', 0, { start: 0, end: 7 }).codeText, '25O');
});

test('a one-word line ended by stray CRs is that command; a "." keeps its CR (an end of data must be exactly CRLF.CRLF)', () => {
  // openssl s_client -crlf fed lines that already end in CR LF sends "QUIT" CR CR LF (the live stage's sessions).
  const span = { start: 0, end: 5 };
  assert.equal(parseCommandText('QUIT\r', 0, span, true, false).verb, 'QUIT');
  assert.equal(parseCommandText('quit\r\r', 0, span, true, false).verb, 'QUIT');
  assert.equal(parseCommandText('.\r', 0, span, true, false).verb, '.\r');
  assert.equal(parseCommandText('EHLO x\r', 0, span, true, false).argument, 'x\r');
  assert.equal(parseCommandText('A\rB\r', 0, span, true, false).verb, 'A\rB\r');
});
