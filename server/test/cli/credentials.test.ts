/**
 * Credentials never appear in any output: every check format and decode output of a
 * transcript with AUTH PLAIN and AUTH LOGIN, and findings placed on the AUTH lines
 * themselves (whose messages and snippets would otherwise carry the secrets).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { formatCheckJson } from '../../src/core/export/checkJson';
import { createCheckedFile } from '../../src/core/export/checkReport';
import { formatCheckText } from '../../src/core/export/checkText';
import { formatGithubAnnotations } from '../../src/core/export/githubAnnotations';
import { formatSarif } from '../../src/core/export/sarif';
import type { Finding } from '../../src/core/rules/types';
import { REPO } from '../helpers/lspClient';
import { runInProcess } from './runInProcess';

process.chdir(REPO);

const FIXTURE = 'server/test/fixtures/cli/auth-plain-login.transcript';
/** AUTH PLAIN "\0alice\0s3cretPass" and AUTH LOGIN "bobby" / "hunter2PW", encoded and decoded. */
const SECRETS = ['AGFsaWNlAHMzY3JldFBhc3M=', 'alice', 's3cretPass', 'Ym9iYnk=', 'bobby', 'aHVudGVyMlBX', 'hunter2PW'];

function assertNoSecret(output: string, label: string): void {
  // In any letter case: upper-cased base64 is still the credential.
  for (const s of SECRETS) assert.ok(!output.toLowerCase().includes(s.toLowerCase()), `${label} shows ${s}`);
}

test('check in every format and decode in both formats show no credential', () => {
  const runs: [string, string[]][] = [
    ['text', ['check', FIXTURE]],
    ['text-color', ['check', '--color', FIXTURE]],
    ['json', ['check', '--format', 'json', FIXTURE]],
    ['sarif', ['check', '--format', 'sarif', FIXTURE]],
    ['github', ['check', '--format', 'github', FIXTURE]],
    ['decode-json', ['decode', '--format', 'json', FIXTURE]],
    ['decode-text', ['decode', '--format', 'text', FIXTURE]],
  ];
  for (const [label, args] of runs) {
    const r = runInProcess(args);
    assert.ok(r.code === 0 || r.code === 1, `${label}: ${r.stderr}`);
    assertNoSecret(r.stdout + r.stderr, label);
  }
  // The decoded model still shows that AUTH happened, with the mechanism.
  const decoded = runInProcess(['decode', '--format', 'text', FIXTURE]).stdout;
  assert.match(decoded, /C: AUTH PLAIN \*\*\*$/m);
  assert.match(decoded, /C: AUTH LOGIN$/m);
  assert.match(decoded, /S: 334 VXNlcm5hbWU6$/m);
  assert.match(decoded, /C \(AUTH response\): \*\*\*$/m);
});

test('findings on the AUTH lines, quoting the credentials, are scrubbed in every format', () => {
  const text = fs.readFileSync(path.join(REPO, FIXTURE), 'utf8');
  const analysis = analyzeDocument(text);
  const on = (needle: string, message: string): Finding => {
    const start = text.indexOf(needle);
    assert.ok(start >= 0, needle);
    return { rule: 'auth-before-tls', severity: 'error', message, span: { start, end: start + needle.length } };
  };
  const findings: Finding[] = [
    on('AUTH PLAIN AGFsaWNlAHMzY3JldFBhc3M=', 'AUTH PLAIN AGFsaWNlAHMzY3JldFBhc3M= sends alice / s3cretPass in the clear.'),
    { ...on('aHVudGVyMlBX', 'password hunter2PW for bobby'), related: [{ span: on('Ym9iYnk=', '').span, message: 'user Ym9iYnk= (bobby)' }] },
  ];
  const file = { ...createCheckedFile(FIXTURE, analysis), findings };
  const outputs: [string, string][] = [
    ['text', formatCheckText([file], { color: true })],
    ['json', formatCheckJson([file])],
    ['github', formatGithubAnnotations([file])],
    ['sarif', formatSarif([file], { toolVersion: '0', baseline: 'current', exitCode: 1, locateArtifact: (p) => ({ uri: p }) })],
  ];
  for (const [label, output] of outputs) {
    assertNoSecret(output, label);
    assert.ok(output.includes('***'), `${label} marks what it removed`);
  }
});
