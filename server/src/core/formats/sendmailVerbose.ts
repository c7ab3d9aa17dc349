/**
 * `sendmail -v` (and `mail -v`, which runs it): the SMTP dialogue of each delivery, the commands sent after
 * `>>> `, the server's replies as they came, and sendmail's own lines about each recipient:
 *   postmaster@example.test... Connecting to [127.0.0.1] port 2526 via relay...
 *   220 mx.example.test ESMTP Postfix (Debian/GNU)
 *   >>> EHLO client.lab.test
 *   250-mx.example.test
 *   >>> STARTTLS
 *   220 2.0.0 Ready to start TLS
 *   >>> EHLO client.lab.test
 *   ...
 *   postmaster@example.test... Sent (Ok: queued as 1709F16A080)
 *   Closing connection to [127.0.0.1]
 *   >>> QUIT
 *   221 2.0.0 Bye
 * Each `Connecting to` starts a connection (a run may connect to several servers); without `port N` it is
 * the mailer's default, 25. sendmail prints nothing of the handshake: the lines after STARTTLS's 220 are
 * inside TLS. A reply of sendmail's own making follows the recipient's address (`... Deferred: 454 4.7.0 TLS
 * handshake failed.`) and is a note, not the server's. The message text is not printed, only `>>> .`.
 */
import { matchOpensslLabel } from './opensslMsg';
import { lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { isKnownVerb, looksLikeBareReply, parseCommandLine, parseReplyLine } from './smtpLines';

const COMMAND_PREFIX = '>>> ';
/** `ADDRESS... Connecting to HOST port N via MAILER...`: group 1 the port, when sendmail names one. */
const CONNECTING = /^[^ ]{1,300}\.\.\. Connecting to [^ ]{1,255}(?: port ([0-9]{1,5}))? via [A-Za-z0-9_.-]{1,40}\.\.\.$/;
/** sendmail's line about a recipient or the connection: `ADDRESS... TEXT`, `Closing connection to HOST`. */
const ABOUT = /^(?:[^ ]{1,300}\.\.\. |Closing connection to )/;

/** The line text[s, e) when it is the one sendmail -v starts each connection with (group 1: the port it names). */
function matchConnecting(text: string, s: number, e: number): RegExpExecArray | null {
  // Cheap first: the line ends in "...".
  if (e - s < 24 || text.charCodeAt(e - 1) !== 46 || text.charCodeAt(e - 2) !== 46 || text.charCodeAt(e - 3) !== 46) return null;
  return CONNECTING.exec(text.slice(s, Math.min(e, s + 640)));
}

/** Whether text[s, e) is the line sendmail -v starts each connection with (the reader starts a session there, documentChunks.ts a chunk). */
export function isSendmailConnecting(text: string, s: number, e: number): boolean {
  return matchConnecting(text, s, e) !== null;
}

export class SendmailVerboseReader implements LineReader {
  /** Inside a run's dialogue: bare reply lines are the server's, `ADDRESS...` lines sendmail's. */
  private active = false;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    // (openssl -msg's labels start so too: `>>> TLS 1.2, RecordHeader [length 0005]`.)
    if (c === 62 && text.startsWith(COMMAND_PREFIX, s) && !matchOpensslLabel(text, s, e)) {
      const cs = s + COMMAND_PREFIX.length;
      const command = parseCommandLine(text, i, cs, e, out.session.afterStarttls, out.session.inData);
      // Outside a run's dialogue, only an SMTP command: Python's prompt starts lines so too (`>>> s.starttls()`).
      if (!this.active && !isKnownVerb(command.verb)) return -1;
      out.vote('sendmail-verbose', 1);
      this.active = true;
      out.addCommand(command);
      return i + 1;
    }
    const connecting = matchConnecting(text, s, e);
    if (connecting) {
      out.vote('sendmail-verbose', 1);
      out.endSession();
      this.active = true;
      out.setPort(connecting[1] !== undefined ? Number(connecting[1]) : 25);
      this.note(i, s, e);
      return i + 1;
    }
    if (!this.active) return -1;
    if (looksLikeBareReply(text, s, e)) {
      out.vote('sendmail-verbose', 1);
      out.addReplyLine(parseReplyLine(text, i, s, e), out.session.afterStarttls);
      return i + 1;
    }
    if (ABOUT.test(text.slice(s, Math.min(e, s + 320)))) {
      this.note(i, s, e);
      return i + 1;
    }
    this.active = false;
    return -1;
  }

  private note(i: number, s: number, e: number): void {
    const text = this.ctx.doc.text;
    this.ctx.out.add({ kind: 'note', line: i, note: 'other', text: text.slice(s, Math.min(e, s + 300)), span: { start: s, end: e } });
  }

  flush(): void {
    this.active = false;
  }
}
