/**
 * Capture benchmark (issue 10, item 2): `smtptls check` on a pcap of thousands of SMTP
 * sessions against `tshark -r FILE -V -Y tls.handshake` on the same file, in sessions/s
 * (target: ≥ 10× tshark). tshark is optional: without it the comparison is skipped with a note.
 *
 * The capture is seeded: real single-connection captures of the test fixtures (Ethernet,
 * IPv4, little-endian microsecond pcap, server on port 25), picked at random and repeated,
 * each copy on its own client port and 10 ms after the previous one.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../server/src/core/analysis/analyzeDocument';
import { openFileSource } from '../server/src/core/capture/fileSource';
import { importCapture } from '../server/src/core/capture/importCapture';
import { createRandom, REPO } from './corpus';
import { DISTINCT_PORTS, readTemplateFrames, writeCaptureCopies } from './pcapCopies';

/** Real captures, one SMTP connection each (fixtures of server/test, recorded against postfix). */
const TEMPLATES = [
  'server/test/fixtures/corpus/sessions/swaks-starttls/capture.pcap',
  'server/test/fixtures/corpus/sessions/curl-v-starttls/capture.pcap',
  'server/test/fixtures/corpus/sessions/gnutls-default-d5/capture.pcap',
  'server/test/fixtures/corpus/sessions/pysmtplib-starttls/capture.pcap',
  'server/test/fixtures/live/openssl-tls12-clean.pcap',
  'server/test/fixtures/live/openssl-tls13-clean.pcap',
  'server/test/fixtures/live/ssl3-hello.pcap',
  'server/test/fixtures/live/sslv2-hello-tls10.pcap',
  'server/test/fixtures/live/tls12-record-ssl3-legal.pcap',
  'server/test/fixtures/live/truncated-hello.pcap',
];

/**
 * Real captures with the key log their client wrote (server/test/fixtures/keylog, README.md there):
 * openssl s_client on TLS 1.3 and 1.2 in several suites, gnutls-cli, curl.
 */
const KEYLOG_TEMPLATES = ['ossl-tls13-aes256', 'ossl-tls13-aes128', 'ossl-tls13-chacha', 'ossl-tls12-gcm', 'ossl-tls12-chacha', 'ossl-tls12-cbc-etm', 'gnutls-tls13', 'curl-tls13'].map(
  (d) => `server/test/fixtures/keylog/${d}`,
);

/** Writes a pcap of `sessions` SMTP connections (distinct client ports from 1024 up); returns its size in bytes. */
export function generateCapture(file: string, sessions: number, seed: number, templateFiles: readonly string[] = TEMPLATES): number {
  if (sessions > DISTINCT_PORTS) throw new Error(`at most ${DISTINCT_PORTS} distinct client ports`);
  const rnd = createRandom(seed);
  const templates = templateFiles.map((t) => readTemplateFrames(path.join(REPO, t)));
  return writeCaptureCopies(file, templates, () => Math.floor(rnd() * templates.length), (k) => k < sessions).bytes;
}

function timeMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function hasTshark(): boolean {
  const r = spawnSync('tshark', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

type Row = Record<string, string | number>;

export function benchCapture(work: string, quick: boolean): { section: string; rows: Row[] } {
  const counts = quick ? [2000] : [2000, 10000];
  const rows: Row[] = [];
  const tshark = hasTshark();
  if (!tshark) console.log('capture benchmark: tshark is not installed; the tshark comparison is skipped');
  const bin = path.join(REPO, 'bin', 'smtptls');
  const devNull = fs.openSync('/dev/null', 'w');
  for (const sessions of counts) {
    const file = path.join(work, `capture-${sessions}.pcap`);
    const bytes = generateCapture(file, sessions, 20261129);
    const mb = bytes / 1e6;
    const runs = sessions > 5000 ? 1 : 3;
    // In process: import (pcap → transcript) and analysis, timed apart.
    let found = 0;
    let importMs = 0;
    let analyseMs = 0;
    for (let i = 0; i < runs; i++) {
      let text = '';
      const source = openFileSource(file);
      importMs += timeMs(() => {
        const r = importCapture(source, { name: path.basename(file) });
        text = r.text;
        found = r.sessions.length;
      });
      source.close();
      analyseMs += timeMs(() => void analyzeDocument(text));
    }
    importMs /= runs;
    analyseMs /= runs;
    if (found !== sessions) throw new Error(`capture benchmark: ${found} sessions imported, ${sessions} written`);
    // The CLI as users run it (process start, streaming import and chunked analysis, text report),
    // its peak RSS reported by the child itself.
    const cli: number[] = [];
    let maxRssKb = 0;
    for (let i = 0; i < runs; i++) {
      cli.push(timeMs(() => {
        const r = spawnSync(process.execPath, ['-r', path.join(__dirname, 'reportMaxRss.cjs'), bin, 'check', file], { stdio: ['ignore', devNull, 'pipe'], encoding: 'utf8' });
        if (r.status !== 0 && r.status !== 1) throw new Error(`smtptls check failed: ${r.stderr}`);
        maxRssKb = Math.max(maxRssKb, Number(/smtptls-bench-max-rss-kb (\d+)/.exec(r.stderr)?.[1] ?? 0));
      }));
    }
    const cliMs = median(cli);
    let tsharkMs = NaN;
    if (tshark) {
      tsharkMs = timeMs(() => {
        const r = spawnSync('tshark', ['-r', file, '-V', '-Y', 'tls.handshake'], { stdio: ['ignore', devNull, 'ignore'] });
        if (r.status !== 0) throw new Error(`tshark failed on ${file}`);
      });
    }
    const perSecond = (ms: number): number => Math.round(sessions / (ms / 1000));
    const row: Row = {
      sessions,
      'size MB': mb.toFixed(1),
      'import sessions/s (in process)': perSecond(importMs),
      'import + analysis sessions/s (in process)': perSecond(importMs + analyseMs),
      'smtptls check sessions/s': perSecond(cliMs),
      'smtptls check MB/s': (mb / (cliMs / 1000)).toFixed(1),
      'smtptls check peak RSS MB': (maxRssKb / 1024).toFixed(0),
      'tshark -V -Y tls.handshake sessions/s': tshark ? perSecond(tsharkMs) : 'not installed',
      'check / tshark (target ≥ 10×)': tshark ? `${(tsharkMs / cliMs).toFixed(1)}×` : '—',
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  fs.closeSync(devNull);
  return { section: 'Captures: `smtptls check` on a pcap against `tshark -r FILE -V -Y tls.handshake` (sessions/s, target ≥ 10×)', rows };
}

/**
 * Captures decrypted with a key log: `smtptls check --keylog` against tshark given the same key log
 * (`-o tls.keylog_file:`), each decrypting every session (copies of real sessions share their
 * client random, so one key log opens them all), and against `smtptls check` without the key log.
 */
export function benchDecryptedCapture(work: string, quick: boolean): { section: string; rows: Row[] } {
  const sessions = quick ? 1000 : 4000;
  const file = path.join(work, `capture-keylog-${sessions}.pcap`);
  const keyLog = path.join(work, 'capture-keylog.txt');
  const bytes = generateCapture(file, sessions, 20261130, KEYLOG_TEMPLATES.map((d) => `${d}/capture.pcap`));
  fs.writeFileSync(keyLog, KEYLOG_TEMPLATES.map((d) => fs.readFileSync(path.join(REPO, d, 'keylog.txt'), 'utf8')).join(''));
  const bin = path.join(REPO, 'bin', 'smtptls');
  const devNull = fs.openSync('/dev/null', 'w');
  const check = (args: string[]): number =>
    median([0, 1, 2].map(() => timeMs(() => {
      const r = spawnSync(process.execPath, [bin, 'check', file, ...args], { stdio: ['ignore', devNull, 'pipe'], encoding: 'utf8' });
      if (r.status !== 0 && r.status !== 1) throw new Error(`smtptls check failed: ${r.stderr}`);
    })));
  const withKey = check(['--keylog', keyLog]);
  const without = check([]);
  // What the key log opened, counted in the import's trailer.
  const imported = spawnSync(process.execPath, [bin, 'import', file, '--keylog', keyLog], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const decrypted = /(\d+) SMTP sessions? decrypted/.exec(imported.stdout)?.[1] ?? '?';
  let tsharkMs = NaN;
  const tshark = hasTshark();
  if (tshark) {
    tsharkMs = timeMs(() => {
      const r = spawnSync('tshark', ['-r', file, '-o', `tls.keylog_file:${keyLog}`, '-V', '-Y', 'tls.handshake'], { stdio: ['ignore', devNull, 'ignore'] });
      if (r.status !== 0) throw new Error(`tshark failed on ${file}`);
    });
  }
  fs.closeSync(devNull);
  const perSecond = (ms: number): number => Math.round(sessions / (ms / 1000));
  const row: Row = {
    sessions,
    'size MB': (bytes / 1e6).toFixed(1),
    'sessions decrypted': decrypted,
    'smtptls check --keylog sessions/s': perSecond(withKey),
    'smtptls check, no key log, sessions/s': perSecond(without),
    'key log cost': `${(withKey / without).toFixed(2)}×`,
    'tshark -o tls.keylog_file -V -Y tls.handshake sessions/s': tshark ? perSecond(tsharkMs) : 'not installed',
    'check --keylog / tshark': tshark ? `${(tsharkMs / withKey).toFixed(1)}×` : '—',
  };
  console.log(JSON.stringify(row));
  return { section: 'Captures decrypted with a key log: `smtptls check --keylog` against tshark with the same key log (sessions/s)', rows: [row] };
}
