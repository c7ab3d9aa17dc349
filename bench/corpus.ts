/**
 * Seeded generator of realistic transcripts for benchmarks: real sessions from
 * samples/ and the corpus, concatenated, each copy with its own host names so
 * no two sessions are textually identical.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../server/src/core/formats/readTranscript';

export const REPO = path.resolve(__dirname, '..');

/** The same seeded generator the tests use (mulberry32), so corpora are reproducible. */
import { seededRandom as createRandom } from '../server/test/tls/helpers';
export { createRandom };

/** Logs of many connections, as an MTA writes them: copies follow each other with no blank line. */
const LOGS: Record<string, string[]> = {
  // A relay's mail.log: postfix smtpd connections (levels 2 and 3) and postfix/smtp deliveries.
  'postfix-log': [
    'server/test/fixtures/corpus/sessions/swaks-starttls/postfix.log',
    'server/test/fixtures/corpus/sessions/gnutls-default-d5/postfix.log',
    'server/test/fixtures/stated-cipher/postfix-adh.log',
    'server/test/fixtures/postfix-client/postfix-smtp-client.log',
  ],
  // Exim's main log: one line per message, X= on those over TLS.
  'exim-mainlog': ['server/test/fixtures/exim-mainlog/mainlog'],
  // sendmail's syslog lines, as the client (deliveries, verdicts, an alert) and as the server.
  'sendmail-log': ['server/test/fixtures/sendmail/maillog-client.log', 'server/test/fixtures/sendmail/maillog-server.log'],
};

const TEMPLATES: Record<string, string[]> = {
  'cs-transcript': [
    'samples/ssl3-hello.transcript',
    'samples/sslv2-hello-tls10.transcript',
    'samples/tls12-record-ssl3-legal.transcript',
    'server/test/fixtures/corpus/sessions/raw-tls12-ch-reference-p25/transcript-CS.txt',
  ],
  'openssl-msg': [
    'server/test/fixtures/corpus/sessions/ossl-default-msg/openssl-s_client-msg.txt',
    'server/test/fixtures/corpus/sessions/ossl-tls1_3-msg/openssl-s_client-msg.txt',
  ],
  'hexdump-C': ['server/test/fixtures/corpus/sessions/curl-v-starttls/clienthello.hexdump-C.txt'],
  // PHPMailer's debug output as PHP applications print it (SMTPDebug 3 and 4, a failed handshake's alert).
  phpmailer: ['server/test/fixtures/phpmailer/phpmailer-starttls.txt', 'server/test/fixtures/phpmailer/phpmailer-lowlevel.txt', 'server/test/fixtures/phpmailer/phpmailer-alert.txt'],
};

export const FORMATS = [...Object.keys(TEMPLATES), ...Object.keys(LOGS)];

/** A log's copy with process ids of its own (postfix's `smtpd[1234]`), so no two copies' connections share a process. */
function renumber(text: string, copy: number): string {
  return text.replace(/\[([0-9]{1,7})\]:/g, (_, pid: string) => `[${(Number(pid) % 100000) + 100000 * (copy + 1)}]:`);
}

/** Gives each copy its own client and server names (the bytes stay as recorded, so findings stay realistic). */
function vary(text: string, rnd: () => number): string {
  const id = Math.floor(rnd() * 1e9).toString(36);
  return text.replace(/client\.(feas|example)\.test/g, `client-${id}.example.test`).replace(/mx\.(feas|example)\.test/g, `mx-${id}.example.test`);
}

/** A document of about `bytes` characters in one format, seeded. */
export function generateCorpus(format: string, bytes: number, seed: number): { text: string; sessions: number } {
  if (LOGS[format]) return generateLog(format, bytes, seed);
  const rnd = createRandom(seed);
  const templates = TEMPLATES[format].map((f) => fs.readFileSync(path.join(REPO, f), 'utf8'));
  const parts: string[] = [];
  let size = 0;
  let sessions = 0;
  while (size < bytes) {
    const t = vary(templates[Math.floor(rnd() * templates.length)], rnd);
    // Sessions separated by a blank line, as people paste them one after another.
    parts.push((t.endsWith('\n') ? t : t + '\n') + '\n');
    size += t.length + 2;
    sessions++;
  }
  return { text: parts.join(''), sessions };
}

/**
 * One swaks run (the corpus's, recorded against postfix) sending a message of about `bytes`
 * characters: seeded base64 lines of 76 characters inside TLS (` ~> `), as `swaks --attach` shows
 * them. One session longer than a chunk: the text is cut every 4 MB and each part continues the
 * message text (server/src/core/analysis/chunkContinuation.ts).
 */
export function generateLongSession(bytes: number, seed: number): { text: string; sessions: number } {
  const run = fs.readFileSync(path.join(REPO, 'server/test/fixtures/corpus/sessions/swaks-starttls/swaks.txt'), 'utf8');
  const at = run.indexOf(' ~> This is a test mailing\n');
  const rnd = createRandom(seed);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    let line = ' ~> ';
    for (let k = 0; k < 76; k++) line += alphabet[Math.floor(rnd() * 64)];
    lines.push(line + '\n');
    size += line.length + 1;
  }
  return { text: run.slice(0, at) + lines.join('') + run.slice(at), sessions: 1 };
}

/** A log of about `bytes` characters: seeded copies of real logs appended, each copy's processes renumbered; sessions as the reader counts them. */
function generateLog(format: string, bytes: number, seed: number): { text: string; sessions: number } {
  const rnd = createRandom(seed);
  const templates = LOGS[format].map((f) => fs.readFileSync(path.join(REPO, f), 'utf8'));
  const parts: string[] = [];
  let size = 0;
  for (let copy = 0; size < bytes; copy++) {
    const t = vary(renumber(templates[Math.floor(rnd() * templates.length)], copy), rnd);
    parts.push(t.endsWith('\n') ? t : t + '\n');
    size += t.length + 1;
  }
  const text = parts.join('');
  return { text, sessions: countSessions(text) };
}

/** Sessions of a generated log as the reader counts them (read in 4 MB pieces). */
function countSessions(text: string): number {
  let sessions = 0;
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + 4_000_000);
    if (end < text.length) end = text.indexOf('\n', end) + 1 || text.length;
    sessions += readTranscript(text.slice(at, end)).sessions.length;
    at = end;
  }
  return sessions;
}
