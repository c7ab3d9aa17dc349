/**
 * `.smtptls.json`'s `capture` object for `check`: key logs next to each capture, SMTP ports (the
 * command line's `--keylog` / `--smtp-port` for a whole project). Real fixtures:
 * server/test/fixtures/keylog (README.md there) and server/test/fixtures/msmtp (implicit TLS on 4465).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseCaptureConfig, parseProjectConfig } from '../../src/core/rules/projectConfig';
import { REPO } from '../helpers/lspClient';
import { runInProcess } from './runInProcess';

const KEYLOG = path.join(REPO, 'server/test/fixtures/keylog/ossl-tls13-aes256');

function rules(stdout: string): string[] {
  const report = JSON.parse(stdout) as { files: { diagnostics: { rule: string }[] }[] };
  return [...new Set(report.files.flatMap((f) => f.diagnostics.map((x) => x.rule)))].sort();
}

test('a key log named in .smtptls.json, next to each capture, decrypts it for check', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-capcfg-'));
  fs.mkdirSync(path.join(dir, 'session'));
  fs.copyFileSync(path.join(KEYLOG, 'capture.pcap'), path.join(dir, 'session', 'capture.pcap'));
  fs.copyFileSync(path.join(KEYLOG, 'keylog.txt'), path.join(dir, 'session', 'keylog.txt'));
  const without = runInProcess(['check', '--format', 'json', path.join(dir, 'session/capture.pcap')], { cwd: dir });
  assert.deepEqual(rules(without.stdout), []);
  fs.writeFileSync(path.join(dir, '.smtptls.json'), JSON.stringify({ capture: { keyLogFiles: ['keylog.txt'] } }));
  const withConfig = runInProcess(['check', '--format', 'json', path.join(dir, 'session/capture.pcap')], { cwd: dir });
  // The dialogue inside TLS is judged: openssl s_client fed by printf pipelines without waiting.
  assert.ok(rules(withConfig.stdout).includes('smtp-pipelining-not-advertised'), withConfig.stdout + withConfig.stderr);
  assert.equal(withConfig.stderr, '');
  // The same as --keylog on the command line.
  fs.rmSync(path.join(dir, '.smtptls.json'));
  const flag = runInProcess(['check', '--format', 'json', path.join(dir, 'session/capture.pcap'), '--keylog', path.join(dir, 'session/keylog.txt')], { cwd: dir });
  assert.equal(flag.stdout, withConfig.stdout);
  assert.ok(withConfig.stdout.length > 100);
  // A key log the config names but that is missing: a warning, and the capture is checked encrypted.
  fs.writeFileSync(path.join(dir, '.smtptls.json'), JSON.stringify({ capture: { keyLogFiles: ['other.txt'] } }));
  const missing = runInProcess(['check', '--format', 'json', path.join(dir, 'session/capture.pcap')], { cwd: dir });
  assert.match(missing.stderr, /other\.txt: warning: no such key log \(capture\.keyLogFiles of .*\.smtptls\.json\)/);
  assert.deepEqual(rules(missing.stdout), []);
});

test('capture.smtpPorts reads implicit TLS on a port of the site\'s choosing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-capcfg-'));
  fs.copyFileSync(path.join(REPO, 'server/test/fixtures/msmtp/msmtp-implicit-tls.pcap'), path.join(dir, 'implicit.pcap'));
  const before = runInProcess(['check', '--format', 'json', path.join(dir, 'implicit.pcap')], { cwd: dir });
  assert.ok(!rules(before.stdout).includes('tls-sni-invalid'));
  fs.writeFileSync(path.join(dir, '.smtptls.json'), JSON.stringify({ capture: { smtpPorts: [4465] } }));
  const after = runInProcess(['check', '--format', 'json', path.join(dir, 'implicit.pcap')], { cwd: dir });
  assert.ok(rules(after.stdout).includes('tls-sni-invalid'), after.stdout);
});

test('the capture object is parsed strictly', () => {
  assert.deepEqual(parseCaptureConfig('{"capture":{"smtpPorts":[2526],"keyLogFiles":["k.txt"]}}', 'c.json'), { smtpPorts: [2526], keyLogFiles: ['k.txt'] });
  assert.deepEqual(parseCaptureConfig('{"baseline":"current"}', 'c.json'), { smtpPorts: [], keyLogFiles: [] });
  for (const bad of ['{"capture":[]}', '{"capture":{"ports":[25]}}', '{"capture":{"smtpPorts":[0]}}', '{"capture":{"keyLogFiles":[""]}}', '{"capture":{"keyLogFiles":"k.txt"}}']) {
    assert.throws(() => parseProjectConfig(bad, 'c.json'), /c\.json: (unknown key "capture\.|capture)/, bad);
  }
});

test('a key log the config names that cannot be read (a folder) is a warning naming the config, and the capture is checked', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-capcfg-'));
  fs.copyFileSync(path.join(KEYLOG, 'capture.pcap'), path.join(dir, 'capture.pcap'));
  fs.mkdirSync(path.join(dir, 'keys'));
  fs.writeFileSync(path.join(dir, '.smtptls.json'), JSON.stringify({ capture: { keyLogFiles: ['keys'] } }));
  const run = runInProcess(['check', '--format', 'json', path.join(dir, 'capture.pcap')], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(rules(run.stdout), []);
  assert.match(run.stderr, /keys: warning: cannot read this key log \(capture\.keyLogFiles of .*\.smtptls\.json\)/);
  assert.doesNotMatch(run.stderr, /--keylog/);
});

test('a key log the config names is read only for captures: a text transcript beside it gets no warning', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-capcfg-'));
  fs.copyFileSync(path.join(REPO, 'samples/ssl3-hello.transcript'), path.join(dir, 'ssl3-hello.transcript'));
  fs.writeFileSync(path.join(dir, '.smtptls.json'), JSON.stringify({ capture: { keyLogFiles: ['missing.txt'] } }));
  const text = runInProcess(['check', '--format', 'json', path.join(dir, 'ssl3-hello.transcript')], { cwd: dir });
  assert.equal(text.stderr, '');
  assert.ok(rules(text.stdout).includes('tls-hello-version-below-3.1'));
  fs.copyFileSync(path.join(KEYLOG, 'capture.pcap'), path.join(dir, 'capture.pcap'));
  const capture = runInProcess(['check', '--format', 'json', path.join(dir, 'capture.pcap')], { cwd: dir });
  assert.match(capture.stderr, /missing\.txt: warning: no such key log/);
});
