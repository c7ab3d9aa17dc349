/** Line starts (LF, CR LF, lone CR), the LineIndex built on them, and DocumentLines agreeing with it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findLineStarts, LineIndex } from '../../src/core/text/lineIndex';
import { DocumentLines } from '../../src/core/formats/documentLines';
import { seededRandom } from '../tls/helpers';

/** The definition, character by character. */
function referenceStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

test('findLineStarts: LF-only, CR LF, lone CR, a break at the very end, an empty text, and random mixes', () => {
  assert.deepEqual([...findLineStarts('')], [0]);
  assert.deepEqual([...findLineStarts('a\nbc\n')], [0, 2, 5]);
  assert.deepEqual([...findLineStarts('a\r\nb\rc\n\r')], [0, 3, 5, 7, 8]);
  const rnd = seededRandom(7);
  const alphabet = ['a', 'b', ' ', '\n', '\r', '\r\n'];
  for (let k = 0; k < 300; k++) {
    let text = '';
    const n = Math.floor(rnd() * 3000);
    for (let i = 0; i < n; i++) text += alphabet[Math.floor(rnd() * (k % 2 === 0 ? 4 : alphabet.length))];
    assert.deepEqual([...findLineStarts(text)], referenceStarts(text), JSON.stringify(text.slice(0, 60)));
  }
});

test('LineIndex and DocumentLines agree on lines, ends and positions', () => {
  const text = 'C: EHLO x\r\nS: 250 ok\rS: 221 bye\n\nlast';
  const index = new LineIndex(text);
  const doc = new DocumentLines(text);
  assert.equal(index.lineCount, 5);
  assert.equal(doc.count, 5);
  for (let i = 0; i < doc.count; i++) {
    assert.equal(index.lineStart(i), doc.start(i));
    assert.equal(index.lineEnd(i), doc.end(i));
  }
  assert.deepEqual(index.positionAt(12), { line: 1, character: 1 });
  assert.equal(index.offsetAt({ line: 2, character: 99 }), doc.end(2));
  assert.equal(index.lineAt(text.length), 4);
  assert.equal(doc.lineAt(text.length), 4);
  assert.equal(doc.content(3), '');
});
