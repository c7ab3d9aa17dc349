/** `smtptls import`, `export-pcap`, and `check`/`decode` on captures, through the built CLI. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';

const BIN = path.join(REPO, 'bin', 'smtptls');
const SSL3 = 'server/test/fixtures/live/ssl3-hello.pcap';
const SWAKS_NG = 'server/test/fixtures/capture/swaks-starttls.pcapng';

function run(args: string[], input?: Buffer | string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-capture-'));

test('import: transcript on stdout or in -o OUT, exit 0; stdin works too', () => {
  const r = run(['import', SWAKS_NG]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^# smtptls import of swaks-starttls\.pcapng\n/);
  assert.match(r.stdout, /^S: 220 mx\.feas\.test ESMTP Postfix/m);
  const out = path.join(tmp, 'out.transcript');
  const map = path.join(tmp, 'map.json');
  assert.equal(run(['import', SWAKS_NG, '-o', out, '--source-map', map]).code, 0);
  assert.equal(fs.readFileSync(out, 'utf8'), r.stdout);
  const sm = JSON.parse(fs.readFileSync(map, 'utf8'));
  assert.equal(sm.lines.length, r.stdout.split('\n').length - 1);
  assert.equal(sm.sessions[0].server.port, 25);
  const piped = run(['import', '-'], fs.readFileSync(path.join(REPO, SWAKS_NG)));
  assert.equal(piped.code, 0);
  assert.equal(piped.stdout.split('\n').slice(1).join('\n'), r.stdout.split('\n').slice(1).join('\n'));
});

test('import: not a capture → exit 2 and the reason; a cut file → what was read, and exit 2', () => {
  const r = run(['import', 'samples/ssl3-hello.transcript']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not a pcap or pcapng capture/);
  const cut = path.join(tmp, 'cut.pcap');
  const bytes = fs.readFileSync(path.join(REPO, SSL3));
  fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 30));
  const c = run(['import', cut]);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /error: the file ends inside frame \d+/);
  assert.match(c.stdout, /^S: 220 /m);
  assert.equal(run(['import']).code, 2);
  assert.equal(run(['import', path.join(tmp, 'missing.pcap')]).code, 2);
});

test('check and decode read captures by their magic bytes, whatever the file is called', () => {
  const renamed = path.join(tmp, 'capture.txt');
  fs.copyFileSync(path.join(REPO, SSL3), renamed);
  for (const f of [SSL3, renamed]) {
    const r = run(['check', f]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /error tls-hello-version-below-3\.1 /);
  }
  const d = run(['decode', '--format', 'json', SSL3]);
  assert.equal(d.code, 0);
  const json = JSON.parse(d.stdout);
  assert.ok(json.files[0].sessions[0].events.some((e: { kind: string }) => e.kind === 'tls'));
});

test('--smtp-port: check, decode, import and diagram read a connection on a port of the site\'s choosing as SMTP (stdin too); bad ports exit 2', () => {
  const pcap = 'server/test/fixtures/msmtp/msmtp-implicit-tls.pcap';
  const plain = run(['check', '--format', 'json', pcap]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual(JSON.parse(plain.stdout).files[0].diagnostics.map((d: { rule: string }) => d.rule), ['capture-file-problem']);
  const given = run(['check', '--format', 'json', '--smtp-port', '4465', pcap]);
  assert.equal(given.code, 1, given.stderr);
  assert.deepEqual(JSON.parse(given.stdout).files[0].diagnostics.map((d: { rule: string }) => d.rule), ['tls-sni-invalid']);
  const piped = run(['check', '--format', 'json', '--smtp-port', '4465', '-'], fs.readFileSync(path.join(REPO, pcap)));
  assert.equal(piped.stdout, given.stdout.replace(JSON.stringify(pcap), '"-"'));
  const decoded = JSON.parse(run(['decode', '--smtp-port=4465', pcap]).stdout);
  assert.equal(decoded.files[0].sessions[0].port, 4465);
  assert.ok(decoded.files[0].sessions[0].events.some((e: { kind: string; records?: { messages: { name: string }[] }[] }) => e.kind === 'tls' && e.records!.some((r) => r.messages.some((m) => m.name === 'ClientHello'))));
  const imported = run(['import', '--smtp-port', '4465', pcap]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /\(SMTP recognised by port 4465, given as an SMTP port\)/);
  assert.equal(run(['import', pcap]).stderr, `${pcap}: no SMTP session found\n`);
  const svg = path.join(tmp, 'implicit.svg');
  assert.equal(run(['diagram', pcap, '-o', svg]).code, 2);
  assert.equal(run(['diagram', '--smtp-port', '4465', pcap, '-o', svg]).code, 0);
  assert.match(fs.readFileSync(svg, 'utf8'), /ClientHello/);
  for (const bad of ['0', 'smtps', '65536']) {
    const r = run(['check', '--smtp-port', bad, pcap]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--smtp-port must be a port number from 1 to 65535/);
  }
});

test('export-pcap: writes a pcap our reader reads back; usage errors exit 2', () => {
  const out = path.join(tmp, 'e.pcap');
  const r = run(['export-pcap', 'samples/ssl3-hello.transcript', '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([...fs.readFileSync(out).subarray(0, 4)], [0xd4, 0xc3, 0xb2, 0xa1]);
  const back = run(['check', out]);
  assert.equal(back.code, 1);
  assert.match(back.stdout, /error tls-hello-version-below-3\.1 /);
  assert.equal(run(['export-pcap', 'samples/ssl3-hello.transcript']).code, 2);
  assert.equal(run(['export-pcap', 'samples/ssl3-hello.transcript', '-o', out, '--port', '0']).code, 2);
});

test('--keylog: import, check and decode decrypt a capture; a key log that cannot be read is a usage error; with --full-hex it decrypts nothing and says so', () => {
  const dir = 'server/test/fixtures/keylog/ossl-tls12-gcm';
  const imported = run(['import', `${dir}/capture.pcap`, '--keylog', `${dir}/keylog.txt`]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /^C: EHLO client\.feas\.test$/m);
  assert.match(imported.stdout, /# key log \(the key log given, secrets of 1 connection\): 1 SMTP session decrypted/);
  const decoded = run(['decode', '--format', 'json', `${dir}/capture.pcap`, '--keylog', `${dir}/keylog.txt`]);
  assert.match(decoded.stdout, /"decrypted":true/);
  const missing = run(['import', `${dir}/capture.pcap`, '--keylog', `${dir}/no-such-keylog.txt`]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--keylog: cannot read .*no-such-keylog\.txt/);
  const full = run(['import', `${dir}/capture.pcap`, '--keylog', `${dir}/keylog.txt`, '--full-hex']);
  assert.equal(full.code, 0);
  assert.match(full.stderr, /--full-hex shows the encrypted records as sent; --keylog decrypts nothing with it/);
  assert.doesNotMatch(full.stdout, /decrypted with the key log/);
});
