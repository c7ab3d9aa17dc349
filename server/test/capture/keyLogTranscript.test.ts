/**
 * What the import writes of decrypted content and how the C:/S: reader reads it back, on made-up
 * TLS 1.3 sessions (keyLogSynthetic.ts) with what the real fixtures lack: binary lines inside DATA,
 * hex-looking message lines after them, lost bytes inside a record.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { parseKeyLog } from '../../src/core/tls/decrypt/keyLogSecrets';
import { importBytes } from './helpers';
import { checkTranscript, SyntheticSession, SYNTHETIC_KEY_LOG } from './keyLogSynthetic';
import { decryptedDialogue } from './keyLogOracle';

const KEY_LOG = parseKeyLog(SYNTHETIC_KEY_LOG).keyLog;

function toDataSession(body: string): SyntheticSession {
  return new SyntheticSession()
    .app('client', 'EHLO x\r\n')
    .app('server', '250 ok\r\n')
    .app('client', 'MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n')
    .app('server', '250 ok\r\n250 ok\r\n354 go\r\n')
    .app('client', body)
    .app('server', '250 queued\r\n');
}

interface Ev {
  kind: string;
  role?: string;
  bytes?: string;
  text: string;
  dataLine?: boolean;
}

function events(text: string): Ev[] {
  const out: Ev[] = [];
  for (const s of analyzeDocument(text).sessions) {
    for (const e of s.session.events as unknown as readonly Record<string, unknown>[]) {
      const span = e.span as { start: number; end: number } | undefined;
      const view = e.view as { bytes: Uint8Array } | undefined;
      const bytes = view ? Buffer.from(view.bytes).toString('latin1') : undefined;
      out.push({ kind: String(e.kind), role: e.role as string | undefined, bytes, text: span ? text.slice(span.start, span.end) : '', dataLine: e.dataLine as boolean | undefined });
    }
  }
  return out;
}

/** Message lines as read: their bytes when read from hex, else their text. */
const dataLines = (ev: readonly Ev[]): string[] => ev.filter((e) => e.kind === 'command' && e.dataLine).map((e) => e.bytes ?? e.text);

test('a binary message line of several hex lines inside DATA is read back as one message line from its bytes', () => {
  // 38 bytes with a NUL: three hex lines under the mark.
  const binary = 'hello\0world, this is a longer line!!\r\n';
  const { text } = importBytes(toDataSession(`Subject: x\r\n\r\n${binary}after\r\n.\r\n`).toPcap(), { keyLog: KEY_LOG });
  assert.equal(checkTranscript(text), '');
  const ev = events(text);
  // The whole line is one message line (no hex line of it taken for a line of its own), and no run is left over.
  assert.deepEqual(dataLines(ev), ['Subject: x', '', binary, 'after', '.']);
  assert.deepEqual(ev.filter((e) => e.role === 'decrypted' && !e.bytes?.startsWith('\x14')).map((e) => e.bytes), []);
});

test('a message line that looks like hex right after a decrypted binary line stays message text', () => {
  // 32 bytes: the run ends with a full hex line; the next message line is "ab cd".
  const binary = 'abcdefghij\0klmnopqrstuvwxyz0123\r\n'.slice(0, 30) + '\r\n';
  assert.equal(binary.length, 32);
  const { text } = importBytes(toDataSession(`Subject: x\r\n\r\n${binary}ab cd\r\n.\r\n`).toPcap(), { keyLog: KEY_LOG });
  assert.equal(checkTranscript(text), '');
  const ev = events(text);
  assert.deepEqual(dataLines(ev), ['Subject: x', '', binary, 'ab cd', '.']);
});

test('records after lost bytes: counted as not opened, and the transcript says why', () => {
  const s = new SyntheticSession().app('client', 'EHLO x\r\n').app('server', '250 ok\r\n');
  const rec = s.record('client', 'MAIL FROM:<a@b>\r\n');
  // The record's first 10 bytes, then 10 lost (the rest is never captured either).
  s.send('client', rec.subarray(0, 10)).lose('client', rec.length - 10);
  s.app('server', '250 ok\r\n').app('client', 'RCPT TO:<c@d>\r\n', 'QUIT\r\n').app('server', '250 ok\r\n', '221 bye\r\n');
  const { text, stats } = importBytes(s.toPcap(), { keyLog: KEY_LOG });
  assert.equal(checkTranscript(text), '');
  const summarised = [...text.matchAll(/^C: <(\d+) bytes of encrypted TLS records>$/gm)].reduce((n, m) => n + Number(m[1]), 0);
  // The held 10 bytes and the two records after the gap (RCPT, QUIT) are all summarised...
  const rcpt = s.record('client', 'RCPT TO:<c@d>\r\n').length;
  const quit = s.record('client', 'QUIT\r\n').length;
  assert.equal(summarised, 10 + rcpt + quit);
  // ... and all three are counted as records the key log did not open, with a reason in the transcript.
  assert.equal(stats.undecryptedRecords, 3);
  assert.match(text, /^# not decrypted: .*(lost|not captured|gap)/m);
  assert.match(text, /, 3 encrypted records not opened$/m);
});

test('a record cut by the end of the stream (FIN, or the capture ends): its bytes are summarised as without a key log', () => {
  const s = new SyntheticSession().app('client', 'EHLO x\r\n').app('server', '250 ok\r\n');
  s.send('client', s.record('client', 'QUIT\r\n').subarray(0, 20));
  const pcap = s.toPcap();
  const plain = importBytes(pcap).text;
  assert.match(plain, /^C: <20 bytes of encrypted TLS records>$/m);
  const { text, stats } = importBytes(pcap, { keyLog: KEY_LOG });
  assert.equal(checkTranscript(text), '');
  assert.match(text, /^C: <20 bytes of encrypted TLS records>$/m);
  assert.equal(stats.undecryptedRecords, 1);
  // The capture cut inside that frame's record (no FIN): the same.
  const cut = importBytes(pcap.subarray(0, pcap.length - 2 * 54), { keyLog: KEY_LOG });
  assert.match(cut.text, /^C: <20 bytes of encrypted TLS records>$/m);
});

test('AUTH credentials on lines that are no SMTP text line (openssl -crlf sends CR CR LF) are masked too, in the hex and in the model', () => {
  const s = new SyntheticSession()
    .app('client', 'EHLO x\r\r\n')
    .app('server', '250-mx\r\n250 AUTH PLAIN LOGIN\r\n')
    .app('client', 'AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\r\n')
    .app('server', '235 ok\r\n')
    .app('client', 'AUTH LOGIN\r\r\n')
    .app('server', '334 VXNlcm5hbWU6\r\n')
    .app('client', 'Ym9iYnk=\r\r\n')
    .app('server', '334 UGFzc3dvcmQ6\r\n')
    .app('client', 'aHVudGVyMg==\r\r\n')
    .app('server', '235 ok\r\n')
    .app('client', 'QUIT\r\r\n')
    .app('server', '221 bye\r\n');
  const { text } = importBytes(s.toPcap(), { keyLog: KEY_LOG });
  assert.equal(checkTranscript(text), '');
  const client = decryptedDialogue(text).client;
  assert.doesNotMatch(client, /AGFsaWNlAHMzY3JldA==|Ym9iYnk=|aHVudGVyMg==/);
  // Masked character for character, the line ending as sent; the commands around them as sent.
  assert.equal(client, `EHLO x\r\r\nAUTH PLAIN ${'*'.repeat(20)}\r\r\nAUTH LOGIN\r\r\n${'*'.repeat(8)}\r\r\n${'*'.repeat(12)}\r\r\nQUIT\r\r\n`);
  assert.match(text, /AUTH credentials sent inside TLS, masked in this transcript/);
  // The stream ends inside the line (no line feed), as text and as bytes.
  for (const tail of ['AUTH PLAIN AGFsaWNlAHMzY3JldA==', 'AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\r']) {
    const cut = new SyntheticSession().app('client', 'EHLO x\r\n').app('server', '250 AUTH PLAIN\r\n').app('client', tail);
    const imported = importBytes(cut.toPcap(), { keyLog: KEY_LOG }).text;
    assert.equal(checkTranscript(imported), '');
    assert.equal(decryptedDialogue(imported).client.replace(/\r\n$/, ''), `EHLO x\r\n${tail.replace(/AGFs.*==/, '*'.repeat(20))}`, JSON.stringify(tail));
  }
});
