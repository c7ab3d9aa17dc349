/**
 * Adversarial document shapes, each built at any scale `n`: used at full size by
 * bench/adversarial.ts (npm run bench:adversarial) and scaled down by adversarial.test.ts,
 * which checks that 4n costs about four times n.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';

export interface Shape {
  readonly name: string;
  /** What `n` counts, for the report. */
  readonly unit: string;
  /** Full size for the benchmark. */
  readonly full: number;
  /** Size for the unit test (4x this is run too). */
  readonly small: number;
  readonly build: (n: number) => string;
}

function swaksSession(): string {
  return fs
    .readFileSync(path.join(REPO, 'samples/swaks-starttls.transcript'), 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('# '))
    .join('\n');
}

/** A TLS record header and a ClientHello header that both claim far more than follows. */
const HUGE_CLAIM = '16 03 01 ff ff 01 ff ff ff 03 03';

export const SHAPES: readonly Shape[] = [
  { name: 'one long line of text', unit: 'bytes', full: 100e6, small: 5e5, build: (n) => 'x'.repeat(n) },
  { name: 'one long line of hex', unit: 'bytes', full: 100e6, small: 2e5, build: (n) => 'C: ' + '16 '.repeat(Math.floor(n / 3)) },
  { name: 'one-byte dump lines', unit: 'lines', full: 1e6, small: 2e4, build: (n) => 'C: 16\n'.repeat(n) },
  { name: 'one-byte xxd lines', unit: 'lines', full: 1e6, small: 8e3, build: (n) => Array.from({ length: n }, (_, i) => `${(i * 16).toString(16).padStart(8, '0')}: 16  .`).join('\n') },
  { name: 'lengths claiming 16 MB', unit: 'records', full: 100e3, small: 1e3, build: (n) => `C: ${HUGE_CLAIM}\n`.repeat(n) },
  { name: 'sessions', unit: 'sessions', full: 100e3, small: 600, build: (n) => `${swaksSession()}\n`.repeat(n) },
  {
    name: 'interleaved formats',
    unit: 'line groups',
    full: 200e3,
    small: 600,
    build: (n) => {
      const group = [
        'C: 16 03 01 00 05 01 00 00 01 00',
        '>>> TLS 1.2, RecordHeader [length 0005]',
        '    16 03 01 00 2f',
        '00000000  16 03 01 00 2f 01 00 00  2b 03 03 00 01 02 03 04  |..../...+.......|',
        '00000000: 1603 0100 2f01 0000 2b03 0300 0102 0304  ..../...+.......',
        ' -> EHLO client.example.test',
        '<-  250 mx.example.test',
        'S: 220 mx.example.test ESMTP',
        'Nov 29 04:17:02 mx postfix/smtpd[1234]: connect from client[192.0.2.1]',
        '160301002f0100002b0303',
      ].join('\n');
      return `${group}\n`.repeat(n);
    },
  },
  {
    // One session, every ClientHello damaged (a length problem) and answered: the rules that skip damaged hellos
    // or look for the hello a reply answers must not scan the whole stream for each one (issue #11).
    name: 'hellos and replies in one session',
    unit: 'pairs',
    full: 300e3,
    small: 5000,
    build: (n) => 'C: 16 03 01 00 05 01 00 00 01 00\nS: 250 ok\n'.repeat(n),
  },
  {
    // One session of STARTTLS commands each answered 220 (no TLS follows): the STARTTLS rules must not
    // re-read the rest of the session's client activity, or the EHLO in force, for each exchange.
    name: 'STARTTLS exchanges in one session',
    unit: 'exchanges',
    full: 200e3,
    small: 2000,
    build: (n) => 'S: 220 mx.example.test ESMTP\nC: EHLO client.example.test\nS: 250-mx.example.test\nS: 250 STARTTLS\n' + 'C: STARTTLS\nS: 220 ready\n'.repeat(n),
  },
  {
    // PHPMailer's failed handshakes one after another (its real output of one, repeated): each failure line is searched for
    // PHP's name check and the crypto call within itself (a search to the document's end per line was n²).
    name: 'failed handshakes as PHPMailer prints them',
    unit: 'sessions',
    full: 40e3,
    small: 250,
    build: (n) => `${fs.readFileSync(path.join(REPO, 'server/test/fixtures/phpmailer/phpmailer-alert.txt'), 'utf8')}\n`.repeat(n),
  },
  {
    // One session of client lines that are never answered: each is pipelined behind all the earlier ones.
    // The dialogue must not keep, per line, the list of lines still waiting (issue #11: that was n²).
    name: 'unanswered commands in one session',
    unit: 'commands',
    full: 1e6,
    small: 8000,
    build: (n) => 'S: 220 mx.example.test ESMTP\n' + 'C: NOOP\n'.repeat(n),
  },
];

/**
 * A little-endian microsecond pcap (link type Ethernet, snaplen 262144) of `frames`
 * records whose headers claim 4 captured bytes of a 16 MB original each: a reader that
 * believed the original length would allocate 16 MB per frame.
 */
export function buildLengthClaimingPcap(frames: number): Uint8Array {
  const bytes = new Uint8Array(24 + frames * 20);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, 0xa1b2c3d4, true); // magic: microseconds, little-endian
  v.setUint16(4, 2, true); // version 2.4
  v.setUint16(6, 4, true);
  v.setUint32(16, 262144, true); // snaplen
  v.setUint32(20, 1, true); // LINKTYPE_ETHERNET
  for (let i = 0; i < frames; i++) {
    const at = 24 + i * 20;
    v.setUint32(at + 8, 4, true); // incl_len
    v.setUint32(at + 12, 16 * 1024 * 1024, true); // orig_len
  }
  return bytes;
}
