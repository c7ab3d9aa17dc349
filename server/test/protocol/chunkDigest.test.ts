/**
 * A chunk's digest is kept packed (typed arrays and flat strings): what it gives back equals what
 * the features compute on the analysis, whatever the text of names and details (NUL, non-Latin-1,
 * empty strings), and nothing of the outline, folding ranges or code lenses is lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { digestChunk } from '../../src/chunkRouting';
import { computeDocumentSymbols } from '../../src/core/features/symbols';
import { computeFoldingRanges } from '../../src/core/features/folding';
import { computeCodeLenses } from '../../src/core/features/codeLens';
import { computeDocumentLinks } from '../../src/core/features/documentLinks';
import { readSample } from '../helpers/samples';

test('a packed digest gives back the outline, folding ranges, code lenses and links of its analysis', () => {
  const odd = 'S: 220 mx.example \u0000 ready \u2192 \u00e9\uD83D\uDE00\nC: EHLO \u0000\u00e9\u2192 client\nS: 250 ok\nC: MAIL FROM:<a\u0000b@\u00e9.example>\nS: 250 ok\nC: DATA\nS: 354 go\nC: .\nS: 250 queued\n# see RFC 3207 section 4\nC: QUIT\nS: 221 bye\n';
  for (const text of [odd, readSample('openssl-tls12-clean.transcript') + '\n' + readSample('ssl3-hello.transcript'), '', '# only a comment\n# and another\n']) {
    const analysis = analyzeDocument(text);
    const digest = digestChunk(analysis);
    const outline = computeDocumentSymbols(analysis);
    assert.deepEqual(digest.outline, outline);
    assert.deepEqual(digest.folding, computeFoldingRanges(analysis));
    assert.deepEqual(digest.lenses, computeCodeLenses(analysis));
    assert.deepEqual(digest.links, computeDocumentLinks(analysis));
    // Read twice: unpacking leaves the digest as it was.
    assert.deepEqual(digest.outline, outline);
    if (text === odd) assert.ok(JSON.stringify(outline).includes('\\u0000'), 'the odd text reaches the outline');
  }
});
