/**
 * detectRegions skips the line readers on `C: ` / `S: ` lines while every line offered to them has
 * been one. That holds only because each reader, as constructed, declines such a line without
 * changing: this checks it for every reader, on lines whose content looks like what the readers
 * look for, next to lines (a frame dump, a tcpdump line) that readers look ahead at.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startsCsLine } from '../../src/core/formats/detectRegions';
import { DocumentLines } from '../../src/core/formats/documentLines';
import { TranscriptBuilder } from '../../src/core/formats/transcriptBuilder';
import type { LineReader, ReaderContext } from '../../src/core/formats/readerContext';
import { PacketDumpReader } from '../../src/core/formats/packetDumps';
import { TsharkFollowReader } from '../../src/core/formats/tsharkFollow';
import { PostfixLogReader } from '../../src/core/formats/postfixLog';
import { EximDebugReader } from '../../src/core/formats/eximDebug';
import { EximMainlogReader } from '../../src/core/formats/eximMainlog';
import { TcpdumpAsciiReader } from '../../src/core/formats/tcpdumpAscii';
import { SwaksReader } from '../../src/core/formats/swaksTranscript';
import { PythonSmtplibReader } from '../../src/core/formats/pythonSmtplib';
import { GnutlsDebugReader } from '../../src/core/formats/gnutlsDebug';
import { CurlTraceReader } from '../../src/core/formats/curlTrace';
import { CurlVerboseReader } from '../../src/core/formats/curlVerbose';
import { OpensslDebugReader } from '../../src/core/formats/opensslDebug';
import { OpensslTraceReader } from '../../src/core/formats/opensslTrace';
import { TsharkSummaryReader } from '../../src/core/formats/tsharkSummary';
import { TsharkVerboseReader } from '../../src/core/formats/tsharkVerbose';
import { KeyLogReader } from '../../src/core/formats/keyLog';
import { FakeServerLogReader } from '../../src/core/formats/fakeServerLog';
import { MsmtpDebugReader } from '../../src/core/formats/msmtpDebug';
import { PosttlsFingerReader } from '../../src/core/formats/posttlsFinger';
import { TelnetSessionReader } from '../../src/core/formats/telnetSession';
import { PemCertificateReader } from '../../src/core/formats/pemCertificates';
import { SendmailLogReader } from '../../src/core/formats/sendmailLog';
import { SendmailVerboseReader } from '../../src/core/formats/sendmailVerbose';
import { SnailVerboseReader } from '../../src/core/formats/snailVerbose';
import { PhpmailerDebugReader } from '../../src/core/formats/phpmailerDebug';
import { NodemailerLogReader } from '../../src/core/formats/nodemailerLog';
import { RubyNetSmtpReader } from '../../src/core/formats/rubyNetSmtp';
import { JavaMailDebugReader } from '../../src/core/formats/javaMailDebug';
import { PerlNetSmtpReader } from '../../src/core/formats/perlNetSmtp';
import { MuttDebugReader } from '../../src/core/formats/muttDebug';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const READERS: ReadonlyArray<new (ctx: ReaderContext) => LineReader> = [
  PacketDumpReader, TsharkFollowReader, PostfixLogReader, EximDebugReader, EximMainlogReader, PosttlsFingerReader, TcpdumpAsciiReader, SwaksReader,
  MsmtpDebugReader, PythonSmtplibReader, GnutlsDebugReader, CurlTraceReader, CurlVerboseReader, OpensslDebugReader,
  OpensslTraceReader, TsharkSummaryReader, TsharkVerboseReader, KeyLogReader, FakeServerLogReader, TelnetSessionReader, PemCertificateReader,
  SendmailLogReader, SendmailVerboseReader, SnailVerboseReader, PhpmailerDebugReader, NodemailerLogReader, RubyNetSmtpReader, JavaMailDebugReader,
  PerlNetSmtpReader, MuttDebugReader,
];

/** Contents after `C: ` / `S: `: SMTP, import hex and notes, and the starts of other formats' lines. */
const CONTENTS = [
  '', 'EHLO client.test', '220 mx.test ESMTP', '250-STARTTLS', '16 03 01 02 00 01 00 01 fc 03 03 b0 1e 0a 53 59',
  '<1241 bytes of encrypted TLS records>', '-----BEGIN CERTIFICATE-----', 'SMTP>> EHLO x', 'SMTP<< 250 ok', 'Sent Record', 'Received Record',
  'CLIENT_RANDOM 0123456789abcdef0123456789abcdef 00ff', 'Frame 1: 74 bytes on wire', '0000  16 03 01 00 05',
  '\t0x0000:  4500 003c', '== Info: x', '=> Send data, 5 bytes (0x5)', '* TLSv1.3 (OUT)', '> EHLO x', '< 250 ok',
  'send: b\'EHLO x\\r\\n\'', '|<2>| HSK', '- Status: ok', 'IP 127.0.0.1.1024 > 127.0.0.1.25: Flags [S]',
  'Follow: tcp,hex', 'Node 0: 127.0.0.1:1024', '===================', ' -> EHLO x', 'got record of type 22',
  'read from 0x1 [0x2] (5 bytes => 5 (0x5))', '12:00:00 SMTP>> EHLO x', 'Nov 29 postfix/smtpd[1]: connect from x',
  '<-- 220 mx ESMTP', '--> EHLO x', 'TLS session parameters:', 'using account default', 'port = 25', 'posttls-finger: < 220 mx', 'posttls-finger: Connected to mx[127.0.0.1]:25', 'Trying 127.0.0.1...', 'Connected to 127.0.0.1.', 'Ncat: Connected to 127.0.0.1:25.',
  '>>> EHLO x', 's-nail: >>> SERVER: 220 mx', 's-nail: Connecting to 127.0.0.1:25 ... connected.', 'rcpt@x... Connecting to [127.0.0.1] port 25 via relay...', 'Nov 30 16:08:19 mx sendmail[1]: STARTTLS=client, relay=[127.0.0.1], version=TLSv1, verify=FAIL, cipher=AES256-SHA, bits=256/256',
];

test('the readers checked here are every reader detectRegions constructs', () => {
  const source = readFileSync(path.join(__dirname, '..', '..', 'src', 'core', 'formats', 'detectRegions.ts'), 'utf8');
  const constructed = [...source.matchAll(/new (\w+Reader)\(ctx\)/g)].map((m) => m[1]).sort();
  assert.deepEqual(READERS.map((r) => r.name).sort(), constructed);
});

/** Lines a reader may look ahead at after the one it is offered. */
const AFTER = ['0000  16 03 01 00 05 01 00 00 01 03 03 00 00 00 00 00  ................', '\t0x0000:  4500 003c 7584 4000 4006 0000 7f00 0001  E..<u.@.@.......', '', '# frame 1'];

test('startsCsLine: `C: ` or `S: ` at the line start, nothing else', () => {
  assert.equal(startsCsLine('C: EHLO x', 0), true);
  assert.equal(startsCsLine('x\nS: 250 ok', 2), true);
  assert.equal(startsCsLine('S: ', 0), true);
  for (const t of ['C:', 'C:\n', 'C:\r\n', 'S:x', 'c: EHLO', 's: 250', ' C: x', 'CS: x', 'Client: x', '']) assert.equal(startsCsLine(t, 0), false, t);
});

for (const startMissing of [false, true]) {
  test(`every line reader, as constructed, declines C:/S: lines unchanged${startMissing ? ' (start missing)' : ''}`, () => {
    for (const prefix of ['C: ', 'S: ']) {
      for (const content of CONTENTS) {
        for (const after of AFTER) {
          const text = `${prefix}${content}\n${after}\n`;
          const doc = new DocumentLines(text);
          assert.ok(startsCsLine(text, doc.start(0)));
          const out = new TranscriptBuilder(text);
          const fresh = new TranscriptBuilder(text);
          if (startMissing) {
            out.markStartMissing();
            fresh.markStartMissing();
          }
          for (const Reader of READERS) {
            const ctx: ReaderContext = { doc, out, bareLinesInTls: false, sentIsServer: false, endsAtCut: false };
            const reader = new Reader(ctx);
            const label = `${Reader.name} on ${JSON.stringify(prefix + content)} before ${JSON.stringify(after)}`;
            assert.equal(reader.tryRead(0), -1, label);
            assert.deepEqual(reader, new Reader({ ...ctx }), label);
            assert.deepEqual(ctx, { doc, out, bareLinesInTls: false, sentIsServer: false, endsAtCut: false }, label);
          }
          assert.deepEqual(out.build(), fresh.build(), `${prefix}${content}`);
        }
      }
    }
  });
}
