/**
 * Perl's Net::SMTP with `Debug => 1` (libnet; what Perl scripts, Email::Sender's SMTP transport and `git send-email
 * --smtp-debug=1` run): each line
 * after the object (its class and address), `>>> ` for what it wrote, `<<< ` for what it read:
 *   Net::SMTP>>> Net::SMTP(3.14)
 *   Net::SMTP>>>   Net::Cmd(3.14)
 *   Net::SMTP=GLOB(0x55d6d1997df8)<<< 220 mx.example.test ESMTP Postfix (Debian/GNU)
 *   Net::SMTP=GLOB(0x55d6d1997df8)>>> STARTTLS
 *   Net::SMTP=GLOB(0x55d6d1997df8)<<< 220 2.0.0 Ready to start TLS
 *   Net::SMTP::_SSL=GLOB(0x55d6d1997df8)>>> EHLO client.lab.test
 * The first lines, the class alone, are the versions of the modules, printed once per class when debugging is turned
 * on. Each object is a connection: one session per address, a new one where a greeting comes after the last one ended
 * or its handshake failed (Perl reuses a freed object's address). Net::SMTP blesses the object into Net::SMTP::_SSL once IO::Socket::SSL's
 * handshake succeeded: its lines from there are inside TLS (from the greeting on: TLS from the start, `SSL => 1`). The
 * port is not printed. The message text follows DATA's 354 as the script gave it, before dot-stuffing, up to the lone `.`.
 * During AUTH Net::SMTP also prints each challenge and each answer decoded, `(decoded) Username:` and
 * `>>> (decoded) PASSWORD`: the password in clear, which is masked like the AUTH lines.
 *
 * A handshake that fails prints nothing of Net::SMTP; the script dies with IO::Socket::SSL's error, which the line after
 * STARTTLS's 220 carries: OpenSSL's error (`SSL connect attempt failed error:0A000410:SSL routines::sslv3 alert handshake
 * failure`: a received alert), or IO::Socket::SSL's own check of the name, `hostname verification failed`.
 */
import { parseErrorAlert } from './opensslAlerts';
import { statedVerdictEvent } from './postfixTlsFacts';
import { lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseCommandLine, parseReplyLine } from './smtpLines';
import { statedAlertEvent } from './statedFacts';
import { CREDENTIAL_MASK } from '../model/transcript';

/** How far into a line the object's class and address may reach. */
const PREFIX_SCAN = 160;
const GLOB = '=GLOB(0x';
const DECODED = '(decoded) ';
/** IO::Socket::SSL's errors for a failed handshake (errstr): OpenSSL's error after the first, its own name check. */
const SSL_FAILED = 'SSL connect attempt failed';
const NAME_FAILED = 'hostname verification failed';

/** A line of Net::SMTP's debug output at text[s, e). */
export interface PerlDebugLine {
  /** The object's class: `Net::SMTP`, `Net::SMTP::_SSL` once TLS is up (or a subclass naming SMTP). */
  readonly className: string;
  /** The object's address (the connection); null on the version lines printed before any object. */
  readonly address: string | null;
  /** `>>> `: what Net::SMTP wrote; `<<< `: what it read. */
  readonly written: boolean;
  /** Where the text after the arrow and its space starts. */
  readonly at: number;
}

function isClassChar(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // 0-9 : A-Z a-z _
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** A line of Net::SMTP's debug output (a Perl class naming SMTP, perhaps its object's address, an arrow); null for any other line. */
export function matchPerlDebugLine(text: string, s: number, e: number): PerlDebugLine | null {
  const c0 = text.charCodeAt(s);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95)) return null;
  const limit = Math.min(e, s + PREFIX_SCAN);
  let p = s + 1;
  while (p < limit && isClassChar(text.charCodeAt(p))) p++;
  const c = text.charCodeAt(p);
  if (c !== 61 && c !== 62 && c !== 60) return null; // = > <
  const className = text.slice(s, p);
  if (!className.includes('SMTP') || className.endsWith(':')) return null;
  let address: string | null = null;
  if (c === 61) {
    if (!text.startsWith(GLOB, p)) return null;
    let q = p + GLOB.length;
    while (q < limit && isHexDigit(text.charCodeAt(q))) q++;
    if (q === p + GLOB.length || q - p - GLOB.length > 16 || text.charCodeAt(q) !== 41) return null; // )
    address = text.slice(p + GLOB.length, q);
    p = q + 1;
  }
  const arrow = text.slice(p, p + 3);
  if (arrow !== '>>>' && arrow !== '<<<') return null;
  // The arrow and a space, or the arrow alone at the end of the line (an empty line of text, its space trimmed).
  if (p + 3 < e && text.charCodeAt(p + 3) !== 32) return null;
  return { className, address, written: arrow === '>>>', at: Math.min(e, p + 4) };
}

/** A greeting that names SMTP (RFC 5321 §4.2), within the first characters of a reply. */
const GREETING = /^220[ -][^\r\n]{0,400}SMTP/;

/**
 * How a line of Net::SMTP's debug output bears on where a connection starts: 'banner', a version line printed before any
 * object's (a script's run starts at the first); 'greeting', a 220 naming SMTP read by an object (a new connection, where
 * a chunk of the document starts, unless it answers the STARTTLS on the line before it, as some servers' answers name
 * SMTP too, or follows the banner); 'starttls', the STARTTLS an object wrote; null for any other line.
 */
export function perlLineKind(text: string, s: number, e: number): 'banner' | 'greeting' | 'starttls' | null {
  const c = text.charCodeAt(s);
  if (!(c >= 65 && c <= 90)) return null; // Net::SMTP, or a class of an application's own
  const line = matchPerlDebugLine(text, s, e);
  if (!line) return null;
  if (line.address === null) return 'banner';
  if (line.written) return text.startsWith('STARTTLS', line.at) && e - line.at <= 9 ? 'starttls' : null;
  return text.startsWith('220', line.at) && GREETING.test(text.slice(line.at, Math.min(e, line.at + 420))) ? 'greeting' : null;
}

/** What the reader knows of one connection (one object). */
interface Connection {
  /** Its lines are inside TLS (the object is a Net::SMTP::_SSL). */
  tls: boolean;
  /** It said goodbye (QUIT written, or a 221 read): a greeting at its address is a new connection. */
  ended: boolean;
  /** Its handshake after STARTTLS failed (the script's error was read). */
  failed: boolean;
}

export class PerlNetSmtpReader implements LineReader {
  private readonly connections = new Map<string, Connection>();
  /** The connection of the last Net::SMTP line; a line that is not Net::SMTP's ends it (null). */
  private last: { address: string; conn: Connection } | null = null;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e } = lineBounds(doc, i);
    const line = matchPerlDebugLine(text, s, e);
    if (!line) return this.tryFailure(i, s, e);
    out.vote('perl-net-smtp', 1);
    const { address, at } = line;
    // The versions of the modules, printed once per class before any object's line: no connection's.
    if (address === null) return i + 1;
    out.selectSession(address);
    const ssl = line.className.endsWith('::_SSL');
    let conn = this.connections.get(address);
    const greeting = !line.written && text.startsWith('220', at);
    if (!conn || (greeting && (conn.ended || conn.failed))) {
      // A new object (a greeting at an address whose connection ended or failed: Perl reuses a freed object's address).
      if (conn && (out.session.sawReply || out.session.commandSeen)) out.endSession();
      conn = { tls: ssl, ended: false, failed: false };
      this.connections.set(address, conn);
      if (ssl) out.markTlsSeen();
    } else if (ssl && !conn.tls) {
      // Blessed into Net::SMTP::_SSL: the handshake after STARTTLS succeeded.
      conn.tls = true;
      out.markTlsSeen();
    }
    this.last = { address, conn };
    // (A line of message text may read `(decoded) ...` too.)
    if (!out.session.inData && text.startsWith(DECODED, at)) {
      this.decoded(i, s, e, at, line.written);
      return i + 1;
    }
    if (line.written) {
      const command = parseCommandLine(text, i, at, e, conn.tls, out.session.inData);
      out.addCommand(command);
      if (command.verb === 'QUIT' && !command.dataLine) conn.ended = true;
    } else {
      const reply = parseReplyLine(text, i, at, e);
      out.addReplyLine(reply, conn.tls);
      if (text.startsWith('221', at)) conn.ended = true;
    }
    return i + 1;
  }

  /** Net::SMTP's `(decoded) ...` line during AUTH: a note; the client's is a credential in clear, masked. */
  private decoded(i: number, s: number, e: number, at: number, written: boolean): void {
    const start = at + DECODED.length;
    if (!written || start >= e) {
      this.note(i, s, e, 'other');
      return;
    }
    const text = this.ctx.doc.text;
    this.ctx.out.add({ kind: 'note', line: i, note: 'other', text: text.slice(s, start) + CREDENTIAL_MASK, span: { start: s, end: e }, credential: { start, end: e } });
  }

  /** The line after Net::SMTP's last: the script's error when the handshake after STARTTLS's 220 failed; -1 for any other line. */
  private tryFailure(i: number, s: number, e: number): number {
    const last = this.last;
    this.last = null;
    if (!last) return -1;
    const { out, doc } = this.ctx;
    const { conn } = last;
    if (conn.tls || conn.failed) return -1;
    const head = doc.text.slice(s, Math.min(e, s + 400));
    const nameAt = head.indexOf(NAME_FAILED);
    if (nameAt < 0 && !head.includes(SSL_FAILED)) return -1;
    out.selectSession(last.address);
    if (!out.session.afterStarttls) {
      out.selectSession('');
      return -1;
    }
    conn.failed = true;
    out.markTlsSeen();
    this.note(i, s, e, 'tls-start');
    const span = { start: s, end: e };
    const alert = parseErrorAlert(doc.text, s, e);
    if (alert) out.add(statedAlertEvent(i, span, head, alert, true));
    if (nameAt >= 0) {
      const start = s + nameAt;
      out.add(statedVerdictEvent(i, span, head, { tool: 'Perl', of: 'server', problem: 'name-mismatch', reason: NAME_FAILED, reasonSpan: { start, end: start + NAME_FAILED.length } }, true));
    }
    return i + 1;
  }

  private note(i: number, s: number, e: number, note: 'other' | 'tls-start'): void {
    const text = this.ctx.doc.text;
    this.ctx.out.add({ kind: 'note', line: i, note, text: text.slice(s, Math.min(e, s + 300)), span: { start: s, end: e } });
  }

  flush(): void {
    this.last = null;
  }
}
