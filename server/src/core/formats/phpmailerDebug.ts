/**
 * PHPMailer's SMTP debug output (`$mail->SMTPDebug = 1` to `4`), what PHP web applications print when mail
 * will not go. Each message as `SMTP::edebug` writes it: with `Debugoutput = 'echo'` (the command line's
 * default) a UTC time, a tab, and the lines after the first indented by a fixed run of spaces and a tab:
 *   2026-11-30 18:59:20	Connection: opening to 127.0.0.1:2526, timeout=300, options=array()
 *   2026-11-30 18:59:20	SERVER -> CLIENT: 220 mx.example.test ESMTP Postfix (Debian/GNU)
 *   2026-11-30 18:59:20	CLIENT -> SERVER: EHLO client.lab.test
 *   2026-11-30 18:59:20	SERVER -> CLIENT: 250-mx.example.test
 *                      	                  250-PIPELINING
 * With `'html'` (a web server's default) a space instead of the tab, `-&gt;`, a multi-line reply on one line
 * (its line breaks removed: `250-mx.example.test250-PIPELINING250 CHUNKING`) and `<br>` at the end; a browser
 * shows it with `->` and without `<br>`. With `'error_log'` no time of PHPMailer's (PHP's log may prefix its
 * own `[30-Nov-2026 18:59:20 UTC] `) and a reply's lines as the server sent them.
 *
 * PHPMailer prints nothing of a handshake that succeeds: after STARTTLS's 220 what follows is inside TLS.
 * One that fails is PHP's warning (`Connection failed. Error #2: stream_socket_enable_crypto(): ...` and
 * OpenSSL's error, or PHP's own check of the name); PHPMailer then sends QUIT in the clear on the connection
 * whose handshake it began, and prints what the server's TLS stack sent next as its reply. Level 4's raw
 * `SMTP INBOUND:` lines repeat the replies that `SERVER -> CLIENT:` gives whole, and are skipped. Levels 1
 * to 3 print `[credentials hidden]` for AUTH's credentials; level 4 prints their base64, which is masked
 * like any other.
 */
import { parseErrorAlert } from './opensslAlerts';
import { isDateTimeAt, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { looksLikeBareReply, parseCommandLine, parseCommandText, parseReplyLine, parseReplyText } from './smtpLines';
import { statedAlertEvent } from './statedFacts';
import type { SmtpReplyLine } from '../model/transcript';
import { parsePhpNameVerdict } from './phpTlsFacts';
import { statedVerdictEvent } from './postfixTlsFacts';

/** What `edebug` indents a message's later lines with ('echo'): 19 spaces, a tab, 18 spaces. */
const CONTINUATION = '                   \t                  ';
const COMMAND = ['CLIENT -> SERVER:', 'CLIENT -&gt; SERVER:'];
const REPLY = ['SERVER -> CLIENT:', 'SERVER -&gt; CLIENT:'];
const INBOUND = 'SMTP INBOUND: ';
/** `Connection: opening to [ssl://]HOST:PORT, timeout=300, options=...`: group 1 `ssl`/`tls` for implicit TLS, group 2 the port. */
const OPENING = /^Connection: opening to (?:(ssl|tls):\/\/)?(?:\[[0-9A-Fa-f:.]{2,45}\]|[^ [\]]{1,255}?):([0-9]{1,5}), timeout=/;
/**
 * PHP's warning when the connection or its handshake fails, as PHPMailer reports it: level 3's `Connection failed. Error #2: ...`,
 * and the error it ends with at every level, `SMTP Error: Could not connect to SMTP host. Connection failed. ...`.
 */
const FAILED = /^(?:SMTP Error: Could not connect to SMTP host\. )?Connection failed\. /;
const CRYPTO = 'stream_socket_enable_crypto()';
const QUIT_FAILED = 'SMTP ERROR: QUIT command failed: ';
/** PHPMailer's other messages (levels 1 to 4). */
const OTHER = /^(?:Connection: |SMTP (?:Error|ERROR|NOTICE): |SMTP -> get_lines\(\)|Auth method|Requested auth method)/;
/** PHP's error_log prefix in a log file: `[30-Nov-2026 18:59:20 UTC] `. */
const ERROR_LOG_PREFIX = /^\[[0-9]{2}-[A-Z][a-z]{2}-[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [^\]\r\n]{1,40}\] /;

/** What the last message was: where its indented lines go. */
type Last = 'none' | 'reply' | 'failed' | 'tls-bytes' | 'other';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Where a PHPMailer message starts in the line text[s, e): after its time and the tab ('echo', `tab` true) or
 * space ('html'), after error_log's prefix, or at the line's start; `stamped`: a time of PHPMailer's came first.
 */
export function phpmailerMessageStart(text: string, s: number, e: number): { at: number; stamped: boolean; tab: boolean } {
  if (e - s > 20 && isDateTimeAt(text, s)) {
    const c = text.charCodeAt(s + 19);
    if (c === 9 || c === 32) return { at: s + 20, stamped: true, tab: c === 9 };
  }
  if (text.charCodeAt(s) === 91) {
    const m = ERROR_LOG_PREFIX.exec(text.slice(s, Math.min(e, s + 64)));
    if (m) return { at: s + m[0].length, stamped: false, tab: false };
  }
  return { at: s, stamped: false, tab: false };
}

/** Whether text[s, e) is the line PHPMailer (SMTPDebug 3 and 4) starts a connection with (the reader starts a session there, documentChunks.ts a chunk). */
export function isPhpmailerConnecting(text: string, s: number, e: number): boolean {
  // Cheap first: a time, error_log's `[`, or the words themselves.
  const c = text.charCodeAt(s);
  if (!isDigit(c) && c !== 91 && c !== 67) return false;
  const { at } = phpmailerMessageStart(text, s, e);
  return text.startsWith('Connection: opening to ', at) && OPENING.test(text.slice(at, Math.min(e, at + 400)));
}

function startsWithAny(text: string, at: number, prefixes: readonly string[]): number {
  for (const p of prefixes) if (text.startsWith(p, at)) return p.length;
  return 0;
}

/**
 * The parts of a multi-line reply 'html' output joined on one line (`250-mx.example.test250-PIPELINING250 CHUNKING`):
 * split where the reply's code comes again followed by `-` or a space; one part when it does not.
 */
export function splitJoinedReply(content: string): string[] {
  if (content.length < 8 || content.charCodeAt(3) !== 45 || !/^[2-5][0-9]{2}$/.test(content.slice(0, 3))) return [content];
  const code = content.slice(0, 3);
  const parts: string[] = [];
  let from = 0;
  let at = content.indexOf(code, 4);
  while (at >= 0) {
    const next = content.charCodeAt(at + 3);
    // (The code at the very end is the end of the text, `SIZE 10240250`, not a line.)
    if (next === 45 || next === 32) {
      parts.push(content.slice(from, at));
      from = at;
    }
    at = content.indexOf(code, at + 3);
  }
  parts.push(content.slice(from));
  return parts;
}

/**
 * The reply line text[s, e). PHPMailer trims every message it prints ('echo', 'html'), so a bare code was most likely the
 * code and a space on the wire (Postfix's `334 ` to AUTH PLAIN): read so, not as a reply without its separator.
 */
function replyPart(text: string, line: number, s: number, e: number): SmtpReplyLine {
  return e - s === 3 ? parseReplyText(`${text.slice(s, e)} `, line, { start: s, end: e }) : parseReplyLine(text, line, s, e);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const HTML_ENTITY = /&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6}));/g;

/**
 * The text PHPMailer's 'html' output escaped with htmlentities(ENT_QUOTES): `&lt;` `&gt;` `&amp;` `&quot;` and numeric
 * references decoded (`MAIL FROM:&lt;a@b&gt;` is `MAIL FROM:<a@b>`). The other named entities htmlentities writes for
 * letters outside ASCII are left as written.
 */
export function decodeHtmlText(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(HTML_ENTITY, (whole, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return HTML_ENTITIES[name];
    const code = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

export class PhpmailerDebugReader implements LineReader {
  /** A PHPMailer message was read and nothing else came since: indented and bare reply lines are its. */
  private active = false;
  private last: Last = 'none';
  /** The connection is TLS from its start (`ssl://`), or its STARTTLS handshake succeeded. */
  private tlsUp = false;
  /** The connection was opened with `ssl://` and has not said it opened yet. */
  private implicitTls = false;
  /** STARTTLS was the last command, and no failure was printed since: the next command is inside TLS. */
  private starttlsPending = false;
  /** The STARTTLS handshake failed: what the server sends next are TLS bytes PHPMailer prints as a reply. */
  private handshakeFailed = false;
  /** In a session whose replies are not shown: between DATA and the lone '.', message text. */
  private messageText = false;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, c } = lineBounds(doc, i);
    let e = doc.end(i);
    if (c === 32 && this.active && text.startsWith(CONTINUATION, s)) return this.readContinuation(i, s + CONTINUATION.length, e);
    // Cheap first: a time (digit), error_log's `[`, PHPMailer's own words (C, S), a reply's later line.
    if (!(isDigit(c) || c === 91 || c === 67 || c === 83)) return -1;
    const { at, stamped, tab } = phpmailerMessageStart(text, s, e);
    // 'html' output ends each message so.
    if (!tab && text.endsWith('<br>', e)) e -= 4;
    const command = startsWithAny(text, at, COMMAND);
    if (command > 0) return this.readCommand(i, at + command, e, !tab);
    const reply = startsWithAny(text, at, REPLY);
    if (reply > 0) return this.readReply(i, at + reply, e, !tab);
    if (!stamped) {
      // error_log: a reply's later lines as the server sent them.
      if (this.active && this.last === 'reply' && at === s && looksLikeBareReply(text, s, e)) {
        out.addReplyLine(replyPart(text, i, s, e), this.inTls());
        return i + 1;
      }
      // Unstamped (error_log, a browser's copy without times): only a connection's start begins a reading.
      if (!this.active && !text.startsWith('Connection: opening to ', at)) return -1;
    }
    if (text.startsWith(INBOUND, at)) {
      out.vote('phpmailer', 1);
      this.mark('other');
      return i + 1;
    }
    const message = text.slice(at, Math.min(e, at + 400));
    const opening = OPENING.exec(message);
    if (opening) {
      out.vote('phpmailer', 1);
      out.endSession();
      this.tlsUp = false;
      this.starttlsPending = false;
      this.handshakeFailed = false;
      this.messageText = false;
      this.implicitTls = opening[1] !== undefined;
      out.setPort(Number(opening[2]));
      this.note(i, at, e, 'other');
      this.mark('other');
      return i + 1;
    }
    if (FAILED.test(message)) {
      out.vote('phpmailer', 1);
      this.readFailure(i, at, e);
      return i + 1;
    }
    if (!OTHER.test(message)) {
      this.active = false;
      return -1;
    }
    out.vote('phpmailer', 1);
    // An error after STARTTLS (`SMTP ERROR: STARTTLS command failed: 454 ...`): no TLS follows.
    if (message.startsWith('SMTP E')) this.starttlsPending = false;
    if (message.startsWith('Connection: opened') && this.implicitTls) {
      // PHP opened the ssl:// stream, its handshake done: the dialogue is inside TLS from the greeting on.
      this.implicitTls = false;
      this.tlsUp = true;
      out.markTlsSeen();
      this.note(i, at, e, 'tls-established');
    } else if (this.handshakeFailed && message.startsWith(QUIT_FAILED)) {
      // What the server's TLS stack sent after a failed handshake, again in PHPMailer's error about QUIT.
      out.add({ kind: 'note', line: i, note: 'other', text: `${QUIT_FAILED}(the server's TLS bytes, printed as text)`, span: { start: at, end: e } });
      this.mark('tls-bytes');
      return i + 1;
    } else {
      this.note(i, at, e, message.startsWith('Connection: closed') ? 'connection-closed' : 'other');
    }
    this.mark('other');
    return i + 1;
  }

  private inTls(): boolean {
    return this.tlsUp || (this.ctx.out.session.afterStarttls && !this.handshakeFailed);
  }

  private mark(last: Last): void {
    this.active = true;
    this.last = last;
  }

  /** A command at text[at, e); `html`: PHPMailer's 'html' output, whose text is escaped. */
  private readCommand(i: number, at: number, e: number, html: boolean): number {
    const { doc, out } = this.ctx;
    const cs = Math.min(doc.text.charCodeAt(at) === 32 ? at + 1 : at, e);
    out.vote('phpmailer', 1);
    if (this.starttlsPending) {
      // PHPMailer goes on after STARTTLS only once its handshake succeeded (level 1 prints no reply to show the 220).
      this.starttlsPending = false;
      this.tlsUp = true;
      out.markTlsSeen();
    }
    // Level 1 prints no replies (not even the greeting): PHPMailer sent each line once the one before was answered.
    if (!out.session.sawReply) out.markRepliesNotShown();
    const dataLine = out.session.inData || this.messageText;
    const command = html && doc.text.slice(cs, e).includes('&')
      ? parseCommandText(decodeHtmlText(doc.text.slice(cs, e)), i, { start: cs, end: e }, this.inTls(), dataLine)
      : parseCommandLine(doc.text, i, cs, e, this.inTls(), dataLine);
    out.addCommand(command);
    if (command.verb === 'STARTTLS' && !command.inTls && !dataLine) this.starttlsPending = true;
    // Without replies, the message text is what follows DATA (PHPMailer sends it after the 354) up to the lone '.'.
    if (out.session.repliesNotShown) this.messageText = dataLine ? e - cs !== 1 || doc.text.charCodeAt(cs) !== 46 : command.verb === 'DATA';
    this.mark('other');
    return i + 1;
  }

  /** A reply at text[at, e); `joined`: PHPMailer's 'html' output, its lines joined on one and its text escaped. */
  private readReply(i: number, at: number, e: number, joined: boolean): number {
    const { doc, out } = this.ctx;
    const text = doc.text;
    const rs = Math.min(text.charCodeAt(at) === 32 ? at + 1 : at, e);
    out.vote('phpmailer', 1);
    if (this.handshakeFailed && !looksLikeBareReply(text, rs, e)) {
      // The server's TLS bytes after a failed handshake, which PHPMailer read as the reply to its QUIT.
      this.tlsBytesNote(i, rs, e);
      return i + 1;
    }
    const parts = joined ? splitJoinedReply(text.slice(rs, e)) : null;
    if (parts && (parts.length > 1 || parts[0].includes('&'))) {
      let from = rs;
      for (const part of parts) {
        out.addReplyLine(parseReplyText(decodeHtmlText(part), i, { start: from, end: from + part.length }), this.inTls());
        from += part.length;
      }
    } else {
      out.addReplyLine(replyPart(text, i, rs, e), this.inTls());
    }
    this.mark('reply');
    return i + 1;
  }

  /** A line of the last message after echo's indent. */
  private readContinuation(i: number, at: number, e: number): number {
    const { doc, out } = this.ctx;
    if (this.last === 'reply' && looksLikeBareReply(doc.text, at, e)) out.addReplyLine(replyPart(doc.text, i, at, e), this.inTls());
    else if (this.last === 'failed') this.readFailureDetail(i, at, e);
    else if (this.last === 'tls-bytes' || (this.last === 'reply' && this.handshakeFailed)) this.tlsBytesNote(i, at, e);
    // Anything else indented (an options array, an error PHPMailer repeats): part of a message already noted.
    return i + 1;
  }

  /**
   * PHP's warning that the connection failed. The first after STARTTLS that names stream_socket_enable_crypto() says the
   * handshake failed: with the 220 shown, the client began it (what follows the 220 is TLS); its details are read from it
   * and its indented lines. PHPMailer repeats the error later: a note.
   */
  private readFailure(i: number, at: number, e: number): void {
    const out = this.ctx.out;
    // Within the line only (a search to the document's end per line would make a log of failures quadratic).
    const crypto = this.ctx.doc.text.slice(at, Math.min(e, at + 400)).includes(CRYPTO);
    const first = crypto && (this.starttlsPending || out.session.afterStarttls) && !this.tlsUp && !this.handshakeFailed;
    this.starttlsPending = false;
    if (!first) {
      this.note(i, at, e, 'other');
      this.mark('other');
      return;
    }
    this.handshakeFailed = true;
    if (out.session.afterStarttls) {
      out.markTlsSeen();
      this.note(i, at, e, 'tls-start');
    } else {
      this.note(i, at, e, 'other');
    }
    this.mark('failed');
    this.readFailureDetail(i, at, e);
  }

  /** OpenSSL's error or PHP's name check in the failure's text: the alert received, PHP's verdict on the name. */
  private readFailureDetail(i: number, at: number, e: number): void {
    const { doc, out } = this.ctx;
    const span = { start: at, end: e };
    const message = doc.text.slice(at, Math.min(e, at + 400));
    const alert = parseErrorAlert(doc.text, at, e);
    if (alert) out.add(statedAlertEvent(i, span, message, alert, true));
    const verdict = parsePhpNameVerdict(doc.text, at, e);
    if (verdict) out.add(statedVerdictEvent(i, span, message, verdict, true));
  }

  private tlsBytesNote(i: number, s: number, e: number): void {
    this.ctx.out.add({
      kind: 'note',
      line: i,
      note: 'other',
      text: `the server's TLS bytes after the failed handshake, printed by PHPMailer as text (${e - s} characters; not readable as records)`,
      span: { start: s, end: e },
    });
    this.mark('tls-bytes');
  }

  private note(i: number, s: number, e: number, note: 'other' | 'tls-start' | 'tls-established' | 'connection-closed'): void {
    const text = this.ctx.doc.text;
    this.ctx.out.add({ kind: 'note', line: i, note, text: text.slice(s, Math.min(e, s + 300)), span: { start: s, end: e } });
  }

  flush(): void {
    this.active = false;
    this.last = 'none';
  }
}
