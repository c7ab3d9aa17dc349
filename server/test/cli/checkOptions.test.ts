/** `check` options: exit codes, --max-warnings, --quiet, --output, colour, progress, globs, sniffing, bad arguments. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';
import { runInProcess } from './runInProcess';

process.chdir(REPO);

const SSL3 = 'samples/ssl3-hello.transcript';
/** One warning (tls-sslv2-compat-hello) under rfc3207 it is information. */
const CLEAN = 'server/test/fixtures/corpus/sessions/raw-tls12-ch-reference-p25/transcript-CS.txt';
const ESC = '\u001b[';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-cli-'));
}

function warningsOf(file: string): number {
  const out = JSON.parse(runInProcess(['check', '--format', 'json', file]).stdout);
  return out.files[0].diagnostics.filter((d: { severity: string }) => d.severity === 'warning').length;
}

test('exit 0 without error findings, 1 with one, 2 for usage and input errors', () => {
  assert.equal(runInProcess(['check', CLEAN]).code, 0);
  assert.equal(runInProcess(['check', SSL3]).code, 1);
  assert.equal(runInProcess(['check', '--rule', 'tls-hello-version-below-3.1=warning', '--rule', 'tls-alert=off', SSL3]).code, 0);
});

test('--max-warnings N: exit 1 only when warnings exceed N, with the reason on stderr', () => {
  const file = 'samples/sslv2-hello-tls10.transcript';
  const args = ['--rule', 'tls-weak-cipher-offered=off', file];
  const n = warningsOf(file);
  assert.ok(n >= 1, 'the sample carries warnings');
  assert.equal(runInProcess(['check', ...args]).code, 0);
  assert.equal(runInProcess(['check', '--max-warnings', String(n), ...args]).code, 0);
  const over = runInProcess(['check', '--max-warnings', String(n - 1), ...args]);
  assert.equal(over.code, 1);
  assert.match(over.stderr, new RegExp(`^smtptls: ${n} warnings? found, more than --max-warnings ${n - 1}\\n$`));
  // --quiet hides warnings from the report but they still count against the limit.
  const quiet = runInProcess(['check', '--quiet', '--max-warnings', '0', ...args]);
  assert.equal(quiet.code, 1);
  assert.doesNotMatch(quiet.stdout, / warning /);
  for (const bad of ['-1', 'x', '1.5', '']) {
    const r = runInProcess(['check', '--max-warnings', bad, file]);
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, bad === '-1' ? /'--max-warnings' argument is ambiguous/ : /--max-warnings expects a whole number, not/);
  }
});

test('--quiet reports errors only, in every format', () => {
  const file = 'samples/sslv2-hello-tls10.transcript';
  const text = runInProcess(['check', '--quiet', file]).stdout;
  assert.doesNotMatch(text, / (warning|information|hint) /);
  assert.match(text, / error tls-weak-cipher-offered /);
  assert.match(text, /\(1 error, 0 warning, 0 information, 0 hint\)\n$/);
  const json = JSON.parse(runInProcess(['check', '--quiet', '--format', 'json', file]).stdout);
  assert.deepEqual([...new Set(json.files[0].diagnostics.map((d: { severity: string }) => d.severity))], ['error']);
  const sarif = JSON.parse(runInProcess(['check', '--quiet', '--format', 'sarif', file]).stdout);
  assert.deepEqual([...new Set(sarif.runs[0].results.map((r: { level: string }) => r.level))], ['error']);
  assert.doesNotMatch(runInProcess(['check', '--quiet', '--format', 'github', file]).stdout, /^::(warning|notice)/m);
});

test('--output FILE writes the report there and nothing to stdout; an unwritable FILE is exit 2', () => {
  const dir = tmpDir();
  for (const format of ['text', 'json', 'sarif', 'github']) {
    const out = path.join(dir, `report.${format}`);
    const r = runInProcess(['check', '--format', format, '--output', out, SSL3]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(fs.readFileSync(out, 'utf8'), runInProcess(['check', '--format', format, SSL3]).stdout, format);
  }
  for (const target of [path.join(dir, 'no', 'such', 'folder', 'r.txt'), dir]) {
    const r = runInProcess(['check', '-o', target, SSL3]);
    assert.equal(r.code, 2, target);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^smtptls: cannot write ${target.replace(/[\\/.]/g, '\\$&')}: `));
  }
});

test('colour: on a terminal unless --no-color or NO_COLOR; never when piped or written to a file; --color forces it', () => {
  const plain = runInProcess(['check', SSL3]).stdout;
  assert.ok(!plain.includes(ESC));
  const tty = runInProcess(['check', SSL3], { stdoutIsTty: true }).stdout;
  assert.ok(tty.includes(`${ESC}31merror${ESC}0m`));
  // Stripping the escapes gives the plain report, so the problem matcher reads both.
  assert.equal(tty.replace(new RegExp(`${ESC.replace('[', '\\[')}[0-9;]*m`, 'g'), ''), plain);
  assert.equal(runInProcess(['check', '--no-color', SSL3], { stdoutIsTty: true }).stdout, plain);
  assert.equal(runInProcess(['check', SSL3], { stdoutIsTty: true, env: { NO_COLOR: '1' } }).stdout, plain);
  assert.ok(runInProcess(['check', SSL3], { stdoutIsTty: true, env: { NO_COLOR: '' } }).stdout.includes(ESC));
  assert.ok(runInProcess(['check', '--color', SSL3]).stdout.includes(ESC));
  assert.ok(!runInProcess(['check', '--format', 'json', SSL3], { stdoutIsTty: true }).stdout.includes(ESC));
  const dir = tmpDir();
  runInProcess(['check', '-o', path.join(dir, 'r.txt'), SSL3], { stdoutIsTty: true });
  assert.equal(fs.readFileSync(path.join(dir, 'r.txt'), 'utf8'), plain);
});

test('--progress reports on stderr, one line per input, and leaves stdout unchanged', () => {
  const quiet = runInProcess(['check', '--format', 'json', 'samples']);
  const r = runInProcess(['check', '--format', 'json', '--progress', 'samples']);
  assert.equal(r.stdout, quiet.stdout);
  assert.equal(quiet.stderr, '');
  const lines = r.stderr.trimEnd().split('\n');
  const total = JSON.parse(r.stdout).files.length;
  assert.equal(lines.length, total);
  assert.match(lines[0], new RegExp(`^smtptls: \\[1/${total}\\] samples/`));
});

test('the problem matcher in package.json reads every text line and skips the summary', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'smtptls');
  const re = new RegExp(matcher.pattern.regexp);
  const out = runInProcess(['check', 'samples/sslv2-hello-tls10.transcript', 'samples/truncated-hello.transcript']).stdout.trimEnd().split('\n');
  const summary = out.pop() ?? '';
  assert.equal(re.exec(summary), null);
  const severities = new Set<string>();
  for (const line of out) {
    const m = re.exec(line);
    assert.ok(m, line);
    const [, file, l, c, severity, code, message] = m;
    assert.ok(fs.existsSync(file), file);
    assert.ok(Number(l) >= 1 && Number(c) >= 1);
    assert.ok(['error', 'warning', 'info', 'hint'].includes(severity), severity);
    assert.match(code, /^[a-z0-9.-]+$/);
    assert.ok(line.endsWith(' ' + message));
    severities.add(severity);
  }
  assert.ok(severities.has('info'), 'information is read as VS Code\'s info');
  // Coloured output (a task runs in a terminal) matches the same way.
  const colored = runInProcess(['check', SSL3], { stdoutIsTty: true }).stdout.split('\n')[0];
  assert.deepEqual(re.exec(colored)?.slice(1, 6), re.exec(runInProcess(['check', SSL3]).stdout.split('\n')[0])?.slice(1, 6));
});

test('globs: *, ? and ** expanded by the CLI, sorted; a glob matching nothing is exit 2', () => {
  const star = JSON.parse(runInProcess(['check', '--format', 'json', 'samples/ssl3-hello*.transcript']).stdout);
  assert.deepEqual(star.files.map((f: { path: string }) => f.path), [
    'samples/ssl3-hello-p2526.transcript',
    'samples/ssl3-hello-resumption-p2526.transcript',
    'samples/ssl3-hello-resumption.transcript',
    'samples/ssl3-hello.transcript',
  ]);
  const q = JSON.parse(runInProcess(['check', '--format', 'json', 'samples/sslv2-hello-ssl?.transcript']).stdout);
  assert.deepEqual(q.files.map((f: { path: string }) => f.path), ['samples/sslv2-hello-ssl2.transcript', 'samples/sslv2-hello-ssl3.transcript']);
  const deep = JSON.parse(runInProcess(['check', '--format', 'json', 'server/test/fixtures/corpus/**/transcript-CS.txt']).stdout);
  assert.ok(deep.files.length >= 5);
  for (const f of deep.files) assert.match(f.path, /^server\/test\/fixtures\/corpus\/.+\/transcript-CS\.txt$/);
  const none = runInProcess(['check', 'samples/*.nothing']);
  assert.equal(none.code, 2);
  assert.equal(none.stderr, 'smtptls: no files match samples/*.nothing\n');
});

test('folders: transcript extensions always, .txt/.log/extension-less files only when they look like transcripts', () => {
  const dir = tmpDir();
  const hello = fs.readFileSync(SSL3, 'utf8');
  fs.mkdirSync(path.join(dir, 'deep', 'er'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'a.transcript'), hello);
  fs.writeFileSync(path.join(dir, 'deep', 'er', 'session.log'), hello);
  fs.writeFileSync(path.join(dir, 'deep', 'capture'), fs.readFileSync('server/test/fixtures/corpus/sessions/swaks-starttls/clienthello.xxd.txt'));
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'Meeting notes: call the postmaster on Tuesday.\nNothing else.\n');
  fs.writeFileSync(path.join(dir, 'server.log'), 'Nov 29 04:20:57 mx postfix/smtpd[123]: connect from unknown[127.0.0.1]\n');
  fs.writeFileSync(path.join(dir, 'blob'), Buffer.from([0, 1, 2, 0x16, 3, 1, 0, 0, 0, 0]));
  fs.writeFileSync(path.join(dir, 'README.md'), hello);
  fs.mkdirSync(path.join(dir, '.hidden'));
  fs.writeFileSync(path.join(dir, '.hidden', 'x.transcript'), hello);
  const r = runInProcess(['check', '--format', 'json', dir]);
  assert.equal(r.stderr, '');
  const rel = JSON.parse(r.stdout).files.map((f: { path: string }) => path.relative(dir, f.path).split(path.sep).join('/'));
  assert.deepEqual(rel, ['a.transcript', 'deep/capture', 'deep/er/session.log']);
  // A file named on the command line is always read, whatever it looks like.
  assert.equal(JSON.parse(runInProcess(['check', '--format', 'json', path.join(dir, 'notes.txt')]).stdout).files.length, 1);
});

test('--policy and .smtptls.json\'s "policy": the receiving domain\'s TLS policy for sessions no comment covers; the flag wins', () => {
  // A real swaks run delivering to the lab's port 25 without STARTTLS (fixtures/policy).
  const plain = 'server/test/fixtures/policy/swaks-plain.txt';
  const rules = (args: string[]): string[] => JSON.parse(runInProcess(['check', '--format', 'json', ...args]).stdout).files[0].diagnostics.map((d: { rule: string }) => d.rule);
  assert.deepEqual(rules([plain]), []);
  assert.deepEqual(rules(['--policy', 'mta-sts', plain]), ['policy-tls-required']);
  assert.equal(runInProcess(['check', '--policy', 'dane', plain]).code, 1);
  const dir = tmpDir();
  fs.copyFileSync(plain, path.join(dir, 'mail.log'));
  fs.writeFileSync(path.join(dir, '.smtptls.json'), '{"policy": "dane"}');
  assert.deepEqual(rules([path.join(dir, 'mail.log')]), ['policy-tls-required']);
  assert.deepEqual(rules(['--policy', 'none', path.join(dir, 'mail.log')]), []);
  fs.writeFileSync(path.join(dir, '.smtptls.json'), '{"policy": "strict"}');
  const bad = runInProcess(['check', path.join(dir, 'mail.log')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /policy must be "none", "mta-sts" or "dane"/);
});

test('bad arguments and unreadable input: a clear message on stderr, nothing on stdout, exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['check'], /check needs at least one PATH/],
    [['check', '--format', 'yaml', SSL3], /--format must be one of text, json, sarif, github, not 'yaml'/],
    [['check', '--baseline', '1999', SSL3], /--baseline must be current or rfc3207/],
    [['check', '--policy', 'enforce', SSL3], /--policy must be none, mta-sts or dane, not 'enforce'/],
    [['check', '--rule', 'nope=error', SSL3], /--rule expects ID=off\|hint\|information\|warning\|error/],
    [['check', '--rule', 'tls-alert=loud', SSL3], /--rule expects/],
    [['check', '--frobnicate', SSL3], /Unknown option '--frobnicate'/],
    [['check', '--output'], /--output/],
    [['check', 'does/not/exist.transcript'], /^smtptls: cannot read does\/not\/exist\.transcript: no such file or directory\n$/],
    [['decode', '--format', 'yaml', SSL3], /decode supports --format json or text/],
  ];
  for (const [args, message] of cases) {
    const r = runInProcess(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
  }
  if (process.getuid && process.getuid() !== 0) {
    const dir = tmpDir();
    const f = path.join(dir, 'x.transcript');
    fs.writeFileSync(f, 'S: 220 x\n');
    fs.chmodSync(f, 0);
    const r = runInProcess(['check', f]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /permission denied/);
  }
});

test('the built CLI: piped stdout gets no colour, the report arrives whole, exit codes hold', () => {
  const bin = path.join(REPO, 'bin', 'smtptls');
  const r = spawnSync(process.execPath, [bin, 'check', '--format', 'github', SSL3], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.ok(!r.stdout.includes(ESC));
  assert.match(r.stdout, /^::error file=samples\/ssl3-hello\.transcript,line=\d+,/);
  const bad = spawnSync(process.execPath, [bin, 'check', '--max-warnings', 'many', SSL3], { cwd: REPO, encoding: 'utf8' });
  assert.equal(bad.status, 2);
});
