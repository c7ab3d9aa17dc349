/** SARIF log: rule descriptors, precise regions in UTF-16 columns, stable partial fingerprints. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { createCheckedFile, type CheckedFile } from '../../src/core/export/checkReport';
import { buildSarifLog, computeFindingFingerprints, toRuleName, FINGERPRINT_KEY } from '../../src/core/export/sarif';
import { RULES } from '../../src/core/rules/catalog';
import type { Finding } from '../../src/core/rules/types';
import { readSample } from '../helpers/samples';

const OPTIONS = {
  toolVersion: '9.8.7',
  informationUri: 'https://example.test/smtptls',
  baseline: 'current' as const,
  exitCode: 1,
  locateArtifact: (p: string) => ({ uri: p, uriBaseId: 'SRCROOT' }),
  uriBaseIds: { SRCROOT: 'file:///repo/' },
};

function check(path: string, text: string): CheckedFile {
  return createCheckedFile(path, analyzeDocument(text));
}

test('the run describes every catalog rule with name, descriptions, markdown help and helpUri', () => {
  const log = buildSarifLog([], OPTIONS);
  assert.equal(log.version, '2.1.0');
  const run = log.runs[0];
  assert.equal(run.columnKind, 'utf16CodeUnits');
  assert.deepEqual(run.invocations, [{ executionSuccessful: true, exitCode: 1 }]);
  assert.deepEqual(run.originalUriBaseIds, { SRCROOT: { uri: 'file:///repo/' } });
  const driver = run.tool.driver;
  assert.equal(driver.name, 'smtptls');
  assert.equal(driver.version, '9.8.7');
  assert.equal(driver.informationUri, 'https://example.test/smtptls');
  assert.equal(driver.rules?.length, RULES.length);
  const r = driver.rules?.find((x) => x.id === 'tls-hello-version-below-3.1');
  assert.ok(r);
  assert.equal(r.name, 'TlsHelloVersionBelow31');
  assert.equal(r.shortDescription?.text, 'ClientHello offers a version below TLS 1.0 (3.1).');
  assert.match(r.fullDescription?.text ?? '', /^After STARTTLS a ClientHello must/);
  assert.match(r.help?.markdown ?? '', /\[RFC 7568 §3\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc7568#section-3\)/);
  assert.equal(r.helpUri, 'https://www.rfc-editor.org/rfc/rfc7568#section-3');
  assert.deepEqual(r.defaultConfiguration, { level: 'error' });
  // A rule the baseline switches off is described as disabled.
  const off = buildSarifLog([], { ...OPTIONS, baseline: 'rfc3207' }).runs[0].tool.driver.rules?.find((x) => x.id === 'tls-deprecated-version');
  assert.deepEqual(off?.defaultConfiguration, { enabled: false, level: 'none' });
});

test('rule names are PascalCase identifiers', () => {
  assert.equal(toRuleName('starttls-tls-without-220'), 'StarttlsTlsWithout220');
  for (const r of RULES) assert.match(toRuleName(r.id), /^[A-Z][A-Za-z0-9]*$/);
});

test('a result points at the exact hex pair of client_version, 1-based, end column exclusive', () => {
  const text = readSample('ssl3-hello.transcript');
  const file = check('samples/ssl3-hello.transcript', text);
  const result = buildSarifLog([file], OPTIONS).runs[0].results?.[0];
  assert.ok(result);
  assert.equal(result.ruleId, 'tls-hello-version-below-3.1');
  assert.equal(result.ruleIndex, RULES.findIndex((r) => r.id === 'tls-hello-version-below-3.1'));
  assert.equal(result.level, 'error');
  const loc = result.locations?.[0].physicalLocation;
  assert.deepEqual(loc?.artifactLocation, { uri: 'samples/ssl3-hello.transcript', uriBaseId: 'SRCROOT' });
  const region = loc?.region;
  assert.ok(region?.startLine && region.startColumn && region.endColumn);
  const line = text.split('\n')[region.startLine - 1];
  assert.equal(line.slice(region.startColumn - 1, region.endColumn - 1), '03 00');
  assert.equal(region.snippet?.text, '03 00');
  assert.equal(loc?.contextRegion?.snippet?.text, line);
});

test('columns count UTF-16 code units: a character outside the BMP before the finding counts twice', () => {
  const text = 'S: 220 x\n# 😀 note\n';
  const base = check('u.transcript', text);
  const start = text.indexOf('note');
  const finding: Finding = { rule: 'smtp-reply-syntax', severity: 'error', message: 'crafted.', span: { start, end: start + 4 } };
  const region = buildSarifLog([{ ...base, findings: [finding] }], OPTIONS).runs[0].results?.[0].locations?.[0].physicalLocation?.region;
  // "# " is 2 units, the emoji 2 more, the space 1: "note" starts at unit 6, column 6 + 1.
  assert.deepEqual({ l: region?.startLine, c: region?.startColumn, e: region?.endColumn }, { l: 2, c: 6, e: 10 });
});

test('partial fingerprints do not change when an unrelated line is inserted above', () => {
  const text = readSample('ssl3-hello.transcript');
  const before = computeFindingFingerprints(check('a', text));
  const edited = text.replace('\n', '\n# an unrelated comment added later\n');
  const after = computeFindingFingerprints(check('a', edited));
  assert.ok(before.length > 0);
  assert.deepEqual(after, before);
  // ... and they are what the log carries.
  const result = buildSarifLog([check('a', text)], OPTIONS).runs[0].results?.[0];
  assert.deepEqual(result?.partialFingerprints, { [FINGERPRINT_KEY]: before[0] });
});

test('partial fingerprints change when the offending line changes, and differ among identical findings', () => {
  const text = readSample('ssl3-hello.transcript');
  const file = check('a', text);
  const f = file.findings[0];
  const line = file.locate.rangeOf(f.span).start.line;
  // The same finding on a different offending line text gets another fingerprint.
  const lineText = text.split('\n')[line];
  const moved = check('a', text.replace(lineText, lineText + ' '));
  // (trailing whitespace is normalised away: still the same)
  assert.deepEqual(computeFindingFingerprints(moved), computeFindingFingerprints(file));
  const other = check('a', readSample('ssl3-hello-resumption.transcript'));
  assert.notDeepEqual(computeFindingFingerprints(other)[0], computeFindingFingerprints(file)[0]);
  // Two identical findings on identical lines: occurrence 1 and 2.
  const twice = { ...file, findings: [f, f] };
  const [a, b] = computeFindingFingerprints(twice);
  assert.notEqual(a, b);
  assert.match(a, /^[0-9a-f]{32}:1$/);
  assert.match(b, /^[0-9a-f]{32}:2$/);
});
