/** `smtptls diagram PATH [--session N] -o OUT.svg` through bin/smtptls: the file, the exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';
import { readSample } from '../helpers/samples';
import { allElements, hasClass, parseXml, textOf } from './svgTree';

const BIN = path.join(REPO, 'bin', 'smtptls');

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-diagram-'));
}

test('diagram writes a standalone SVG of the first session and exits 0', () => {
  const dir = tempDir();
  const out = path.join(dir, 'out.svg');
  const r = run(['diagram', 'samples/sslv2-hello-ssl3.transcript', '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const svg = fs.readFileSync(out, 'utf8');
  const root = parseXml(svg);
  assert.equal(root.name, 'svg');
  assert.equal(root.attrs.xmlns, 'http://www.w3.org/2000/svg');
  assert.ok(root.children.some((c) => c.name === 'style'), 'standalone: the stylesheet is inside');
  const events = allElements(root).filter((e) => e.name === 'g' && hasClass(e, 'event'));
  assert.equal(events.length, 7);
  assert.ok(textOf(root).includes('samples/sslv2-hello-ssl3.transcript: session 1 of 1'));
  assert.ok(events.some((g) => hasClass(g, 'sev-error') && textOf(g).includes('tls-hello-version-below-3.1')));
});

test('diagram --session N picks the Nth session (1-based); the long form --output works too', () => {
  const dir = tempDir();
  const input = path.join(dir, 'two.transcript');
  fs.writeFileSync(input, ['S: 220 first.example ESMTP', 'C: QUIT', 'S: 221 bye', '', '# next capture', '', 'S: 220 second.example ESMTP', 'C: NOOP', 'S: 250 ok'].join('\n'));
  const one = path.join(dir, 'one.svg');
  const two = path.join(dir, 'two.svg');
  assert.equal(run(['diagram', input, '-o', one]).code, 0);
  assert.equal(run(['diagram', input, '--session', '2', '--output', two]).code, 0);
  assert.match(fs.readFileSync(one, 'utf8'), /220 first\.example ESMTP/);
  const second = fs.readFileSync(two, 'utf8');
  assert.match(second, /220 second\.example ESMTP/);
  assert.match(second, /session 2 of 2/);
  assert.doesNotMatch(second, /first\.example/);
});

test('diagram reads stdin with -', () => {
  const out = path.join(tempDir(), 'stdin.svg');
  const r = run(['diagram', '-', '-o', out], readSample('ssl3-hello.transcript'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(fs.readFileSync(out, 'utf8'), /ClientHello SSL 3\.0/);
});

test('diagram exits 2 on bad arguments, unreadable input, no such session, unwritable output — and writes nothing', () => {
  const dir = tempDir();
  const out = path.join(dir, 'never.svg');
  const cases: [string[], RegExp][] = [
    [['diagram', 'samples/ssl3-hello.transcript'], /needs -o/],
    [['diagram', '-o', out], /exactly one PATH/],
    [['diagram', 'samples/ssl3-hello.transcript', 'samples/ssl2-hello.transcript', '-o', out], /exactly one PATH/],
    [['diagram', 'samples/ssl3-hello.transcript', '--session', '0', '-o', out], /--session/],
    [['diagram', 'samples/ssl3-hello.transcript', '--session', 'two', '-o', out], /--session/],
    [['diagram', 'samples/ssl3-hello.transcript', '--session', '2', '-o', out], /no session 2 \(it has 1\)/],
    [['diagram', 'samples/ssl3-hello.transcript', '--colour', '-o', out], /colour/],
    [['diagram', path.join(dir, 'missing.transcript'), '-o', out], /cannot read/],
    [['diagram', 'samples', '-o', out], /one file/],
  ];
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
  assert.ok(!fs.existsSync(out));
  const empty = path.join(dir, 'empty.transcript');
  fs.writeFileSync(empty, 'nothing to see here\n');
  const r = run(['diagram', empty, '-o', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no session found/);
  const w = run(['diagram', 'samples/ssl3-hello.transcript', '-o', path.join(dir, 'no', 'such', 'dir.svg')]);
  assert.equal(w.code, 2);
  assert.match(w.stderr, /cannot write/);
});

test('docs/diagram-example.svg (shown in the README) is a well-formed drawing of sslv2-hello-ssl3 with its finding', () => {
  const root = parseXml(fs.readFileSync(path.join(REPO, 'docs', 'diagram-example.svg'), 'utf8'));
  const events = allElements(root).filter((e) => e.name === 'g' && hasClass(e, 'event'));
  assert.equal(events.length, 7);
  assert.ok(events.some((g) => hasClass(g, 'sev-error') && textOf(g).includes('tls-hello-version-below-3.1')));
  assert.match(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8'), /!\[[^\]]*\]\(docs\/diagram-example\.svg\)/);
});
