/** GitHub workflow commands: escaping rules and the command line built from real findings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { createCheckedFile } from '../../src/core/export/checkReport';
import { escapeWorkflowData, escapeWorkflowProperty, formatGithubAnnotations } from '../../src/core/export/githubAnnotations';
import { readSample } from '../helpers/samples';

test('message data escapes %, CR and LF, and nothing else', () => {
  assert.equal(escapeWorkflowData('100% a\r\nb: c, d'), '100%25 a%0D%0Ab: c, d');
  // % first: an already escaped-looking sequence must survive a round trip.
  assert.equal(escapeWorkflowData('%0A'), '%250A');
});

test('property values also escape : and ,', () => {
  assert.equal(escapeWorkflowProperty('C:\\logs\\a,b.log'), 'C%3A\\logs\\a%2Cb.log');
  assert.equal(escapeWorkflowProperty('50%\n'), '50%25%0A');
});

test('one ::error line per error finding with 1-based positions, rule as title', () => {
  const file = createCheckedFile('samples/ssl3-hello.transcript', analyzeDocument(readSample('ssl3-hello.transcript')));
  const out = formatGithubAnnotations([file]);
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, file.findings.length);
  const f = file.findings[0];
  const r = file.locate.rangeOf(f.span);
  assert.equal(
    lines[0],
    `::error file=samples/ssl3-hello.transcript,line=${r.start.line + 1},col=${r.start.character + 1},` +
      `endLine=${r.end.line + 1},endColumn=${r.end.character},title=tls-hello-version-below-3.1::${f.message}`,
  );
});

test('information findings become notices; a message with a newline stays on one command line', () => {
  const analysis = analyzeDocument(readSample('truncated-hello.transcript'));
  const base = createCheckedFile('dir,with:odd%chars/t.transcript', analysis);
  const f = base.findings[0];
  const file = { ...base, findings: [{ ...f, message: 'first line\nsecond: 100%' }] };
  const out = formatGithubAnnotations([file]);
  assert.equal(out.split('\n').length, 2, 'one line plus the final newline');
  assert.match(out, /^::notice file=dir%2Cwith%3Aodd%25chars\/t\.transcript,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=tls-truncated::first line%0Asecond: 100%25\n$/);
});
