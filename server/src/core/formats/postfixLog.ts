/**
 * Postfix logs (FORMATS.md sections 9 and 10), one session per smtpd process and
 * connection:
 *   Nov 29 04:16:25 mx postfix/lab2526/smtpd[21603]: < localhost[127.0.0.1]: EHLO client.example.test
 *   ... smtpd[21603]: > localhost[127.0.0.1]: 250-mx.example.test
 *   ... smtpd[21603]: read from 55D43E0CFE00 [55D43E0DF463] (5 bytes => 5 (0x5))
 *   ... smtpd[21603]: 0000 80 3b 01 03 01                                   .;...
 *   ... smtpd[10862]: 039d - <SPACES/NULLS>
 * smtpd is the server: `<` lines and reads are the client's. The postfix SMTP client
 * (`postfix/smtp[PID]`) logs the other way round. The prefix-less form (a pasted
 * `< host[addr]: EHLO x` line) is read too.
 */
import type { Direction, TextSpan } from '../model/transcript';
import { continuesBioDump, endBioDump, endBioDumpAtTextEnd, readBioDumpLine, startBioDump, type BioDump } from './bioDumpLines';
import { matchBioHeader, type BioHeader } from './opensslDebug';
import { HEAD_SCAN, headOf, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import type { TranscriptBuilder } from './transcriptBuilder';
import { parseErrorAlert, parseStateAlert } from './opensslAlerts';
import { parseCommandLine, parseReplyLine } from './smtpLines';
import { parseTlsVersionName, spanAt, statedNegotiation, statedAlertEvent } from './statedFacts';
import { parseCertificateVerdict, parseSigningKeys, statedVerdictEvent } from './postfixTlsFacts';
import { parsePostfixKeyExchange } from './keyExchangeFacts';
import { matchSyslogProcess, maySyslogLine, parseSyslogTime } from './syslogPrefix';

/** A read that asked for 5 bytes and got them: OpenSSL reading a record header. */
const HEADER_READ = /^read from [^(]{1,60}\(5 bytes => 5[ )]/;
/** A server greeting (RFC 5321 §4.2: 220 and text naming the service), the first line of a connection. */
const GREETING = /^220[ -][^\r\n]{0,300}SMTP/;

/** A reply's code and separator at the start of a dialogue line's text. */
const REPLY_START = /^[2-5][0-9]{2}(?:[ -]|$)/;
/** `< host[addr]: ` / `> host[addr]: `; the SMTP client (postfix/smtp) adds the server's port: `host[addr]:25: `. */
const DIALOGUE = /^([<>]) [^ [\]]{0,255}\[[^\]]{0,100}\](?::([0-9]{1,5}))?: /;
/**
 * smtpd's `... established from host[addr]: TLSv1.2 with cipher NAME`, the SMTP client's
 * `... established to host[addr]:25: ...`; the address may be IPv6 (colons inside the brackets).
 */
const ESTABLISHED = /^(?:Anonymous|Untrusted|Trusted|Verified) TLS connection established (?:from|to) [^ [\]]{0,255}\[[^\]]{0,100}\](?::([0-9]{1,5}))?: ([A-Za-z0-9.]{1,16}) with cipher ([A-Za-z0-9_-]{1,80})/;

/**
 * Whether the text holds the start of a process's current session: 'new' before its first line,
 * 'open' while only lines that say nothing about it came (its first line was no `connect from`),
 * 'known' once decided (TranscriptSession.startMissing is set when it is not in the text).
 */
type StartState = 'new' | 'open' | 'known';

interface Proc {
  /** The process is the SMTP client (postfix/smtp): `>` lines are commands. */
  client: boolean;
  /** The read or write being dumped; one skipped (read, not kept) may start inside a record (see readsInRecord). */
  dump: BioDump | null;
  start: StartState;
  /**
   * The session began before the text and no record header was read since: OpenSSL reads a record's
   * 5-byte header and its body apart, so the process's next read may be the body of a record whose
   * header came before the text, and is not kept (a write holds whole records).
   */
  readsInRecord: boolean;
  /** The port the smtpd's syslog name stands for (smtpdServicePort), null when it names none. */
  readonly port: number | null;
  /** The current session logged its `TLS connection established`: a second one is another connection (a log cut to those lines). */
  established: boolean;
}

/**
 * The syslog prefix of a line (`head`: its first HEAD_SCAN characters, starting at document
 * offset `s`) when it is one of a postfix SMTP process: the session key (`program[pid]`),
 * whether that process is the SMTP client (postfix/smtp, lmtp) and where its message starts.
 * documentChunks.ts reads the lines of smtpd processes through this too.
 */
export function matchSmtpProcess(head: string, s: number): { key: string; client: boolean; messageStart: number; program: string } | null {
  const m = matchSyslogProcess(head, s);
  if (!m) return null;
  const program = m.program;
  const client = /(?:^|\/)(?:smtp|lmtp)$/.test(program);
  if (!client && !/(?:^|\/)smtpd$/.test(program)) return null;
  return { key: `${program}[${m.pid}]`, client, messageStart: m.messageStart, program };
}

/**
 * The port an smtpd's syslog name stands for in postfix's stock master.cf: `postfix/smtpd` is the
 * `smtp` service (25), `postfix/submission/smtpd` 587, `postfix/smtps/smtpd` and
 * `postfix/submissions/smtpd` 465; null for other names (a service or instance of its own).
 */
export function smtpdServicePort(program: string): number | null {
  if (program === 'postfix/smtpd') return 25;
  if (program === 'postfix/submission/smtpd') return 587;
  if (program === 'postfix/smtps/smtpd' || program === 'postfix/submissions/smtpd') return 465;
  return null;
}

/** The message of smtpd's last line for a connection, after which its session is over. */
export const DISCONNECT = 'disconnect from ';

/** `... TLS connection established ...: TLSv1.3 with cipher NAME` at the start of `message`; group 1 the port (SMTP client side), 2 the version, 3 the cipher. */
export function matchEstablished(message: string): RegExpExecArray | null {
  return ESTABLISHED.exec(message);
}

/**
 * The `established` line (`message`, the first characters of `span` on line `i` of `text`): a note, and the
 * version, cipher, signing keys and key exchange as stated facts.
 */
export function addEstablished(out: TranscriptBuilder, text: string, i: number, span: TextSpan, message: string, est: RegExpExecArray): void {
  const ms = span.start;
  out.add({ kind: 'note', line: i, note: 'tls-established', text: message, span });
  const version = parseTlsVersionName(est[2]);
  const vs = ms + est[0].lastIndexOf(`: ${est[2]} with cipher `) + 2;
  const cs = ms + est[0].lastIndexOf(est[3]);
  const negotiated = statedNegotiation(i, span, message, { version: { value: version, span: spanAt(vs, est[2].length) }, cipherName: { value: est[3], span: spanAt(cs, est[3].length) } });
  // The keys that signed the handshake follow the cipher (`server-signature RSA-PSS (2048 bits)`), on the same line.
  const keys = parseSigningKeys(text, ms + est[0].length, span.end);
  // And the key exchange before them (`key-exchange DHE (1024 bits)`).
  const keyExchange = parsePostfixKeyExchange(text, ms + est[0].length, span.end);
  if (keys.length === 0 && !keyExchange) {
    out.add(negotiated);
    return;
  }
  const valueSpans = { ...negotiated.valueSpans };
  keys.forEach((k, n) => (valueSpans[`signingKeys[${n}]`] = k.span));
  if (keyExchange) valueSpans.keyExchange = keyExchange.span;
  out.add({ ...negotiated, ...(keys.length > 0 ? { signingKeys: keys } : {}), ...(keyExchange ? { keyExchange } : {}), valueSpans });
}

/** Whether a message starting with character code `c` may be a verdict (`server`, `client`, `CA certificate verification failed`). */
function isVerdictStart(c: number): boolean {
  return c === 115 || c === 99 || c === 67;
}

export class PostfixLogReader implements LineReader {
  private readonly procs = new Map<string, Proc>();
  /** Pasted dialogue lines (no syslog prefix) are the SMTP client's: decided by the session's first such line, null before it. */
  private pastedClient: boolean | null = null;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (c === 60 || c === 62) {
      // A pasted dialogue line without the syslog prefix: "<" or ">", then a space (DIALOGUE).
      if (text.charCodeAt(s + 1) !== 32) return -1;
      const head = text.slice(s, Math.min(e, s + HEAD_SCAN));
      const m = DIALOGUE.exec(head);
      if (!m) return -1;
      out.selectSession('');
      out.vote('postfix-log', 1);
      const cs = s + m[0].length;
      if (out.session.events.length === 0) {
        // Whose lines: `< host[addr]:25: 220 ...` (a reply received) is the SMTP client's, `< host[addr]: EHLO`
        // smtpd's; smtpd names a port too with smtpd_client_port_logging, the client's, so the port alone cannot tell.
        this.pastedClient = (m[1] === '<') === REPLY_START.test(text.slice(cs, Math.min(e, cs + 4)));
        if (this.pastedClient && m[2] !== undefined) out.setPort(Number(m[2]));
      }
      this.readDialogue(i, m[1] === '<', cs, e, this.pastedClient ?? false);
      return i + 1;
    }
    if (!maySyslogLine(text, s)) return -1;
    const head = headOf(doc, i);
    const m = matchSmtpProcess(head, s);
    if (!m) return -1;
    const key = m.key;
    let proc = this.procs.get(key);
    if (!proc) {
      proc = { client: m.client, dump: null, start: 'new', readsInRecord: false, port: m.client ? null : smtpdServicePort(m.program), established: false };
      this.procs.set(key, proc);
    }
    out.selectSession(key);
    if (proc.start === 'new') proc.start = text.startsWith('connect from ', m.messageStart) ? 'known' : 'open';
    this.readMessage(i, proc, m.messageStart, e);
    this.dateSession(i, head, s);
    return i + 1;
  }

  /**
   * A session whose first line this is (`head`, at document offset `s`) is dated by the line's RFC 3339 timestamp
   * (rsyslog's default format since Debian 12, `journalctl -o short-iso`): its certificates are judged at that time.
   */
  private dateSession(i: number, head: string, s: number): void {
    const out = this.ctx.out;
    const events = out.session.events;
    if (events.length === 0 || events[0].line !== i || head.charCodeAt(4) !== 45) return;
    const t = parseSyslogTime(head);
    if (!t) return;
    const text = head.slice(0, t.length);
    out.addSessionTime({ kind: 'note', line: i, note: 'session-time', text, span: { start: s, end: s + t.length }, time: t.time, fromLogLine: true });
  }

  /**
   * A line of the current session that says something about it (an SMTP line, bytes, a TLS note): when the
   * session's first line was no `connect from`, its start is in the text only if this is the server's greeting.
   */
  private decideStart(proc: Proc, greeting: boolean): void {
    if (proc.start !== 'open') return;
    proc.start = 'known';
    if (greeting) return;
    this.ctx.out.markStartMissing();
    proc.readsInRecord = true;
  }

  /** The process's session ends here (`disconnect from`, or its next `connect from`); `seen`: by a line that says so. */
  private endSession(proc: Proc, seen: boolean): void {
    const out = this.ctx.out;
    if (out.session.events.length > 0) {
      this.decideStart(proc, false);
      if (!seen) out.markEndMissing();
    }
    out.endSession();
    proc.start = 'new';
    proc.readsInRecord = false;
    proc.established = false;
  }

  private readMessage(i: number, proc: Proc, ms: number, e: number): void {
    const { doc, out } = this.ctx;
    const text = doc.text;
    const message = text.slice(ms, Math.min(e, ms + HEAD_SCAN));
    // Hex dump lines continue the process's pending read/write.
    const d = proc.dump;
    if (continuesBioDump(d, text, ms, e)) {
      out.vote('postfix-log', 1);
      readBioDumpLine(this.ctx, i, d, ms, e);
      return;
    }
    const bio = matchBioHeader(message);
    this.endDump(proc, bio);
    if (bio) {
      out.vote('postfix-log', 1);
      this.decideStart(proc, false);
      if (!bio.write && proc.readsInRecord && HEADER_READ.test(message)) proc.readsInRecord = false;
      // smtpd reads what the client sent; the postfix SMTP client the reverse.
      const direction: Direction = bio.write !== proc.client ? 'server' : 'client';
      const skip = !bio.write && proc.readsInRecord;
      if (bio.count > 0) proc.dump = startBioDump(bio, direction, i, skip);
      return;
    }
    const dlg = DIALOGUE.exec(message);
    if (dlg) {
      out.vote('postfix-log', 1);
      const received = dlg[1] === '<';
      const cs = ms + dlg[0].length;
      // The greeting: a reply (sent by smtpd, received by the SMTP client) naming the service.
      const greeting = received === proc.client && GREETING.test(text.slice(cs, Math.min(e, cs + 320)));
      // A postfix/smtp process delivers over many connections, logging no end of each: the next server's greeting starts the next.
      if (proc.client && greeting && proc.start !== 'open' && out.session.events.length > 0) {
        this.endSession(proc, true);
        proc.start = 'known';
      }
      if (proc.start === 'open') this.decideStart(proc, greeting);
      // The SMTP client names the server's port on every line.
      if (proc.client && dlg[2] !== undefined && out.session.events.length === 0) out.setPort(Number(dlg[2]));
      this.readDialogue(i, received, cs, e, proc.client);
      return;
    }
    const span = { start: ms, end: e };
    if (message.startsWith('connect from ')) {
      // A connection whose `disconnect from` was not logged ends at the process's next one.
      if (out.session.events.length > 0) this.endSession(proc, false);
      proc.start = 'known';
      out.add({ kind: 'note', line: i, note: 'other', text: message, span });
      if (proc.port !== null) out.setPort(proc.port);
    } else if (message.startsWith(DISCONNECT)) {
      // smtpd's last line for a connection: the session ends (documentChunks.ts cuts where none is open).
      out.add({ kind: 'note', line: i, note: 'connection-closed', text: message, span });
      this.endSession(proc, true);
    } else if (message.startsWith('lost connection ')) {
      out.add({ kind: 'note', line: i, note: 'connection-closed', text: message, span });
    } else if (message.startsWith('SSL_accept error') || message.startsWith('SSL_connect error') || message.startsWith('warning: TLS library problem') || message.startsWith('SSL3 alert ')) {
      // OpenSSL's info callback (smtpd_tls_loglevel 2) states each alert sent (write) or received (read); its
      // error stack, at any level, a received fatal alert.
      const alert = parseStateAlert(text, ms, e) ?? parseErrorAlert(text, ms, e);
      out.add(alert ? statedAlertEvent(i, span, message, alert, proc.client) : { kind: 'note', line: i, note: 'other', text: message, span });
    } else if (isVerdictStart(text.charCodeAt(ms))) {
      const verdict = parseCertificateVerdict(text, ms, e, 'Postfix');
      if (!verdict) return;
      out.vote('postfix-log', 1);
      // Postfix verifies before it logs `established`: a verdict after one is the next connection's (an SMTP
      // client logs no end of a connection; without its dialogue lines, nothing else tells).
      if (proc.established) this.endSession(proc, false);
      this.decideStart(proc, false);
      out.add(statedVerdictEvent(i, span, message, verdict, proc.client));
    } else {
      const est = ESTABLISHED.exec(message);
      if (est) {
        out.vote('postfix-log', 1);
        // TLS is established once per connection: a second time, the lines between the two connections are not in the text.
        if (proc.established) this.endSession(proc, false);
        proc.established = true;
        this.decideStart(proc, false);
        const port = proc.client ? (est[1] !== undefined ? Number(est[1]) : null) : proc.port;
        if (port !== null) out.setPort(port);
        addEstablished(out, text, i, span, message, est);
      }
    }
  }

  /** `<`: received by the logging process. */
  private readDialogue(i: number, received: boolean, cs: number, e: number, processIsClient: boolean): void {
    const { doc, out } = this.ctx;
    if (!processIsClient) out.markServerLogged();
    const fromClient = received !== processIsClient;
    const inTls = out.session.afterStarttls;
    if (fromClient) out.addCommand(parseCommandLine(doc.text, i, cs, e, inTls, out.session.inData));
    else out.addReplyLine(parseReplyLine(doc.text, i, cs, e), inTls);
  }

  /** The process's dump is over (`next`: the BIO header that ends it). */
  private endDump(proc: Proc, next: BioHeader | null = null): void {
    const d = proc.dump;
    if (!d) return;
    proc.dump = null;
    endBioDump(this.ctx, d, 'postfix-log', next);
  }

  /** At the end of the text: a session still open goes on after it (its end is missing), a dump cut by it included. */
  flush(): void {
    const { out } = this.ctx;
    for (const [key, proc] of this.procs) {
      if (!proc.dump && proc.start === 'new') continue;
      out.selectSession(key);
      if (proc.dump) endBioDumpAtTextEnd(this.ctx, proc.dump, 'postfix-log');
      proc.dump = null;
      if (out.session.events.length > 0) {
        this.decideStart(proc, false);
        out.markEndMissing();
      }
    }
    out.selectSession('');
  }
}
