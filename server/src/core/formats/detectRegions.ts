/**
 * Walks a document line by line and hands each region to the reader of its format:
 * C:/S: transcript lines, openssl -msg blocks, offset dumps (xxd, hexdump -C, od),
 * xxd -i arrays, hex streams, plain hex byte lines. Everything else is free text: skipped,
 * except for cheap hints (server port, a direction marker before a dump, the SMTP lines
 * openssl prints bare after its handshake). `# ` comment lines are invisible to all readers,
 * except that `# smtptls-session` after a blank line (a capture import's section header)
 * starts a new session.
 */
import { parseServerTempKey, statedKeyExchangeEvent } from './keyExchangeFacts';
import type { Direction, TextSpan } from '../model/transcript';
import { parseErrorAlert, parseStateAlert } from './opensslAlerts';
import { isOpensslErrorLine, isSclientStderrLine, SCLIENT_CONNECTED } from './sclientStderr';
import { readCArray, isCArrayStart } from './cArray';
import { CsTranscriptReader, matchCsPrefix } from './csTranscript';
import type { DocumentLines } from './documentLines';
import { isHexLinesStart, matchOffsetLine, readHexLines, readOffsetDump } from './hexDumpLayouts';
import { isHexStreamStart, readHexStream } from './hexStream';
import { matchOpensslLabel, OpensslMsgReader } from './opensslMsg';
import { looksLikeBareCommand, looksLikeBareReply, parseCommandLine, parseReplyLine } from './smtpLines';
import { parseTlsVersionName, spanAt, statedNegotiation, statedAlertEvent, type AlertStatement } from './statedFacts';
import type { TranscriptBuilder } from './transcriptBuilder';
import { CurlTraceReader } from './curlTrace';
import { CurlVerboseReader } from './curlVerbose';
import { FakeServerLogReader } from './fakeServerLog';
import { GnutlsDebugReader } from './gnutlsDebug';
import { KeyLogReader } from './keyLog';
import { OpensslDebugReader } from './opensslDebug';
import { OpensslTraceReader } from './opensslTrace';
import { PacketDumpReader } from './packetDumps';
import { PemCertificateReader } from './pemCertificates';
import { PostfixLogReader } from './postfixLog';
import { EximDebugReader } from './eximDebug';
import { TcpdumpAsciiReader } from './tcpdumpAscii';
import { MsmtpDebugReader } from './msmtpDebug';
import { SendmailLogReader } from './sendmailLog';
import { SendmailVerboseReader } from './sendmailVerbose';
import { SnailVerboseReader } from './snailVerbose';
import { PhpmailerDebugReader } from './phpmailerDebug';
import { NodemailerLogReader } from './nodemailerLog';
import { RubyNetSmtpReader } from './rubyNetSmtp';
import { PerlNetSmtpReader } from './perlNetSmtp';
import { MuttDebugReader } from './muttDebug';
import { JavaMailDebugReader } from './javaMailDebug';
import { EximMainlogReader } from './eximMainlog';
import { PosttlsFingerReader } from './posttlsFinger';
import { TelnetSessionReader } from './telnetSession';
import { PythonSmtplibReader } from './pythonSmtplib';
import type { LineReader, ReaderContext } from './readerContext';
import { SwaksReader } from './swaksTranscript';
import { BEGAN_BEFORE_CAPTURE, SESSION_MARKER } from './sessionMarker';
import { TsharkFollowReader } from './tsharkFollow';
import { TsharkSummaryReader } from './tsharkSummary';
import { TsharkVerboseReader } from './tsharkVerbose';

type DumpStart = 'offset' | 'c-array' | 'hexstream' | 'hex-lines';

/** Which dump reader line text[s, e) would start, if any. */
function dumpStartAt(text: string, s: number, e: number): DumpStart | null {
  if (e <= s) return null;
  if (matchOffsetLine(text, s, e)) return 'offset';
  if (isCArrayStart(text, s, e)) return 'c-array';
  if (isHexStreamStart(text, s, e)) return 'hexstream';
  if (isHexLinesStart(text, s, e)) return 'hex-lines';
  return null;
}

const DIRECTION_MARKER = /^[ \t]*(client|server|c ?-> ?s|s ?-> ?c)\b[^:]{0,60}:[ \t]*$/i;
const PORT_HINTS: readonly RegExp[] = [
  /-connect[ \t]+[^ \t]{0,200}:([0-9]{1,5})\b/,
  /\bsmtps?:\/\/[^ \t/]{0,200}:([0-9]{1,5})\b/i,
  /(?:^|[ \t])--?port[ =]([0-9]{1,5})\b/,
  /\bport[ \t]+([0-9]{1,5})\b/i,
];

/** Only this much of a free-text line is searched for hints. */
const HINT_SCAN = 300;

export function detectRegions(doc: DocumentLines, out: TranscriptBuilder, endsAtCut = false): void {
  const text = doc.text;
  const cs = new CsTranscriptReader(out, doc);
  const ossl = new OpensslMsgReader(out);
  const ctx: ReaderContext = { doc, out, bareLinesInTls: false, sentIsServer: false, endsAtCut };
  const packets = new PacketDumpReader(ctx);
  const follow = new TsharkFollowReader(ctx);
  const postfix = new PostfixLogReader(ctx);
  const exim = new EximDebugReader(ctx);
  const eximMainlog = new EximMainlogReader(ctx);
  const posttlsFinger = new PosttlsFingerReader(ctx);
  const tcpdumpAscii = new TcpdumpAsciiReader(ctx);
  const swaks = new SwaksReader(ctx);
  const msmtp = new MsmtpDebugReader(ctx);
  const sendmailLog = new SendmailLogReader(ctx);
  const sendmailVerbose = new SendmailVerboseReader(ctx);
  const snail = new SnailVerboseReader(ctx);
  const phpmailer = new PhpmailerDebugReader(ctx);
  const nodemailer = new NodemailerLogReader(ctx);
  const ruby = new RubyNetSmtpReader(ctx);
  const perl = new PerlNetSmtpReader(ctx);
  const mutt = new MuttDebugReader(ctx);
  const javaMail = new JavaMailDebugReader(ctx);
  const python = new PythonSmtplibReader(ctx);
  const gnutls = new GnutlsDebugReader(ctx);
  const curlTrace = new CurlTraceReader(ctx);
  const curlVerbose = new CurlVerboseReader(ctx);
  const opensslDebug = new OpensslDebugReader(ctx);
  const opensslTrace = new OpensslTraceReader(ctx);
  const tsharkSummary = new TsharkSummaryReader(ctx);
  const tsharkVerbose = new TsharkVerboseReader(ctx);
  const keyLog = new KeyLogReader(ctx);
  const fakeServer = new FakeServerLogReader(ctx);
  const telnet = new TelnetSessionReader(ctx);
  const pem = new PemCertificateReader(ctx);
  const readers: LineReader[] = [packets, pem, follow, postfix, sendmailLog, phpmailer, nodemailer, mutt, exim, eximMainlog, posttlsFinger, tcpdumpAscii, ruby, perl, javaMail, swaks, msmtp, sendmailVerbose, snail, python, gnutls, curlTrace, curlVerbose, opensslDebug, opensslTrace, tsharkSummary, tsharkVerbose, keyLog, fakeServer, telnet];
  /**
   * Tries the readers in the order above on line `i`; each looks at the first characters
   * before any pattern. One call site per reader (a loop over the list would make a single
   * call site see every reader class, which V8 cannot inline).
   */
  const tryReaders = (i: number): number => {
    let next = packets.tryRead(i);
    if (next >= 0) return next;
    packets.endPacket();
    if ((next = pem.tryRead(i)) >= 0) return next;
    if ((next = follow.tryRead(i)) >= 0) return next;
    if ((next = postfix.tryRead(i)) >= 0) return next;
    if ((next = sendmailLog.tryRead(i)) >= 0) return next;
    if ((next = phpmailer.tryRead(i)) >= 0) return next;
    if ((next = nodemailer.tryRead(i)) >= 0) return next;
    if ((next = mutt.tryRead(i)) >= 0) return next;
    if ((next = exim.tryRead(i)) >= 0) return next;
    if ((next = eximMainlog.tryRead(i)) >= 0) return next;
    if ((next = posttlsFinger.tryRead(i)) >= 0) return next;
    if ((next = tcpdumpAscii.tryRead(i)) >= 0) return next;
    if ((next = ruby.tryRead(i)) >= 0) return next;
    if ((next = perl.tryRead(i)) >= 0) return next;
    if ((next = javaMail.tryRead(i)) >= 0) return next;
    if ((next = swaks.tryRead(i)) >= 0) return next;
    if ((next = msmtp.tryRead(i)) >= 0) return next;
    if ((next = sendmailVerbose.tryRead(i)) >= 0) return next;
    if ((next = snail.tryRead(i)) >= 0) return next;
    if ((next = python.tryRead(i)) >= 0) return next;
    if ((next = gnutls.tryRead(i)) >= 0) return next;
    if ((next = curlTrace.tryRead(i)) >= 0) return next;
    if ((next = curlVerbose.tryRead(i)) >= 0) return next;
    if ((next = opensslDebug.tryRead(i)) >= 0) return next;
    if ((next = opensslTrace.tryRead(i)) >= 0) return next;
    if ((next = tsharkSummary.tryRead(i)) >= 0) return next;
    if ((next = tsharkVerbose.tryRead(i)) >= 0) return next;
    if ((next = keyLog.tryRead(i)) >= 0) return next;
    if ((next = fakeServer.tryRead(i)) >= 0) return next;
    return telnet.tryRead(i);
  };
  /** A direction marker line ("Client:", an empty `C:`) waiting for the dump it introduces. */
  let marker: Direction | null = null;
  /**
   * Every line offered to the readers so far started with `C: ` or `S: `. Each reader, as
   * constructed, declines such a line without changing (its first-character and pattern tests
   * fail on it; test/detectRegionsCsLines.test.ts), so while this holds they are all still as
   * constructed and the next such line can skip them. A capture import's text is all such lines.
   */
  let readersIdle = true;
  const stderrRuns = new SclientStderrRuns();

  let i = doc.nextReadable(0);
  // A text that starts with a capture import's section header (a chunk of one): as after a blank line.
  if (findSessionMarker(doc, 0, i) === BEGAN_BEFORE_CAPTURE) out.markStartMissing();
  while (i < doc.count) {
    const s = doc.start(i);
    const e = doc.end(i);

    if (doc.isBlank(i)) {
      cs.flush();
      packets.endPacket();
      const next = doc.nextReadable(i + 1);
      // A capture import's section header: a new TCP connection, even without a greeting (port 465).
      const marker = findSessionMarker(doc, i + 1, next);
      if (marker) {
        out.selectSession('');
        out.endSession();
        if (marker === 'began-before-capture') out.markStartMissing();
      }
      i = next;
      continue;
    }

    // openssl s_client prints CONNECTED(fd) first in every run: a new connection (logs of several runs in one file).
    if (text.startsWith(SCLIENT_CONNECTED, s)) {
      cs.flush();
      ossl.endConnection();
      out.selectSession('');
      if (!stderrRuns.opened) out.endSession();
      stderrRuns.opened = false;
    }
    out.selectSession('');
    readersIdle = readersIdle && startsCsLine(text, s);
    const next = readersIdle ? -1 : tryReaders(i);
    if (next >= 0) {
      cs.flush();
      ossl.flush();
      marker = null;
      i = doc.nextReadable(next);
      continue;
    }
    out.selectSession('');

    const prefix = matchCsPrefix(text, s, e);
    if (prefix) {
      ossl.flush();
      const next = doc.nextReadable(i + 1);
      if (prefix.contentStart === e && prefix.direction !== 'both' && next < doc.count &&
        dumpStartAt(text, doc.start(next), doc.end(next)) !== null) {
        cs.flush();
        marker = prefix.direction;
        i = next;
        continue;
      }
      cs.readLine(text, i, e, prefix);
      marker = null;
      i = next;
      continue;
    }
    cs.flush();

    const label = matchOpensslLabel(text, s, e);
    if (label) {
      i = ossl.readBlock(doc, i, label);
      marker = null;
      continue;
    }

    const dump = dumpStartAt(text, s, e);
    if (dump) {
      ossl.flush();
      const direction = marker;
      marker = null;
      if (dump === 'offset') i = readOffsetDump(doc, i, matchOffsetLine(text, s, e)!.layout, direction, out);
      else if (dump === 'c-array') i = readCArray(doc, i, direction, out);
      else if (dump === 'hexstream') i = readHexStream(doc, i, direction, out);
      else i = readHexLines(doc, i, direction, out);
      continue;
    }

    readFreeText(doc, i, ossl, ctx, stderrRuns);
    const head = text.slice(s, Math.min(e, s + HINT_SCAN));
    const m = DIRECTION_MARKER.exec(head);
    marker = m ? (/^(?:client|c)/i.test(m[1]) ? 'client' : 'server') : null;
    i = doc.nextReadable(i + 1);
  }
  cs.flush();
  ossl.endConnection();
  for (const reader of readers) reader.flush();
}

/** Whether the line starting at text[s] starts with `C: ` or `S: ` (a line break is neither `:` nor a space). */
export function startsCsLine(text: string, s: number): boolean {
  const c = text.charCodeAt(s);
  return (c === 67 || c === 83) && text.charCodeAt(s + 1) === 58 && text.charCodeAt(s + 2) === 32;
}

/**
 * `# smtptls-session` (the capture import's section header) among comment lines [from, to):
 * 'session', or 'began-before-capture' when the header says so; null when there is none.
 */
export function findSessionMarker(doc: DocumentLines, from: number, to: number): 'session' | typeof BEGAN_BEFORE_CAPTURE | null {
  for (let j = from; j < to; j++) {
    const s = doc.start(j);
    if (doc.text.startsWith(SESSION_MARKER, s)) {
      const after = s + SESSION_MARKER.length;
      const end = doc.end(j);
      if (after === end || doc.text.charCodeAt(after) === 32 || doc.text.charCodeAt(after) === 9) {
        return doc.text.slice(after + 1, end).trim() === BEGAN_BEFORE_CAPTURE ? BEGAN_BEFORE_CAPTURE : 'session';
      }
    }
  }
  return null;
}

/** openssl s_client's session block: `SSL-Session:`, `    Protocol  : TLSv1.2` (the version negotiated), `    Cipher    : NAME`. */
const SESSION_BLOCK: SummaryBlock = {
  start: 'SSL-Session:',
  protocol: /^\s{1,8}Protocol\s{1,4}: ((?:TLSv1(?:\.[0-3])?|SSLv3))\s*$/,
  cipher: /^\s{1,8}Cipher\s{1,8}: ([A-Za-z0-9_-]{3,80})\s*$/,
};
/** s_client -brief's summary (it prints no session block): `CONNECTION ESTABLISHED`, `Protocol version: TLSv1`, `Ciphersuite: NAME`. */
const BRIEF_BLOCK: SummaryBlock = {
  start: 'CONNECTION ESTABLISHED',
  protocol: /^Protocol version: ((?:TLSv1(?:\.[0-3])?|SSLv3))\s*$/,
  cipher: /^Ciphersuite: ([A-Za-z0-9_-]{3,80})\s*$/,
};

/** A block of lines in which s_client states the negotiated version (the line after `start`) and the suite (the line after that). */
interface SummaryBlock {
  readonly start: string;
  readonly protocol: RegExp;
  readonly cipher: RegExp;
}

/**
 * The version and suite in s_client's session block (every s_client run prints it, with or without
 * -msg, except with -brief, which prints its own summary instead), as stated facts: `Protocol  :`
 * right under `SSL-Session:`, `Cipher    :` right under that. Not the "New, TLSv1.0, Cipher is ..."
 * line before the block: OpenSSL names there the first version the cipher suite exists in (TLSv1.0
 * for ECDHE-RSA-AES256-SHA on a TLS 1.1 session).
 */
function readSessionProtocol(doc: DocumentLines, i: number, head: string, ctx: ReaderContext, block: SummaryBlock): void {
  const before = lineBefore(doc, i);
  if (before < 0) return;
  const previous = doc.content(before);
  const s = doc.start(i);
  const spanOf = (text: string): TextSpan => spanAt(s + head.indexOf(text), text.length);
  let facts: Parameters<typeof statedNegotiation>[3] | null = null;
  if (previous === block.start) {
    const m = block.protocol.exec(head);
    const version = m ? parseTlsVersionName(m[1]) : undefined;
    if (m && version !== undefined && !nothingNegotiated(doc, i)) facts = { version: { value: version, span: spanOf(m[1]) } };
  } else if (block.protocol.test(previous) && doc.content(lineBefore(doc, before)).startsWith(block.start)) {
    const c = block.cipher.exec(head);
    if (c && c[1] !== NO_CIPHER) facts = { cipherName: { value: c[1], span: spanOf(c[1]) } };
  }
  if (facts) ctx.out.add(statedNegotiation(i, { start: s, end: doc.end(i) }, head.trim(), facts));
}

/**
 * s_client's stderr lines (isSclientStderrLine) just before a `CONNECTED(` line are that run's: the
 * run before ends at the first alert among them, and that `CONNECTED(` starts no new session. Each
 * run of such lines is looked through once.
 */
class SclientStderrRuns {
  /** The last run looked through: its lines up to `until` (exclusive), and whether a `CONNECTED(` line ends it. */
  private until = -1;
  private leads = false;
  /** The current session was started by stderr lines of the run whose `CONNECTED(` comes next. */
  opened = false;

  /** Whether line `i` (an s_client stderr line) is in a run that a `CONNECTED(` line ends (comments skipped). */
  leadsToConnected(doc: DocumentLines, i: number): boolean {
    if (i < this.until) return this.leads;
    let j = i + 1;
    while (j < doc.count && (doc.isComment(j) || isSclientStderrLine(doc.text, doc.start(j), doc.end(j)))) j++;
    this.until = j;
    this.leads = j < doc.count && doc.text.startsWith(SCLIENT_CONNECTED, doc.start(j));
    return this.leads;
  }
}

/**
 * An alert s_client (or s_server) states on stderr: its -state line `SSL3 alert read:fatal:handshake
 * failure`, or an error line ending in `SSL alert number 40` (a fatal alert received; printed on
 * every failed handshake, with or without a tracing option). Returns whether the line was one.
 */
function readOpensslAlertLine(doc: DocumentLines, i: number, s: number, e: number, ctx: ReaderContext, runs: SclientStderrRuns): boolean {
  const text = doc.text;
  const c = text.charCodeAt(s);
  let alert: AlertStatement | null = null;
  if (c === 0x53) alert = parseStateAlert(text, s, e); // S
  else if (isOpensslErrorLine(text, s, e)) alert = parseErrorAlert(text, s, e);
  if (!alert) return false;
  const out = ctx.out;
  if (!runs.opened && runs.leadsToConnected(doc, i)) {
    out.endSession();
    runs.opened = true;
  }
  out.add(statedAlertEvent(i, { start: s, end: e }, text.slice(s, Math.min(e, s + HINT_SCAN)), alert, !ctx.sentIsServer));
  return true;
}

/** The suite of a session block after a failed handshake. */
const NO_CIPHER = '0000';

/**
 * Whether the session block whose `Protocol  :` line is `i` follows a failed handshake: its `Cipher    :`
 * is `0000`, and `Protocol` is then only the version the client tried (a -tls1 run refused by the
 * server still prints `Protocol  : TLSv1`), not one negotiated.
 */
function nothingNegotiated(doc: DocumentLines, i: number): boolean {
  const next = doc.nextReadable(i + 1);
  return next < doc.count && SESSION_BLOCK.cipher.exec(doc.content(next))?.[1] === NO_CIPHER;
}

/** s_client's session block: `    Start Time: 1796027343` (seconds since the epoch). */
const START_TIME = /^ {4}Start Time: (\d{9,12})\s*$/;

/** When the TLS session started, as s_client states it in its session block: certificates are judged at that time. */
function readSessionStartTime(i: number, s: number, head: string, ctx: ReaderContext): void {
  const m = START_TIME.exec(head);
  if (!m) return;
  const text = head.trim();
  ctx.out.add({ kind: 'note', line: i, note: 'session-time', text, span: { start: s + 4, end: s + 4 + text.length }, time: Number(m[1]) * 1000 });
}

/** s_client's `Server Temp Key: DH, 1024 bits` (after the handshake, and with -brief): the key exchange's group. */
function readServerTempKey(i: number, s: number, e: number, ctx: ReaderContext): void {
  const keyExchange = parseServerTempKey(ctx.doc.text, s, e);
  if (!keyExchange) return;
  ctx.out.add(statedKeyExchangeEvent(i, { start: s, end: e }, ctx.doc.text.slice(s, Math.min(e, s + HINT_SCAN)).trimEnd(), keyExchange));
}

/** The line before `i`, annotations (`# ...`) skipped as every reader skips them (at most a few looked at); -1 at the start. */
function lineBefore(doc: DocumentLines, i: number): number {
  let before = i - 1;
  for (let n = 0; before >= 0 && n < 8 && doc.isComment(before); n++) before--;
  return before;
}

/** Free text: port hints, openssl notes and the SMTP lines openssl prints bare after its handshake. */
function readFreeText(doc: DocumentLines, i: number, ossl: OpensslMsgReader, ctx: ReaderContext, stderrRuns: SclientStderrRuns): void {
  const out = ctx.out;
  const text = doc.text;
  const s = doc.start(i);
  const e = doc.end(i);
  const head = text.slice(s, Math.min(e, s + HINT_SCAN));
  for (const re of PORT_HINTS) {
    const m = re.exec(head);
    if (m) {
      out.addPortHint(i, Number(m[1]));
      break;
    }
  }
  const first = head.charCodeAt(0);
  if (readOpensslAlertLine(doc, i, s, e, ctx, stderrRuns)) return;
  if (first === 0x20) {
    readSessionProtocol(doc, i, head, ctx, SESSION_BLOCK);
    readSessionStartTime(i, s, head, ctx);
  }
  else if (first === 0x50 || first === 0x43) readSessionProtocol(doc, i, head, ctx, BRIEF_BLOCK); // P, C
  else if (first === 0x53) readServerTempKey(i, s, e, ctx); // S
  if (!ossl.seenLabel && !ctx.bareLinesInTls) {
    if (head === 'ACCEPT') {
      ossl.sentIsServer = true;
      ctx.sentIsServer = true;
    }
    return;
  }
  if (looksLikeBareReply(text, s, e)) {
    ossl.flush();
    if (ossl.seenLabel) out.vote('openssl-msg', 1);
    out.addReplyLine(parseReplyLine(text, i, s, e), true);
  } else if (looksLikeBareCommand(text, s, e)) {
    ossl.flush();
    if (ossl.seenLabel) out.vote('openssl-msg', 1);
    out.addCommand(parseCommandLine(text, i, s, e, true, out.session.inData));
  } else if (head === 'closed') {
    ossl.flush();
    // s_client's read returned 0: the server closed; the client still sends its close_notify.
    out.add({ kind: 'note', line: i, note: 'connection-closed', text: head, span: { start: s, end: e }, closedBy: ctx.sentIsServer ? 'client' : 'server' });
  } else if (head.startsWith('New, ') && head.includes(', Cipher is ') && !head.endsWith('Cipher is (NONE)')) {
    // (`New, (NONE), Cipher is (NONE)`: the handshake failed, nothing was established.)
    ossl.flush();
    out.add({ kind: 'note', line: i, note: 'tls-established', text: head, span: { start: s, end: e } });
  }
}
