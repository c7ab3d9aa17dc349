/**
 * openssl -msg: record header lengths against the content dumped after them (OpensslRecordAccount).
 * Real logs (server/test/fixtures/tls/*.msg.txt, `openssl s_client -msg`) must stay silent; each
 * mutation of one must give exactly one dump-malformed problem at the record header's length
 * bytes, and every byte around must still decode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { OpensslRecordAccount, type RecordDump } from '../../src/core/formats/opensslRecords';
import { createByteView } from '../../src/core/bytes/byteView';
import { byteRuns, hex, problemTexts } from './helpers';

const TLS = join(__dirname, '..', 'fixtures', 'tls');
const CORPUS = join(__dirname, '..', 'fixtures', 'corpus', 'sessions');
const load = (path: string): string => readFileSync(path, 'latin1');
const TLS12 = load(join(TLS, 'tls12-ecdhe-rsa.msg.txt'));
const HRR = load(join(TLS, 'tls13-hrr-client-cert.msg.txt'));

const RECORD_PROBLEM = /record header/;

function recordProblems(text: string): { text: string; message: string }[] {
  const t = readTranscript(text);
  return t.problems.filter((p) => RECORD_PROBLEM.test(p.message)).map((p) => ({ text: text.slice(p.span.start, p.span.end), message: p.message }));
}

/** All decoded bytes in document order (what "everything around still decodes" compares). */
function allBytes(text: string): string {
  return byteRuns(readTranscript(text)).map((r) => hex(r.view.bytes)).join('');
}

/** Replaces line `n` (0-based) of `text`. */
function withLine(text: string, n: number, line: string): string {
  const lines = text.split('\n');
  lines[n] = line;
  return lines.join('\n');
}

/** Line numbers (0-based) of the record header dumps whose type byte is `type`. */
function headerLines(text: string, type: string): number[] {
  const lines = text.split('\n');
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (/RecordHeader \[length 0005\]/.test(l) && lines[i + 1]?.trim().startsWith(`${type} `)) out.push(i + 1);
  });
  return out;
}

/** Offset of line `n` (0-based). */
function lineStart(text: string, n: number): number {
  let at = 0;
  for (let i = 0; i < n; i++) at = text.indexOf('\n', at) + 1;
  return at;
}

test('real openssl -msg logs: headers and content agree, no record problem', () => {
  const files = [
    ...readdirSync(TLS).filter((f) => f.endsWith('.msg.txt')).map((f) => join(TLS, f)),
    join(CORPUS, 'ossl-tls1_3-msg', 'openssl-s_client-msg.txt'),
    join(CORPUS, 'ossl-default-msg', 'openssl-s_client-msg.txt'),
  ];
  assert.ok(files.length >= 15, `${files.length} fixtures`);
  for (const f of files) {
    const text = load(f);
    assert.ok(text.includes('RecordHeader'), f);
    assert.deepEqual(recordProblems(text), [], f);
  }
});

test('every plaintext handshake header of a TLS 1.2 log, one byte too long or too short: one problem at its length bytes', () => {
  const plain = headerLines(TLS12, '16').slice(0, 6); // ClientHello ... ClientKeyExchange; later ones follow ChangeCipherSpec
  assert.equal(plain.length, 6);
  const original = allBytes(TLS12);
  for (const n of plain) {
    const line = TLS12.split('\n')[n];
    const len = parseInt(line.trim().split(/ +/).slice(3).join(''), 16);
    for (const delta of [1, -1]) {
      const changed = (len + delta).toString(16).padStart(4, '0');
      const mutated = withLine(TLS12, n, `    ${line.trim().split(/ +/).slice(0, 3).join(' ')} ${changed.slice(0, 2)} ${changed.slice(2)}`);
      const t = readTranscript(mutated);
      assert.equal(t.problems.length, 1, `line ${n + 1} ${delta}: ${t.problems.map((p) => p.message).join('; ')}`);
      const p = t.problems[0];
      assert.equal(p.rule, 'dump-malformed');
      assert.equal(p.span.start, lineStart(mutated, n) + 4 + 9, `line ${n + 1}`);
      assert.equal(mutated.slice(p.span.start, p.span.end), `${changed.slice(0, 2)} ${changed.slice(2)}`);
      if (delta > 0) assert.match(p.message, new RegExp(`says length ${len + 1} .* only ${len} bytes of Handshake`));
      else assert.match(p.message, new RegExp(`says length ${len - 1} .* reaches ${len} bytes at line ${n + 2}`));
      // The bytes decoded are the same but for the changed length byte(s).
      const after = allBytes(mutated);
      assert.equal(after.length, original.length);
      let differing = 0;
      for (let i = 0; i < after.length; i += 2) if (after.slice(i, i + 2) !== original.slice(i, i + 2)) differing++;
      assert.ok(differing >= 1 && differing <= 2, `${differing} bytes differ`);
      // No other finding appears: the messages still decode.
      const findings = analyzeDocument(mutated).findings.filter((f) => f.rule !== 'dump-malformed');
      assert.deepEqual(findings.map((f) => f.rule), analyzeDocument(TLS12).findings.map((f) => f.rule));
    }
  }
});

test('a deleted content block: the header it belonged to is reported when the other side speaks', () => {
  const lines = TLS12.split('\n');
  const label = lines.findIndex((l) => l.includes('ClientHello'));
  let end = label + 1;
  while (lines[end].startsWith('    ')) end++;
  const mutated = [...lines.slice(0, label), ...lines.slice(end)].join('\n');
  const problems = recordProblems(mutated);
  assert.deepEqual(problems.map((p) => p.text), ['00 af']);
  assert.match(problems[0].message, /says length 175 \(0x00af\) but only 0 bytes of Handshake/);
  // The server's flight still pairs with its headers.
  assert.ok(byteRuns(readTranscript(mutated)).some((r) => r.role === 'stream' && r.direction === 'server' && hex(r.view.bytes).startsWith('1603030041')));
});

test('a duplicated content block: overrun reported at the header, with the line where the content overran', () => {
  const lines = TLS12.split('\n');
  const label = lines.findIndex((l) => l.includes('ServerHelloDone'));
  const mutated = [...lines.slice(0, label + 2), ...lines.slice(label, label + 2), ...lines.slice(label + 2)].join('\n');
  const problems = recordProblems(mutated);
  assert.deepEqual(problems.map((p) => p.text), ['00 04']);
  assert.match(problems[0].message, new RegExp(`reaches 8 bytes at line ${label + 3}`));
});

test('records after ChangeCipherSpec under a CBC suite may hold padding: a shorter content is no problem, a longer one is', () => {
  const cbc = load(join(TLS, 'tls12-rsa-cbc.msg.txt'));
  assert.match(cbc, /Cipher is AES128-SHA/);
  const finished = headerLines(cbc, '16')[5];
  assert.equal(cbc.split('\n')[finished].trim(), '16 03 03 00 44');
  assert.deepEqual(recordProblems(withLine(cbc, finished, '    16 03 03 00 60')), []);
  const short = withLine(cbc, finished, '    16 03 03 00 0f');
  assert.deepEqual(recordProblems(short).map((p) => p.text), ['00 0f']);
});

test('records after ChangeCipherSpec under a TLS 1.2 AEAD suite are their content plus its nonce and tag, exactly: one byte more or less is a problem', () => {
  assert.match(TLS12, /Cipher is ECDHE-RSA-AES128-GCM-SHA256/);
  // The client's Finished (sent) and the server's (read): 16 bytes + 8-byte explicit nonce + 16-byte tag.
  const finished = headerLines(TLS12, '16').slice(6).filter((n) => TLS12.split('\n')[n].trim() === '16 03 03 00 28');
  assert.equal(finished.length, 2);
  for (const n of finished) {
    for (const [length, text] of [[0x29, '00 29'], [0x27, '00 27'], [0x40, '00 40']] as const) {
      const problems = recordProblems(withRecordLength(TLS12, n, length));
      assert.deepEqual(problems.map((p) => p.text), [text], `line ${n + 1} length ${length}`);
      assert.match(problems[0].message, /the record holds 24 bytes of TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 nonce and tag$/);
    }
  }
  assert.match(recordProblems(withRecordLength(TLS12, finished[0], 0x29))[0].message, /^record header says length 41 \(0x0029\) but only 16 bytes of Handshake are dumped after it/);
  assert.match(recordProblems(withRecordLength(TLS12, finished[0], 0x27))[0].message, /^record header says length 39 \(0x0027\) but the Handshake dumped after it reaches 16 bytes/);
  // The encrypted alert at the end: 2 bytes + 24 (0x1a) as it is; 0x1b is one too many.
  const alert = headerLines(TLS12, '15');
  assert.equal(TLS12.split('\n')[alert[0]].trim(), '15 03 03 00 1a');
  assert.deepEqual(recordProblems(TLS12), []);
  assert.deepEqual(recordProblems(withRecordLength(TLS12, alert[0], 0x1b)).map((p) => p.text), ['00 1b']);
});

test('TLS 1.3: a ServerHello after the compatibility ChangeCipherSpec is plaintext and still checked', () => {
  const n = HRR.split('\n').findIndex((l) => l.trim() === '16 03 03 00 7a');
  assert.ok(n > 0);
  const problems = recordProblems(withLine(HRR, n, '    16 03 03 00 9a'));
  assert.deepEqual(problems.map((p) => p.text), ['00 9a']);
  assert.match(problems[0].message, /says length 154 .* only 122 bytes/);
});

test('CONNECTED starts a new connection: the ChangeCipherSpec of the first does not excuse the second', () => {
  const cert = headerLines(TLS12, '16')[2];
  const second = withLine(TLS12, cert, '    16 03 03 03 65');
  assert.deepEqual(recordProblems(second).map((p) => p.text), ['03 65']);
  const both = `${TLS12}\n${second}`;
  const problems = readTranscript(both).problems;
  assert.equal(problems.length, 1);
  assert.equal(both.slice(problems[0].span.start, problems[0].span.end), '03 65');
  assert.ok(problems[0].span.start > TLS12.length);
});

const msg = (dir: '>>>' | '<<<', word: string, bytes: string, version = 'TLS 1.2'): string[] => {
  const n = bytes.replace(/ /g, '').length / 2;
  return [`${dir} ${version}, ${word} [length ${n.toString(16).padStart(4, '0')}]`, `    ${bytes}`];
};
const header = (dir: '>>>' | '<<<', bytes: string): string[] => msg(dir, 'RecordHeader', bytes, 'TLS 1.2');

test('a message split across records and several messages in one record are not problems', () => {
  const split = [
    ...msg('>>>', 'Handshake', '01 00 00 02 03 03'), // a ClientHello-shaped first exchange: plaintext from here
    ...header('<<<', '16 03 03 00 04'),
    ...header('<<<', '16 03 03 00 06'),
    ...msg('<<<', 'Handshake', '0b 00 00 06 01 02 03 04 05 06'),
    ...header('<<<', '16 03 03 00 08'),
    ...msg('<<<', 'Handshake', '0c 00 00 02 01 02'),
    // The 8-byte record holds the 6-byte message and the first 2 bytes of the next; the last record the rest.
    ...header('<<<', '16 03 03 00 0c'),
    ...msg('<<<', 'Handshake', '0d 00 00 06 01 02 03 04 05 06'),
    ...msg('<<<', 'Handshake', '0e 00 00 00'),
  ].join('\n');
  assert.deepEqual(readTranscript(split).problems, []);
  // The same, with the last record one byte short of its content.
  const broken = split.replace('16 03 03 00 0c', '16 03 03 00 0b');
  assert.deepEqual(recordProblems(broken).map((p) => p.text), ['00 0b']);
  assert.match(recordProblems(broken)[0].message, /2 record headers from line 9 say 19 bytes but the Handshake dumped after them reaches 20 bytes at line 17/);
});

test('a record short by one while the next holds exactly its own message: the short one is reported, not the next', () => {
  const text = [
    ...header('<<<', '16 03 03 00 07'),
    ...msg('<<<', 'Handshake', '02 00 00 02 03 03'),
    ...header('<<<', '16 03 03 00 04'),
    ...msg('<<<', 'Handshake', '0e 00 00 00'),
    ...header('>>>', '16 03 03 00 04'),
    ...msg('>>>', 'Handshake', '10 00 00 00'),
  ].join('\n');
  const problems = recordProblems(text);
  assert.deepEqual(problems.map((p) => p.text), ['00 07']);
  assert.match(problems[0].message, /says length 7 \(0x0007\) but only 6 bytes of Handshake/);
});

test('excerpts without a ChangeCipherSpec: a short alert is encrypted when the gap is a cipher\'s overhead, a contradiction when smaller', () => {
  const encrypted = [...header('>>>', '15 03 03 00 1a'), ...msg('>>>', 'Alert', '01 00')].join('\n');
  assert.deepEqual(readTranscript(encrypted).problems, []);
  const contradiction = [...header('>>>', '15 03 03 00 05'), ...msg('>>>', 'Alert', '01 00')].join('\n');
  assert.deepEqual(problemTexts(contradiction, readTranscript(contradiction)), ['00 05']);
});

test('the log ends after a header with no content (a cut): no problem; content that stops short: a problem', () => {
  const cut = [...msg('>>>', 'Handshake', '01 00 00 00'), ...header('<<<', '16 03 03 00 40')].join('\n');
  assert.deepEqual(readTranscript(cut).problems, []);
  const short = [...header('<<<', '16 03 03 00 0b'), ...msg('<<<', 'Handshake', '02 00 00 06 03 03 00 00 00 00')].join('\n');
  assert.deepEqual(problemTexts(short, readTranscript(short)), ['00 0b']);
});

test('a content dump with a problem of its own is reported once, not again against the record header', () => {
  const lines = TLS12.split('\n');
  const label = lines.findIndex((l) => l.includes('ClientHello'));
  const mutated = [...lines.slice(0, label + 2), ...lines.slice(label + 3)].join('\n'); // one dump line of 16 bytes gone
  const t = readTranscript(mutated);
  assert.deepEqual(problemTexts(mutated, t), ['00af']);
  assert.match(t.problems[0].message, /label says length/);
});

test('OpensslRecordAccount directly: overrun, shortfall at the end of the connection, taint', () => {
  const problems: string[] = [];
  const sink = { report: (s: number, e: number, m: string) => problems.push(`${s}-${e} ${m}`) };
  const view = (bytes: number[], at: number) => createByteView(Uint8Array.from(bytes), Int32Array.from(bytes.map((_, i) => at + 3 * i)));
  const dump = (type: string, contentType: number | undefined, bytes: number[], at: number): RecordDump =>
    ({ type, contentType, direction: 'client', view: view(bytes, at), line: at });
  const acc = new OpensslRecordAccount(sink);
  acc.add(dump('RecordHeader', undefined, [0x16, 3, 3, 0, 5], 0), true);
  acc.add(dump('Handshake', 22, [1, 0, 0, 1, 9], 100), true);
  assert.deepEqual(problems, []);
  acc.add(dump('RecordHeader', undefined, [0x16, 3, 3, 0, 6], 200), true);
  acc.add(dump('Handshake', 22, [2, 0, 0, 1, 9], 300), true);
  acc.endConnection();
  assert.deepEqual(problems, ['209-214 record header says length 6 (0x0006) but only 5 bytes of Handshake are dumped after it']);
  problems.length = 0;
  acc.add(dump('RecordHeader', undefined, [0x16, 3, 3, 0, 4], 400), true);
  acc.add(dump('Handshake', 22, [1, 0, 0, 1, 9], 500), false);
  acc.endConnection();
  assert.deepEqual(problems, []);
});

test('a record header dump that is not 5 bytes: only its label is reported, and the content after it still decodes', () => {
  const lines = TLS12.split('\n');
  const mutated = withLine(TLS12, 2, '    16 03 01 00');
  const t = readTranscript(mutated);
  assert.deepEqual(problemTexts(mutated, t), ['0005']);
  assert.match(t.problems[0].message, /label says length 0x0005 \(5 bytes\) but 4 bytes are dumped/);
  // The ClientHello is still decoded (as content shown without its record).
  const hello = analyzeDocument(mutated).sessions.flatMap((s) => s.tlsEvents.flatMap((e) => e.records.flatMap((r) => r.messages)));
  assert.ok(hello.some((m) => m.name === 'ClientHello' && !m.incomplete), lines[3]);
});

const TLS12_SAMPLE = load(join(__dirname, '..', '..', '..', 'samples', 'openssl-tls12-clean.transcript'));
const TLS13 = load(join(TLS, 'tls13-postfix.msg.txt'));

/** `text` with the record header dump on line `n` given the length `length`. */
function withRecordLength(text: string, n: number, length: number): string {
  const head = text.split('\n')[n].trim().split(/ +/).slice(0, 3).join(' ');
  const l = length.toString(16).padStart(4, '0');
  return withLine(text, n, `    ${head} ${l.slice(0, 2)} ${l.slice(2)}`);
}

test('an application data record header of length 0 (TLS 1.2, nothing dumped after it; TLS 1.3): one finding at its length bytes, not a second against the content', () => {
  for (const [name, text] of [['TLS 1.2 sample', TLS12_SAMPLE], ['TLS 1.3', TLS13]] as const) {
    const lines = headerLines(text, '17');
    assert.ok(lines.length >= 2, name);
    const before = analyzeDocument(text).findings.length;
    for (const n of lines) {
      const mutated = withRecordLength(text, n, 0);
      // The record decoder reports it (decodeRecordHeaderOnly); the account says nothing more.
      assert.deepEqual(recordProblems(mutated), [], `${name} line ${n + 1}`);
      const findings = analyzeDocument(mutated).findings;
      assert.equal(findings.length, before + 1, `${name} line ${n + 1}: ${findings.map((f) => f.message).join(' | ')}`);
      const at = findings.filter((f) => f.span.start === lineStart(mutated, n) + 4 + 9);
      assert.equal(at.length, 1, `${name} line ${n + 1}`);
      assert.equal(mutated.slice(at[0].span.start, at[0].span.end), '00 00');
      assert.match(at[0].message, /application data is always protected/);
    }
  }
  // A TLS 1.2 application data record shows no content: any other length is no contradiction.
  const [first] = headerLines(TLS12_SAMPLE, '17');
  assert.deepEqual(recordProblems(withRecordLength(TLS12_SAMPLE, first, 1)), []);
});

test('TLS 1.3 protected records: the inner content type, the content dumped after the header and the tag of the chosen cipher suite must fit in it', () => {
  const lines = TLS13.split('\n');
  const ee = lines.findIndex((l, i) => l.trim().startsWith('17 03 03') && lines[i + 3]?.includes('EncryptedExtensions'));
  assert.ok(ee > 0);
  assert.equal(lines[ee + 4].trim(), '08 00 00 02 00 00');
  // The ServerHello chose a suite with a 16-byte tag: type byte + 6 bytes + 16 = 23 (as logged); 22 is too short.
  assert.match(TLS13, /ca 35 f9 13 02 00 00 2e/); // ServerHello: session id ... cipher suite 0x1302, TLS_AES_256_GCM_SHA384
  assert.match(TLS13, /Cipher is TLS_AES_256_GCM_SHA384/);
  assert.equal(lines[ee].trim(), '17 03 03 00 17');
  const short = withRecordLength(TLS13, ee, 22);
  const problems = recordProblems(short);
  assert.deepEqual(problems.map((p) => p.text), ['00 16']);
  assert.equal(
    problems[0].message,
    `record header says length 22 (0x0016) but the inner content type and Handshake dumped after it reach 7 bytes at line ${ee + 4}, and the record holds a tag of at least 16 bytes`,
  );
  // Reported once; the records after it are checked afresh and agree.
  assert.equal(readTranscript(short).problems.length, 1);
  // A later record of the same flight, too short for its Certificate: reported at its own header.
  const cert = lines.findIndex((l, i) => l.trim().startsWith('17 03 03') && lines[i + 3]?.includes(', Certificate'));
  const content = parseInt(/Handshake \[length ([0-9a-f]+)\], Certificate/.exec(TLS13)![1], 16);
  const certShort = withRecordLength(TLS13, cert, content + 16);
  const hex4 = (content + 16).toString(16).padStart(4, '0');
  assert.deepEqual(recordProblems(certShort).map((p) => p.text), [`${hex4.slice(0, 2)} ${hex4.slice(2)}`]);
  // The record before it is full (type byte, 6 bytes, 16-byte tag): the Certificate's record is judged on its own.
  assert.equal(
    recordProblems(certShort)[0].message,
    `record header says length ${content + 16} (0x${hex4}) but the inner content type and Handshake dumped after it reach ${content + 1} bytes at line ${cert + 4}, and the record holds a tag of at least 16 bytes`,
  );
});

test('TLS 1.3 protected records holding several messages, or one message split over two of them: no problem; one too short: a problem', () => {
  const inner = (dir: '>>>' | '<<<', type: string): string[] => msg(dir, 'InnerContent', type, 'TLS 1.3');
  const hs = (bytes: string): string[] => msg('<<<', 'Handshake', bytes, 'TLS 1.3');
  const body = Array.from({ length: 26 }, (_, i) => (i + 1).toString(16).padStart(2, '0')).join(' ');
  const text = [
    ...msg('>>>', 'Handshake', '01 00 00 02 03 03', 'TLS 1.3'),
    // One record of 27 bytes: type byte + a 4-byte and a 6-byte message + a 16-byte tag.
    ...header('<<<', '17 03 03 00 1b'), ...inner('<<<', '16'), ...hs('08 00 00 00'), ...hs('0b 00 00 02 00 00'),
    ...header('>>>', '17 03 03 00 13'), ...inner('>>>', '15'), ...msg('>>>', 'Alert', '01 00', 'TLS 1.3'),
    // No ServerHello (an excerpt): the tag is the smallest of any TLS 1.3 suite, 8 bytes (TLS_AES_128_CCM_8_SHA256).
    // A 30-byte message over two records of 24 bytes: type byte, 15 bytes of it and an 8-byte tag each.
    ...header('<<<', '17 03 03 00 18'), ...inner('<<<', '16'), ...header('<<<', '17 03 03 00 18'), ...inner('<<<', '16'),
    ...hs(`0f 00 00 1a ${body}`),
  ].join('\n');
  assert.deepEqual(readTranscript(text).problems, []);
  const broken = text.replace(/17 03 03 00 18(?![\s\S]*17 03 03 00 18)/, '17 03 03 00 17');
  const problems = recordProblems(broken);
  assert.deepEqual(problems.map((p) => p.text), ['00 17']);
  assert.match(problems[0].message, /^2 record headers from line 17 say 47 bytes but the inner content type and Handshake dumped after them reach 32 bytes at line 25, and each record holds a tag of at least 8 bytes$/);
  // The packed record: 19 bytes hold its type byte, messages and tag; 18 do not.
  assert.deepEqual(recordProblems(text.replace('17 03 03 00 1b', '17 03 03 00 13')), []);
  assert.deepEqual(recordProblems(text.replace('17 03 03 00 1b', '17 03 03 00 12')).map((p) => p.text), ['00 12']);
});

test('the first ChangeCipherSpec record of each side after a hello in the clear is one byte: another length is a problem; a later one (renegotiation) or one in an excerpt may be encrypted', () => {
  const ccs = headerLines(TLS12, '14');
  assert.equal(ccs.length, 2); // the client's (sent, content shown) and the server's (read, header alone)
  for (const n of ccs) {
    const mutated = withRecordLength(TLS12, n, 2);
    const problems = recordProblems(mutated);
    assert.deepEqual(problems.map((p) => p.text), ['00 02'], `line ${n + 1}`);
    assert.equal(problems[0].message, 'record header says length 2 (0x0002) for a ChangeCipherSpec, but the first one a side sends after a hello in the clear is a single plaintext byte');
    // Length 0 is the record decoder's finding alone.
    assert.deepEqual(recordProblems(withRecordLength(TLS12, n, 0)), []);
    assert.ok(analyzeDocument(withRecordLength(TLS12, n, 0)).findings.some((f) => /change_cipher_spec record of length 0/.test(f.message)));
  }
  // A renegotiation: the second ChangeCipherSpec of the client is encrypted (here 25 bytes).
  const again = `${TLS12.trimEnd()}\n${[...header('>>>', '14 03 03 00 19'), ...msg('>>>', 'ChangeCipherSpec', '01')].join('\n')}\n`;
  assert.deepEqual(recordProblems(again), []);
  // An excerpt without its hellos: nothing says the record is in the clear.
  const excerpt = [...header('>>>', '14 03 03 00 19'), ...msg('>>>', 'ChangeCipherSpec', '01')].join('\n');
  assert.deepEqual(readTranscript(excerpt).problems, []);
});

test('a renegotiation to another suite: the old AEAD suite holds until each side\'s next ChangeCipherSpec, the new CBC one after it', () => {
  const random = Array.from({ length: 32 }, () => '00').join(' ');
  const serverHello = (suite: string): string => `02 00 00 26 03 03 ${random} 00 ${suite} 00`;
  const finished = `14 00 00 0c ${Array.from({ length: 12 }, () => 'aa').join(' ')}`;
  const text = (renegotiatedHello: string, keyExchange = '16 03 03 00 1e'): string => [
    ...header('>>>', '16 03 01 00 08'), ...msg('>>>', 'Handshake', '01 00 00 04 03 03 00 00'),
    ...header('<<<', '16 03 03 00 2a'), ...msg('<<<', 'Handshake', serverHello('c0 2f')), // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    ...header('>>>', '14 03 03 00 01'), ...msg('>>>', 'ChangeCipherSpec', '01'),
    ...header('>>>', '16 03 03 00 28'), ...msg('>>>', 'Handshake', finished),
    ...header('<<<', '14 03 03 00 01'),
    ...header('<<<', '16 03 03 00 28'), ...msg('<<<', 'Handshake', finished),
    // Renegotiation, under GCM: 8-byte hello + 24, 42-byte ServerHello (choosing TLS_RSA_WITH_AES_128_CBC_SHA) + 24.
    ...header('>>>', '16 03 03 00 20'), ...msg('>>>', 'Handshake', '01 00 00 04 03 03 00 00'),
    ...header('<<<', renegotiatedHello), ...msg('<<<', 'Handshake', serverHello('00 2f')),
    // The client's key exchange comes before its ChangeCipherSpec: still GCM, 6 bytes + 24.
    ...header('>>>', keyExchange), ...msg('>>>', 'Handshake', '10 00 00 02 00 00'),
    // Each side's second ChangeCipherSpec is encrypted (under GCM), then CBC: padding makes any longer record possible.
    ...header('>>>', '14 03 03 00 19'), ...msg('>>>', 'ChangeCipherSpec', '01'),
    ...header('>>>', '16 03 03 00 40'), ...msg('>>>', 'Handshake', finished),
    ...header('<<<', '14 03 03 00 19'),
    ...header('<<<', '16 03 03 00 40'), ...msg('<<<', 'Handshake', finished),
  ].join('\n');
  assert.deepEqual(readTranscript(text('16 03 03 00 42')).problems, []);
  const problems = recordProblems(text('16 03 03 00 43'));
  assert.deepEqual(problems.map((p) => p.text), ['00 43']);
  assert.match(problems[0].message, /says length 67 .* only 42 bytes of Handshake .* 24 bytes of TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 nonce and tag$/);
  assert.deepEqual(recordProblems(text('16 03 03 00 42', '16 03 03 00 1f')).map((p) => p.text), ['00 1f']);
});
