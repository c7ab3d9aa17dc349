/**
 * Seeded generator of realistic transcripts for benchmarks: real sessions from
 * samples/ and the corpus, concatenated, each copy with its own host names so
 * no two sessions are textually identical.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..');

/** The same seeded generator the tests use (mulberry32), so corpora are reproducible. */
import { seededRandom as createRandom } from '../server/test/tls/helpers';
export { createRandom };

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
};

export const FORMATS = Object.keys(TEMPLATES);

/** Gives each copy its own client and server names (the bytes stay as recorded, so findings stay realistic). */
function vary(text: string, rnd: () => number): string {
  const id = Math.floor(rnd() * 1e9).toString(36);
  return text.replace(/client\.(feas|example)\.test/g, `client-${id}.example.test`).replace(/mx\.(feas|example)\.test/g, `mx-${id}.example.test`);
}

/** A document of about `bytes` characters in one format, seeded. */
export function generateCorpus(format: string, bytes: number, seed: number): { text: string; sessions: number } {
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
