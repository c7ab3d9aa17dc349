/**
 * tshark follow,tcp,raw (server/test/fixtures/follow-raw/README.md): every real rendering reads as
 * the follow,tcp,hex rendering of the same capture does: the same SMTP commands and replies, the
 * same TLS records, the same findings. Before, raw lines were left to the bare hex stream reader,
 * which took the server's greeting for TLS (a false tls-malformed error on every file).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, type Analysis } from '../../src/core/analysis/analyzeDocument';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const RAW = path.join(FIXTURES, 'follow-raw');

/** What a reading shows: SMTP lines and the records of each TLS stream, without document positions. */
function shape(a: Analysis): unknown {
  return a.sessions.map((s) => ({
    port: s.session.port,
    smtp: s.session.events.flatMap((e) => (e.kind === 'command' ? [`C ${e.verb} ${e.argument}`] : e.kind === 'reply' ? [`S ${e.code} ${e.lines.join('|')}`] : [])),
    tls: s.streams.map((st) => `${st.direction}: ${st.decoded.records.map((r) => `${r.contentType}/${r.version.toString(16)}/${r.length}`).join(' ')}`),
  }));
}

const files = fs.readdirSync(RAW).filter((f) => f.endsWith('.txt')).sort();

test('every corpus capture has a raw rendering here', () => {
  assert.ok(files.length >= 10, `${files.length} files`);
});

for (const file of files) {
  test(`follow,tcp,raw ${file}: read as follow,tcp,hex of the same capture`, () => {
    const raw = analyzeDocument(fs.readFileSync(path.join(RAW, file), 'utf8'));
    const hex = analyzeDocument(fs.readFileSync(path.join(FIXTURES, 'corpus', 'sessions', file.replace(/\.txt$/, ''), 'tshark-follow-tcp-hex.txt'), 'utf8'));
    assert.equal(raw.transcript.format, 'tshark-follow-hex');
    assert.deepEqual(shape(raw), shape(hex));
    assert.ok((shape(raw) as { tls: string[] }[])[0].tls.length > 0, 'TLS records read');
    assert.deepEqual(
      raw.findings.map((f) => f.rule),
      hex.findings.map((f) => f.rule),
    );
  });
}

test('follow,tcp,raw: a line with a stray character is no raw line; an odd digit count is reported where it is', () => {
  const head = '===================================================================\nFollow: tcp,raw\nFilter: tcp.stream eq 0\nNode 0: 127.0.0.1:40000\nNode 1: 127.0.0.1:25\n';
  const good = analyzeDocument(`${head}\t32323020676f0d0a\n45484c4f20780d0a\n`);
  assert.deepEqual(shape(good), [{ port: 25, smtp: ['S 220 go', 'C EHLO x'], tls: [] }]);
  const odd = analyzeDocument(`${head}\t32323020676f0d0a\n45484c4f20780d0\n`);
  assert.ok(odd.findings.some((f) => f.rule === 'dump-malformed' && /odd number of hex digits/.test(f.message)));
});
