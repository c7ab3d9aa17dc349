/** The CLI contract: commands, JSON shapes, text lines, exit codes 0/1/2, stdin, folders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';

const BIN = path.join(REPO, 'bin', 'smtptls');
const CLEAN = 'server/test/fixtures/corpus/sessions/raw-tls12-ch-reference-p25/transcript-CS.txt';

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('check: SSLv2-compatible hellos offering 2.0 and 3.0 and SSL 3.0 hellos → exit 1 with the founding rule', () => {
  for (const s of ['sslv2-hello-ssl2', 'sslv2-hello-ssl3', 'ssl3-hello']) {
    const r = run(['check', `samples/${s}.transcript`]);
    assert.equal(r.code, 1, s + r.stderr);
    assert.match(r.stdout, new RegExp(`^samples/${s}\\.transcript:\\d+:\\d+: error tls-hello-version-below-3\\.1 `, 'm'));
  }
});

test('check: a real clean TLS 1.2 session and a real TLS 1.3 openssl -msg log → silent, exit 0', () => {
  for (const f of [CLEAN, 'server/test/fixtures/corpus/sessions/ossl-tls1_3-msg/openssl-s_client-msg.txt']) {
    const r = run(['check', '--format', 'json', f]);
    assert.equal(r.code, 0, f + r.stdout + r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.files[0].diagnostics, [], f);
  }
});

test('check --format json follows the contract', () => {
  const r = run(['check', '--format', 'json', 'samples/ssl3-hello.transcript', CLEAN]);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(
    out.files.map((f: { path: string }) => f.path),
    ['samples/ssl3-hello.transcript', CLEAN],
  );
  const d = out.files[0].diagnostics.find((x: { rule: string }) => x.rule === 'tls-hello-version-below-3.1');
  assert.deepEqual(Object.keys(d).sort(), ['message', 'range', 'reference', 'rule', 'severity']);
  assert.equal(d.severity, 'error');
  assert.equal(d.reference, 'https://www.rfc-editor.org/rfc/rfc7568#section-3');
  for (const k of ['start', 'end']) {
    assert.ok(Number.isInteger(d.range[k].line) && Number.isInteger(d.range[k].character));
  }
  // text output uses the same place, 1-based.
  const t = run(['check', 'samples/ssl3-hello.transcript']);
  assert.match(t.stdout, new RegExp(`^samples/ssl3-hello\\.transcript:${d.range.start.line + 1}:${d.range.start.character + 1}: error tls-hello-version-below-3\\.1 `, 'm'));
});

test('check --baseline rfc3207 turns the resumption exception into information (exit 0)', () => {
  assert.equal(run(['check', 'samples/ssl3-hello-resumption.transcript']).code, 1);
  const r = run(['check', '--baseline', 'rfc3207', '--format', 'json', 'samples/ssl3-hello-resumption.transcript']);
  assert.equal(r.code, 0, r.stdout);
  const d = JSON.parse(r.stdout).files[0].diagnostics;
  assert.ok(d.some((x: { rule: string; severity: string }) => x.rule === 'tls-hello-version-below-3.1' && x.severity === 'information'));
});

test('check --rule overrides a severity and can turn a rule off', () => {
  const off = run(['check', '--rule', 'tls-hello-version-below-3.1=off', '--format', 'json', 'samples/ssl3-hello.transcript']);
  assert.equal(JSON.parse(off.stdout).files[0].diagnostics.filter((d: { rule: string }) => d.rule === 'tls-hello-version-below-3.1').length, 0);
  const warn = run(['check', '--rule', 'tls-hello-version-below-3.1=warning', 'samples/ssl3-hello.transcript']);
  assert.equal(warn.code, 0);
  assert.match(warn.stdout, / warning tls-hello-version-below-3\.1 /);
});

test('check reads stdin with - and echoes the path as given', () => {
  const text = fs.readFileSync(path.join(REPO, 'samples/sslv2-hello-ssl2.transcript'), 'utf8');
  const r = run(['check', '--format', 'json', '-'], text);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).files[0].path, '-');
});

test('check on a folder reads every transcript in it', () => {
  const r = run(['check', '--format', 'json', 'samples']);
  const paths = JSON.parse(r.stdout).files.map((f: { path: string }) => f.path);
  assert.ok(paths.includes(path.join('samples', 'ssl3-hello.transcript')));
  assert.ok(paths.length >= 8);
  assert.equal(r.code, 1);
});

test('usage errors and unreadable input exit 2 with a message on stderr', () => {
  const cases = [
    ['check'],
    ['check', '--format', 'yaml', 'samples'],
    ['check', '--baseline', '1999', 'samples'],
    ['check', '--rule', 'no-such-rule=error', 'samples'],
    ['check', 'does/not/exist.transcript'],
    ['frobnicate'],
    [],
  ];
  for (const args of cases) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.ok(r.stderr.length > 0 || args.length === 0, args.join(' '));
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-'));
  const unreadable = path.join(dir, 'x.transcript');
  fs.writeFileSync(unreadable, 'S: 220 x\n');
  fs.chmodSync(unreadable, 0);
  if (process.getuid && process.getuid() !== 0) assert.equal(run(['check', unreadable]).code, 2);
});

test('decode --format json: events in document order with the contract fields', () => {
  const r = run(['decode', '--format', 'json', 'server/test/fixtures/corpus/sessions/raw-sslv2-hello-v3.1-p25/transcript-CS.txt']);
  assert.equal(r.code, 0, r.stderr);
  const file = JSON.parse(r.stdout).files[0];
  assert.equal(file.format, 'cs-transcript');
  const events = file.sessions[0].events;
  assert.deepEqual(events.slice(0, 3).map((e: { kind: string }) => e.kind), ['reply', 'command', 'reply']);
  assert.deepEqual(events[1], { kind: 'command', line: 1, verb: 'EHLO', argument: 'client.feas.test' });
  const lines = events.map((e: { line: number }) => e.line);
  assert.deepEqual(lines, [...lines].sort((a: number, b: number) => a - b));
  const tls = events.filter((e: { kind: string }) => e.kind === 'tls');
  assert.equal(tls[0].direction, 'client');
  const ch = tls[0].records[0];
  assert.equal(ch.format, 'sslv2');
  assert.equal(ch.messages[0].name, 'ClientHello');
  assert.equal(ch.messages[0].version, 769);
  assert.deepEqual(ch.messages[0].cipherSpecs, [0x35, 0x2f, 0x0a, 0x0700c0, 0x010080, 0xff]);
  assert.equal(ch.messages[0].challenge.length, 32);
  const sh = tls[1].records[0].messages[0];
  assert.equal(sh.name, 'ServerHello');
  assert.equal(sh.cipherSuite, 0x35);
  assert.equal(sh.version, 0x0301);
});
