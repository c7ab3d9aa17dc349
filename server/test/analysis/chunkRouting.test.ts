/**
 * Whole-document features answered from the chunks' digests (no full analysis kept) equal the same
 * features run on each chunk's full analysis, including code lenses of chunks whose findings the
 * document's suppression comments change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import type { Analysis } from '../../src/core/analysis/analyzeDocument';
import { digestChunk, lensesOf, runOnDigests, shiftLines } from '../../src/chunkRouting';
import { provideDocumentSymbols, provideWorkspaceSymbols, toDocumentSymbols, toWorkspaceSymbols } from '../../src/features/documentSymbols';
import { provideFoldingRanges, toFoldingRanges } from '../../src/features/foldingRanges';
import { provideCodeLenses, toCodeLenses } from '../../src/features/codeLens';
import { provideDocumentLinks, toDocumentLinks } from '../../src/features/documentLinks';
import { readSample } from '../helpers/samples';

const URI = 'file:///tmp/digests.transcript';

/** The features on every chunk's full analysis (as features see it), moved to document lines. */
function onFullAnalyses<T>(doc: IncrementalAnalysis, feature: (a: Analysis) => T[]): T[] {
  return doc.chunks.flatMap((c) => shiftLines(feature(doc.analysisOf(c)), c.startLine));
}

test('outline, folding, code lenses, links and workspace symbols from digests equal those of full analyses', () => {
  const parts = ['ssl3-hello.transcript', 'sslv2-hello-tls10.transcript', 'sslv2-hello-ssl2.transcript', 'tls12-record-ssl3-legal.transcript'].map(readSample);
  // A block that hides tls-alert in the second and third sessions: their lenses count fewer findings than their own analyses.
  parts.splice(1, 0, '# smtptls-disable tls-alert -- see RFC 5246 section 7.2\n');
  parts.splice(4, 0, '# smtptls-enable tls-alert\n');
  const text = parts.join('\n');
  const digested = new IncrementalAnalysis({ baseline: 'current' }, { digest: digestChunk, keepAnalyses: 1 });
  digested.setText(text);
  digested.findings();
  const full = new IncrementalAnalysis({ baseline: 'current' });
  full.setText(text);
  assert.ok(digested.chunks.length >= 4);
  const changed = digested.chunks.filter((c) => digested.findingsOf(c) !== digested.summaryOf(c).findings);
  assert.ok(changed.length >= 1, 'a chunk whose findings the suppressions change');
  const before = digested.analysisCount;

  assert.deepEqual(runOnDigests(digested, (d, lines) => toDocumentSymbols(d.outline, lines)), onFullAnalyses(full, provideDocumentSymbols));
  assert.deepEqual(runOnDigests(digested, (d) => toFoldingRanges(d.folding)), onFullAnalyses(full, provideFoldingRanges));
  assert.deepEqual(runOnDigests(digested, (d, lines) => toDocumentLinks(d.links, lines)), onFullAnalyses(full, provideDocumentLinks));
  assert.deepEqual(
    runOnDigests(digested, (d, lines) => toWorkspaceSymbols(d.outline, lines, URI, 'tls', 1000)),
    onFullAnalyses(full, (a) => provideWorkspaceSymbols(a, URI, 'tls', 1000)),
  );
  assert.equal(digested.analysisCount, before, 'no chunk analysed again for these');
  const lenses = runOnDigests(digested, (_d, _lines, c) => toCodeLenses(lensesOf(digested, c)));
  assert.deepEqual(lenses, onFullAnalyses(full, provideCodeLenses));
  assert.ok(lenses.length >= 4);
});
