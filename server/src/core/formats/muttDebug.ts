/**
 * Mutt's and NeoMutt's debug log (`mutt -d 2`, ~/.muttdebug0; `neomutt -d 2 -l FILE`) of the SMTP connection they send
 * through (`smtp_url`): each socket line after its file descriptor, `<` what was read, `>` what was written:
 *   [2026-11-30 22:20:21] Connected to 127.0.0.1:2526 on fd=4
 *   [2026-11-30 22:20:21] 4< 220 mx.example.test ESMTP Postfix (Debian/GNU)
 *   [2026-11-30 22:20:21] 4> EHLO client.lab.test
 * NeoMutt puts its level and the function between the time and the text:
 *   [2026-11-30 22:21:51]<2> mutt_socket_write_d() 4> STARTTLS
 * One session per `Connected to HOST:PORT on fd=N`, on that port, its lines those of descriptor N. An IMAP or POP
 * connection in the same log (a greeting `* OK` or `+OK`) is passed over. Neither prints the handshake: after STARTTLS's
 * 220 the dialogue is inside TLS, unless the next line of the log is Mutt's failure (`tls_check_one_certificate: unable
 * to prompt for certificate in batch mode`, GnuTLS's `gnutls_handshake: ...`), a tls-start note that ends the session's
 * SMTP. Nor does either log TLS from the connection's start (`smtps://`), so each session is marked implicitTlsNotShown:
 * the rules that judge what went before TLS say so. The message text is logged from level 5 on (below it only the `.` that ends it); AUTH's base64 is masked.
 */
import { isDateTimeAt, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseCommandLine, parseReplyLine } from './smtpLines';

/** `[2026-11-30 22:20:21]` and what follows it. */
const STAMP_LENGTH = 21;
const HEADER = /^(?:Mutt\/[0-9][^ ]{0,40} \([^)]{1,40}\)|NeoMutt-[0-9]{8}[^ ]{0,40}) debugging at level [0-9]/;
/** `Connected to HOST:PORT on fd=N`: group 1 the port, group 2 the descriptor. */
const CONNECTED = /^Connected to (?:\[[0-9A-Fa-f:.]{2,45}\]|[^ [\]]{1,255}?):([0-9]{1,5}) on fd=([0-9]{1,6})\s*$/;
/** What Mutt logs when the handshake after STARTTLS does not succeed. */
const TLS_FAILURES: readonly string[] = ['tls_check_one_certificate:', 'tls_negotiate:', 'gnutls_handshake:', 'ssl_check_certificate:', 'ssl_negotiate:', 'SSL_connect'];

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A line of Mutt's or NeoMutt's debug log at text[s, e): where its message starts; -1 for any other line. */
export function muttMessageStart(text: string, s: number, e: number): number {
  if (e - s < STAMP_LENGTH + 1 || text.charCodeAt(s) !== 91 || text.charCodeAt(s + 20) !== 93) return -1;
  if (!isDateTimeAt(text, s + 1)) return -1;
  const at = s + STAMP_LENGTH;
  if (text.charCodeAt(at) === 32) return at + 1;
  // NeoMutt: `<2> function() `.
  if (text.charCodeAt(at) !== 60 || text.charCodeAt(at + 2) !== 62 || text.charCodeAt(at + 3) !== 32) return -1;
  const close = text.slice(at + 4, Math.min(e, at + 84)).indexOf('() ');
  if (close < 0) return -1;
  const name = text.slice(at + 4, at + 4 + close);
  return /^[A-Za-z_][A-Za-z0-9_]{0,60}$/.test(name) ? at + 4 + close + 3 : -1;
}

/** A line of Mutt's debug log, by what it is: its first line, a connection opened, a socket line, or another line of the log. */
export type MuttLine =
  | { readonly kind: 'header' | 'other'; readonly at: number }
  | { readonly kind: 'connected'; readonly at: number; readonly port: number; readonly fd: string }
  | { readonly kind: 'socket'; readonly at: number; readonly socket: SocketLine };

/**
 * A line of Mutt's debug log at text[s, e) (null for any other line): 'header', its first line (`Mutt/2.2.12 (...)
 * debugging at level 2`), where a run starts; 'connected', `Connected to HOST:PORT on fd=N`; 'socket', a line of a
 * connection; 'other', any other line of the log.
 */
export function readMuttLine(text: string, s: number, e: number): MuttLine | null {
  if (text.charCodeAt(s) !== 91) return null; // [
  const at = muttMessageStart(text, s, e);
  if (at < 0) return null;
  const socket = matchSocketLine(text, at, e);
  if (socket) return { kind: 'socket', at, socket };
  const c = text.charCodeAt(at);
  if (c === 67 && text.startsWith('Connected to ', at)) {
    const m = CONNECTED.exec(text.slice(at, Math.min(e, at + 320)));
    if (m) return { kind: 'connected', at, port: Number(m[1]), fd: m[2] };
  }
  if ((c === 77 || c === 78) && HEADER.test(text.slice(at, Math.min(e, at + 160)))) return { kind: 'header', at };
  return { kind: 'other', at };
}

/** A socket line: its descriptor, `<` read or `>` written, where its text starts. */
export interface SocketLine {
  readonly fd: string;
  readonly written: boolean;
  readonly text: number;
}

/** A socket line's descriptor, direction and text start at text[at, e): `4< 220 ...`, `4> EHLO ...`; null otherwise. */
export function matchSocketLine(text: string, at: number, e: number): SocketLine | null {
  let p = at;
  while (p < e && p - at < 7 && isDigit(text.charCodeAt(p))) p++;
  if (p === at || p >= e) return null;
  const c = text.charCodeAt(p);
  if (c !== 60 && c !== 62) return null; // < >
  if (p + 1 < e && text.charCodeAt(p + 1) !== 32) return null;
  return { fd: text.slice(at, p), written: c === 62, text: Math.min(e, p + 2) };
}

/** What the reader knows of the connection on one descriptor. */
interface Connection {
  /** Its greeting showed it is not SMTP (IMAP, POP): its lines are passed over. */
  notSmtp: boolean;
  /** The first line read from it is still to come. */
  greeted: boolean;
  /** Its last line was the 220 to STARTTLS: the handshake is under way, and a failure of it is Mutt's next line. */
  tlsPending: boolean;
  /** The handshake after STARTTLS failed. */
  failed: boolean;
}

export class MuttDebugReader implements LineReader {
  private readonly connections = new Map<string, Connection>();
  /** A header or a connection of Mutt's was read: its other lines (notes of its own) are its too. */
  private active = false;
  /** The descriptor of the last socket line, and its connection. */
  private last: { fd: string; conn: Connection } | null = null;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (c !== 91) return -1; // [
    const line = readMuttLine(text, s, e);
    if (!line) return -1;
    if (line.kind === 'socket') return this.socketLine(i, line.socket, e);
    const { at } = line;
    if (line.kind === 'connected') {
      out.vote('mutt', 1);
      this.active = true;
      out.selectSession(line.fd);
      if (out.session.sawReply || out.session.commandSeen) out.endSession();
      this.connections.set(line.fd, { notSmtp: false, greeted: false, tlsPending: false, failed: false });
      out.setPort(line.port);
      // `smtps://`'s handshake is not in the log either: the connection may be inside TLS from its start.
      out.markImplicitTlsNotShown();
      this.note(i, at, e);
      return i + 1;
    }
    if (line.kind === 'header') {
      out.vote('mutt', 1);
      this.active = true;
      return i + 1;
    }
    if (!this.active) return -1;
    const last = this.last;
    if (last && last.conn.tlsPending && TLS_FAILURES.some((w) => text.startsWith(w, at))) {
      // The handshake after STARTTLS's 220 did not succeed: what follows on this descriptor is not inside TLS.
      out.selectSession(last.fd);
      last.conn.tlsPending = false;
      last.conn.failed = true;
      out.markTlsSeen();
      out.add({ kind: 'note', line: i, note: 'tls-start', text: text.slice(at, Math.min(e, at + 300)), span: { start: at, end: e } });
      return i + 1;
    }
    // Mutt's own notes (mechanisms, temporary files): the log's, no connection's.
    return i + 1;
  }

  private socketLine(i: number, socket: SocketLine, e: number): number {
    const { doc, out } = this.ctx;
    const text = doc.text;
    let conn = this.connections.get(socket.fd);
    if (!conn) {
      // A log that starts after the connection was opened.
      if (!this.active && (socket.written || !isDigit(text.charCodeAt(socket.text)))) return -1;
      conn = { notSmtp: false, greeted: false, tlsPending: false, failed: false };
      this.connections.set(socket.fd, conn);
    }
    out.vote('mutt', 1);
    this.active = true;
    this.last = { fd: socket.fd, conn };
    if (!socket.written && !conn.greeted) {
      conn.greeted = true;
      // An IMAP (`* OK`) or POP (`+OK`) greeting: not SMTP.
      conn.notSmtp = !(isDigit(text.charCodeAt(socket.text)) && isDigit(text.charCodeAt(socket.text + 1)) && isDigit(text.charCodeAt(socket.text + 2)));
    }
    if (conn.notSmtp) return i + 1;
    out.selectSession(socket.fd);
    const inTls = out.session.afterStarttls && !conn.failed;
    if (socket.written) out.addCommand(parseCommandLine(text, i, socket.text, e, inTls, out.session.inData));
    else out.addReplyLine(parseReplyLine(text, i, socket.text, e), inTls);
    conn.tlsPending = !socket.written && !inTls && out.session.afterStarttls && text.startsWith('220', socket.text);
    return i + 1;
  }

  private note(i: number, s: number, e: number): void {
    const text = this.ctx.doc.text;
    this.ctx.out.add({ kind: 'note', line: i, note: 'other', text: text.slice(s, Math.min(e, s + 300)), span: { start: s, end: e } });
  }

  flush(): void {
    this.connections.clear();
    this.active = false;
    this.last = null;
  }
}
