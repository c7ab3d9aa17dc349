/**
 * Nodemailer's log (`createTransport({ logger: true, debug: true })`), what Node.js applications print when mail will
 * not go: a time, a level, the connection's id, and the dialogue after `C: ` and `S: `:
 *   [2026-11-30 19:28:50] INFO  [PC14BskiphM] Connection established to 127.0.0.1:2526
 *   [2026-11-30 19:28:50] DEBUG [PC14BskiphM] S: 220 mx.example.test ESMTP Postfix (Debian/GNU)
 *   [2026-11-30 19:28:50] DEBUG [PC14BskiphM] C: STARTTLS
 *   [2026-11-30 19:28:50] INFO  [PC14BskiphM] Connection upgraded with STARTTLS
 * Each id is a connection (a pool's run side by side): one session per id, started by `Connection established to
 * HOST:PORT` (`Secure connection established`: TLS from the start). After `Connection upgraded with STARTTLS` the
 * dialogue is inside TLS. The message text follows DATA's 354 as DEBUG lines of the connection without `C: `, up to
 * the lone `.`. A handshake that fails is Node.js's error, a WARN of the connection after STARTTLS's 220: OpenSSL's error
 * (a received alert), or Node's verdict on the certificate (`certificate has expired`, `Hostname/IP does not match
 * certificate's altnames: Host: localhost. is not in the cert's altnames: ...`). Nodemailer logs AUTH with the password
 * replaced by `/* secret *\/` inside the base64; what it logs is masked like any other credentials.
 */
import { parseErrorAlert } from './opensslAlerts';
import { OPENSSL_DATE_RESULTS } from './opensslVerifyResults';
import { statedVerdictEvent } from './postfixTlsFacts';
import { isDateTimeAt, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseCommandLine, parseReplyLine } from './smtpLines';
import { statedAlertEvent } from './statedFacts';
import type { CertificateVerdict } from '../model/transcript';

const LEVELS = ['TRACE', 'DEBUG', 'INFO ', 'WARN ', 'ERROR', 'FATAL'];
/** `Connection established to HOST:PORT` (`Secure ` first: TLS from the start); group 1 `Secure `, group 2 the port. */
const ESTABLISHED = /^(Secure )?[Cc]onnection established to (?:\[[0-9A-Fa-f:.]{2,45}\]|[^ [\]]{1,255}?):([0-9]{1,5})\s*$/;
const UPGRADED = 'Connection upgraded with STARTTLS';
/** Node's tls.checkServerIdentity: group 1 the host name, group 2 the address it checked. */
const NAME_MISMATCH = /^Hostname\/IP does not match certificate's altnames: (?:Host: ([^ \r\n]{1,255}?)\.? is not (?:in the cert's altnames|cert's CN)|IP: ([^ \r\n]{1,64}) is not in the cert's list)/;

/** A line of Nodemailer's logger at text[s, e): where its message starts, and the connection's id ('' when it names none); null for any other line. */
export function matchNodemailerLine(text: string, s: number, e: number): { at: number; id: string; level: string } | null {
  // `[2026-11-30 19:28:50] DEBUG ` is 28 characters.
  if (e - s < 28 || text.charCodeAt(s) !== 91 || text.charCodeAt(s + 20) !== 93 || text.charCodeAt(s + 21) !== 32) return null;
  if (!isDateTimeAt(text, s + 1)) return null;
  const level = text.slice(s + 22, s + 27);
  if (!LEVELS.includes(level) || text.charCodeAt(s + 27) !== 32) return null;
  let at = s + 28;
  if (text.charCodeAt(at) !== 91) return { at, id: '', level };
  // Within the id's longest length only.
  const close = text.slice(at, Math.min(e, at + 43)).indexOf('] ');
  if (close < 0 || !/^[A-Za-z0-9_-]{1,40}$/.test(text.slice(at + 1, at + close))) return { at, id: '', level };
  const id = text.slice(at + 1, at + close);
  at += close + 2;
  return { at, id, level };
}

/** Node's verdict on the server's certificate in an error message text[at, e): its dates (OpenSSL's words) or its names; null otherwise. */
export function parseNodeVerdict(text: string, at: number, e: number): CertificateVerdict | null {
  let end = e;
  while (end > at && (text.charCodeAt(end - 1) === 13 || text.charCodeAt(end - 1) === 32)) end--;
  for (const [words, problem] of OPENSSL_DATE_RESULTS) {
    if (end - at === words.length && text.startsWith(words, at)) return { tool: 'Nodemailer', of: 'chain', problem, reason: words, reasonSpan: { start: at, end } };
  }
  if (text.charCodeAt(at) !== 72) return null; // H
  const m = NAME_MISMATCH.exec(text.slice(at, Math.min(end, at + 640)));
  if (!m) return null;
  return { tool: 'Nodemailer', of: 'server', problem: 'name-mismatch', reason: text.slice(at, end), reasonSpan: { start: at, end }, expectedName: m[1] ?? m[2] };
}

/** What the reader knows of one connection. */
interface Connection {
  /** TLS from the start (`Secure connection established`), or after `Connection upgraded with STARTTLS`. */
  tls: boolean;
  /** The handshake after STARTTLS failed (its error was read). */
  failed: boolean;
}

export class NodemailerLogReader implements LineReader {
  private readonly connections = new Map<string, Connection>();

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (c !== 91) return -1; // [
    const line = matchNodemailerLine(text, s, e);
    if (!line) return -1;
    out.vote('nodemailer', 1);
    // The transport's own lines (creating it, sending a message, its errors) name no connection: the connection's say the same.
    if (line.id === '') return i + 1;
    const { at, id, level } = line;
    const message = text.slice(at, Math.min(e, at + 400));
    const established = ESTABLISHED.exec(message);
    out.selectSession(id);
    if (established) {
      // (The connection's lines before it, resolving the host, are its.)
      if (out.session.sawReply || out.session.commandSeen) out.endSession();
      const secure = established[1] !== undefined;
      this.connections.set(id, { tls: secure, failed: false });
      out.setPort(Number(established[2]));
      if (secure) out.markTlsSeen();
      this.note(i, at, e, secure ? 'tls-established' : 'other');
      return i + 1;
    }
    let conn = this.connections.get(id);
    if (!conn) {
      // A log that starts after the connection's start.
      conn = { tls: false, failed: false };
      this.connections.set(id, conn);
    }
    const inTls = conn.tls;
    if (text.startsWith('S: ', at)) {
      out.addReplyLine(parseReplyLine(text, i, at + 3, e), inTls);
      return i + 1;
    }
    if (text.startsWith('C: ', at)) {
      out.addCommand(parseCommandLine(text, i, at + 3, e, inTls, out.session.inData));
      return i + 1;
    }
    if (level === 'DEBUG' && out.session.inData) {
      // The message text as Nodemailer sends it.
      out.addCommand(parseCommandLine(text, i, at, e, inTls, true));
      return i + 1;
    }
    if (message.startsWith(UPGRADED)) {
      conn.tls = true;
      out.markTlsSeen();
      this.note(i, at, e, 'tls-established');
      return i + 1;
    }
    if (level === 'WARN ' && !conn.tls && !conn.failed && out.session.afterStarttls && at < e) {
      // The handshake after STARTTLS's 220 failed: Node's error.
      conn.failed = true;
      out.markTlsSeen();
      this.note(i, at, e, 'tls-start');
      const span = { start: at, end: e };
      const alert = parseErrorAlert(text, at, e);
      if (alert) out.add(statedAlertEvent(i, span, message, alert, true));
      const verdict = parseNodeVerdict(text, at, e);
      if (verdict) out.add(statedVerdictEvent(i, span, message, verdict, true));
      return i + 1;
    }
    if (at < e) this.note(i, at, e, message.startsWith('Connection closed') ? 'connection-closed' : 'other');
    return i + 1;
  }

  private note(i: number, s: number, e: number, note: 'other' | 'tls-start' | 'tls-established' | 'connection-closed'): void {
    const text = this.ctx.doc.text;
    this.ctx.out.add({ kind: 'note', line: i, note, text: text.slice(s, Math.min(e, s + 300)), span: { start: s, end: e } });
  }

  flush(): void {
    this.connections.clear();
  }
}
