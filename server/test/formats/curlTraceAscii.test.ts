/**
 * curl --trace-ascii breaks a dump line after 64 characters as well as at a CR LF it leaves out; the
 * offsets tell which (server/test/fixtures/curl-trace/make-trace-ascii.sh: a real run whose 550 reply
 * is 121 characters long). Oracle: tshark's SMTP fields of the capture, decrypted with curl's key log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';

const DIR = path.join(__dirname, '..', 'fixtures', 'curl-trace');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');

test('--trace-ascii: a reply longer than a dump line is one reply line, as tshark reads it; no finding', () => {
  const text = read('curl-trace-ascii-rejected.txt');
  assert.match(text, /^0000: 550 .{60}\n0040: \S/m, 'the 550 runs over two dump lines');
  const a = analyzeDocument(text);
  assert.equal(a.transcript.format, 'curl-trace-ascii');
  assert.deepEqual(a.findings.map((f) => `${f.rule}: ${f.message}`), []);
  const ours = a.sessions[0].session.events.flatMap((e) =>
    e.kind === 'command' ? [`C ${e.verb.slice(0, 4)}`] : e.kind === 'reply' ? [`S ${e.code} ${e.lines.join(',')}`] : [],
  );
  // tshark -Y smtp -T fields -e tcp.srcport -e smtp.req.command -e smtp.response.code -e smtp.rsp.parameter (server port 25).
  const theirs = read('curl-trace-ascii-rejected.tshark-smtp.txt').split('\n').filter(Boolean).map((l) => {
    const [port, verb, code, parameter] = l.split('|');
    return port === '25' ? `S ${code} ${parameter}` : `C ${verb}`;
  });
  // curl traces the dialogue up to the rejection; what it sends after (QUIT) may be all tshark has more.
  assert.deepEqual(ours, theirs.slice(0, ours.length));
  assert.ok(ours.some((x) => /^S 550 5\.1\.1 <nobody-with-a-long-local-part@mx\.example\.test>: Recipient address rejected: User unknown in local recipient table$/.test(x)), ours.join('\n'));
});
