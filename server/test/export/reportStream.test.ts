/**
 * The report formats written piece by piece (reportStream.ts) against the whole-report
 * formatters: for every sample, the credentials fixture and a crafted document (a
 * message with line breaks, non-ASCII text), alone and together, each file's findings
 * cut into random batches whose locator knows only the batch's spans, the joined
 * pieces are byte for byte the whole report, in every format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { createCheckedFile, type CheckedFile, type FindingLocator } from '../../src/core/export/checkReport';
import { formatCheckJson } from '../../src/core/export/checkJson';
import { formatCheckText } from '../../src/core/export/checkText';
import { formatGithubAnnotations } from '../../src/core/export/githubAnnotations';
import { createReportStream, type ReportFormat } from '../../src/core/export/reportStream';
import { computeFindingFingerprints, createFingerprinter, formatSarif } from '../../src/core/export/sarif';
import type { Finding } from '../../src/core/rules/types';
import { REPO } from '../helpers/lspClient';
import { listSamples, readSample } from '../helpers/samples';

const SARIF = {
  toolVersion: '1.2.3',
  informationUri: 'https://example.test/smtptls',
  baseline: 'current' as const,
  exitCode: 1,
  locateArtifact: (p: string) => ({ uri: p.replace(/\\/g, '/'), uriBaseId: 'SRCROOT' }),
  uriBaseIds: { SRCROOT: 'file:///repo/' },
};

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A locator answering only for the spans of `findings` (what a streaming check hands on with a batch). */
function batchLocator(file: CheckedFile, findings: readonly Finding[]): FindingLocator {
  const known = new Set(findings.flatMap((f) => [f.span, ...(f.related ?? []).map((r) => r.span)]).map((s) => `${s.start}:${s.end}`));
  const check = (span: Finding['span']): void => assert.ok(known.has(`${span.start}:${span.end}`), `span ${span.start}:${span.end} is not in the batch`);
  return {
    rangeOf: (span) => (check(span), file.locate.rangeOf(span)),
    textOf: (span) => (check(span), file.locate.textOf(span)),
  };
}

function whole(format: ReportFormat, files: readonly CheckedFile[], color: boolean): string {
  switch (format) {
    case 'text':
      return formatCheckText(files, { color });
    case 'json':
      return formatCheckJson(files);
    case 'github':
      return formatGithubAnnotations(files);
    case 'sarif':
      return formatSarif(files, SARIF);
  }
}

function streamed(format: ReportFormat, files: readonly CheckedFile[], color: boolean, seed: number): { text: string; pieces: number } {
  const pieces: string[] = [];
  const stream = createReportStream(format, { color, sarif: SARIF }, (p) => pieces.push(p));
  const rnd = seeded(seed);
  for (const file of files) {
    stream.beginFile(file.path, file.redact);
    for (let at = 0; at < file.findings.length; ) {
      // Batches of 0 to 4 findings: empty batches too.
      const n = Math.floor(rnd() * 5);
      const findings = file.findings.slice(at, at + n);
      stream.findings(findings, batchLocator(file, findings));
      at += n;
    }
    stream.endFile();
  }
  stream.end();
  return { text: pieces.join(''), pieces: pieces.length };
}

const FILES: CheckedFile[] = [
  ...listSamples().map((name) => createCheckedFile(`samples/${name}`, analyzeDocument(readSample(name)))),
  createCheckedFile('fixtures/auth.transcript', analyzeDocument(fs.readFileSync(path.join(REPO, 'server/test/fixtures/cli/auth-plain-login.transcript'), 'utf8'))),
  createCheckedFile('dir\\weird, "name":é.log', analyzeDocument(`# smtptls-disable-next-line tls-truncated\n${readSample('truncated-hello.transcript')}\n# smtptls-disable tls-alert\n${readSample('malformed-hello.transcript')}`)),
];

test('every format written in pieces is byte for byte the whole report: the samples and crafted files together, one by one, none', () => {
  assert.ok(FILES.filter((f) => f.findings.length > 0).length > 10 && FILES.some((f) => f.findings.length === 0));
  for (const format of ['text', 'json', 'github', 'sarif'] as const) {
    for (const color of format === 'text' ? [false, true] : [false]) {
      for (const [name, files] of [
        ['all', FILES],
        ['none', []],
        ['no findings', FILES.filter((f) => f.findings.length === 0)],
        ...FILES.filter((_, i) => i % 5 === 0).map((f) => [f.path, [f]] as const),
      ] as const) {
        const expected = whole(format, files, color);
        for (const seed of [1, 2]) {
          const got = streamed(format, files, color, seed);
          assert.equal(got.text, expected, `${format}${color ? ' (colour)' : ''}, ${name}, seed ${seed}`);
        }
      }
    }
  }
  // Written in many pieces, not once at the end.
  assert.ok(streamed('json', FILES, false, 3).pieces > FILES.length * 2);
  assert.ok(streamed('sarif', FILES, false, 3).pieces > 20);
});

test('createFingerprinter one finding at a time, across batches: computeFindingFingerprints', () => {
  const file = createCheckedFile('x', analyzeDocument([readSample('ssl3-hello.transcript'), readSample('ssl3-hello.transcript'), readSample('truncated-hello.transcript')].join('\n')));
  const expected = computeFindingFingerprints(file);
  assert.ok(expected.some((f) => f.endsWith(':2')), 'repeated findings are counted');
  const fingerprint = createFingerprinter();
  assert.deepEqual(
    file.findings.map((f) => fingerprint(f, { locate: batchLocator(file, [f]), redact: file.redact })),
    expected,
  );
});

test('findings outside a file and SARIF without its options are bugs', () => {
  assert.throws(() => createReportStream('text', {}, () => undefined).findings([], FILES[0].locate), /outside a file/);
  assert.throws(() => createReportStream('sarif', {}, () => undefined), /SARIF format needs/);
});
