/**
 * `check` writes its report as it goes (findings spilled chunk by chunk, findingSpill.ts,
 * then written in pieces, reportStream.ts): in every format the report is byte for byte
 * what the whole-report formatters make of whole-document analyses; credentials found
 * late in a file are scrubbed from what an earlier chunk reported; a document read
 * again (a late invalid UTF-8 byte) reports its findings once; the report reaches
 * stdout in several writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { formatCheckJson } from '../../src/core/export/checkJson';
import { createCheckedFile, type CheckedFile } from '../../src/core/export/checkReport';
import { formatCheckText } from '../../src/core/export/checkText';
import { formatGithubAnnotations } from '../../src/core/export/githubAnnotations';
import { formatSarif } from '../../src/core/export/sarif';
import { locateArtifact } from '../../src/cli/commands/check';
import { readInputs } from '../../src/cli/inputs';
import { runCli } from '../../src/cli/main';
import { TOOL_INFORMATION_URI, TOOL_VERSION } from '../../src/cli/version';
import { REPO } from '../helpers/lspClient';
import { readSample } from '../helpers/samples';
import { runInProcess } from './runInProcess';

process.chdir(REPO);

function wholeReport(format: string, files: readonly CheckedFile[], exitCode: number): string {
  switch (format) {
    case 'json':
      return formatCheckJson(files);
    case 'github':
      return formatGithubAnnotations(files);
    case 'sarif':
      return formatSarif(files, {
        toolVersion: TOOL_VERSION,
        informationUri: TOOL_INFORMATION_URI,
        baseline: 'current',
        exitCode,
        locateArtifact: (p) => locateArtifact(p, REPO, REPO),
        uriBaseIds: { SRCROOT: pathToFileURL(REPO).href.replace(/\/?$/, '/') },
      });
    default:
      return formatCheckText(files);
  }
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-streaming-'));
}

test('every format, every sample and fixture: the report of whole-document analyses, byte for byte', () => {
  const args = ['samples', 'server/test/fixtures'];
  const files = readInputs(args, () => '').map((d) => createCheckedFile(d.path, analyzeDocument(d.text)));
  assert.ok(files.length > 300 && files.filter((f) => f.findings.length > 0).length > 50);
  for (const format of ['text', 'json', 'github', 'sarif']) {
    const r = runInProcess(['check', '--format', format, ...args]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, wholeReport(format, files, 1), format);
  }
});

test('a credential revealed in a later chunk is scrubbed from what an earlier chunk reported', () => {
  const dir = tmpDir();
  try {
    // The first session's finding quotes "S: 220 2.0.0 Ready to start TLS"; the second logs in as "Ready".
    const later = 'S: 220 mx.example.test ESMTP\nC: EHLO c.example.test\nS: 250 AUTH LOGIN\nC: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\nC: UmVhZHk=\nS: 334 UGFzc3dvcmQ6\nC: cGFzc3dvcmQx\nS: 235 ok\n';
    const text = `${readSample('starttls-plaintext-after-220.transcript')}\n${later}`;
    const file = path.join(dir, 'late.transcript');
    fs.writeFileSync(file, text);
    const r = runInProcess(['check', '--format', 'sarif', file]);
    assert.ok(!r.stdout.includes('Ready to start'), 'the earlier snippet is scrubbed');
    assert.match(r.stdout, /\*\*\* to start TLS/);
    assert.equal(r.stdout, wholeReport('sarif', [createCheckedFile(file, analyzeDocument(text))], r.code));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a document read again after a late invalid UTF-8 byte reports each finding once', () => {
  const dir = tmpDir();
  try {
    const session = readSample('truncated-hello.transcript');
    const copies = Math.ceil((1.5 * (1 << 20)) / session.length);
    const bytes = Buffer.concat([Buffer.from(`${session}\n`.repeat(copies)), Buffer.from([0xff, 0x0a])]);
    const file = path.join(dir, 'latin1.transcript');
    fs.writeFileSync(file, bytes);
    const r = runInProcess(['check', '--format', 'json', file]);
    const diagnostics = JSON.parse(r.stdout).files[0].diagnostics as unknown[];
    const whole = createCheckedFile(file, analyzeDocument(bytes.toString('latin1')));
    assert.ok(whole.findings.length >= copies);
    assert.equal(diagnostics.length, whole.findings.length);
    assert.equal(r.stdout, formatCheckJson([whole]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a large report reaches stdout in several writes, and --output FILE gets the same bytes', () => {
  const dir = tmpDir();
  try {
    const text = `${readSample('ssl3-hello.transcript')}\n`.repeat(600);
    const file = path.join(dir, 'many.transcript');
    fs.writeFileSync(file, text);
    const writes: string[] = [];
    const code = runCli(['check', '--format', 'sarif', file], { stdout: (s) => writes.push(s), stderr: () => undefined, readStdin: () => '', cwd: REPO });
    assert.equal(code, 1);
    assert.ok(writes.length > 3, `${writes.length} writes`);
    assert.ok(writes.every((w) => w.length < 1 << 20), 'each write is bounded');
    const out = path.join(dir, 'report.sarif');
    assert.equal(runInProcess(['check', '--format', 'sarif', '-o', out, file]).stdout, '');
    assert.equal(fs.readFileSync(out, 'utf8'), writes.join(''));
    assert.equal(writes.join(''), wholeReport('sarif', [createCheckedFile(file, analyzeDocument(text))], 1));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
