/**
 * Jakarta Mail's (JavaMail's) debug output (`mail.debug=true`), what Java applications print when mail will not go: its
 * own lines after `DEBUG: ` and `DEBUG SMTP: `, the dialogue bare, commands and replies as they went:
 *   DEBUG SMTP: trying to connect to host "127.0.0.1", port 2526, isSSL false
 *   220 mx.example.test ESMTP Postfix (Debian/GNU)
 *   DEBUG SMTP: connected to host "127.0.0.1", port: 2526
 *   EHLO client.lab.test
 *   250-mx.example.test
 * One session per `trying to connect to host ..., port N, isSSL B` (isSSL true: TLS from the start); lines that read as
 * replies are the server's, the others the client's, the message text those after DATA's 354 up to the lone `.`. Nothing
 * is printed of a handshake that succeeds: after STARTTLS's 220 the dialogue is inside TLS. One that fails is the exception
 * the application prints (`jakarta.mail.MessagingException: Could not convert socket to TLS;` and its causes): Java names
 * a received alert by its registry name (`Received fatal alert: handshake_failure`), its verdicts on the certificate's
 * dates (`CertificateExpiredException: NotAfter: ...`) and names (`No subject alternative DNS name matching x found.`),
 * and Jakarta Mail its own check of the name (`Can't verify identity of server: localhost`). AUTH is not shown
 * (`AUTH LOGIN command trace suppressed`).
 */
import { lookupAlertDescriptionByName } from '../tls/registry';
import { statedVerdictEvent } from './postfixTlsFacts';
import { lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { looksLikeBareReply, parseCommandLine, parseReplyLine } from './smtpLines';
import { statedAlertEvent, type AlertStatement } from './statedFacts';
import type { CertificateVerdict } from '../model/transcript';

const DEBUG = 'DEBUG';
/** `DEBUG SMTP: trying to connect to host "H", port N, isSSL B`: group 1 the port, group 2 isSSL. */
const CONNECTING = /^DEBUG SMTP: trying to connect to host "[^"\r\n]{1,255}", port ([0-9]{1,5}), isSSL (true|false)/;
/** The exception an application prints when STARTTLS's handshake fails. */
const TLS_FAILED = /^(?:jakarta|javax)\.mail\.MessagingException: Could not convert socket to TLS/;
/** Lines of an exception and its causes: `  nested exception is:`, `\tat ...`, `Caused by: ...`, `\t... 12 more`, a class name and message. */
const EXCEPTION_LINE = /^(?:[ \t]{1,8}nested exception is:|\tat |\t\.\.\. [0-9]{1,6} more|Caused by: |\t?[a-z][a-z0-9_.]{0,200}\.[A-Z][A-Za-z0-9_$]{0,100}(?:Exception|Error)\b)/;
const ALERT = /Received fatal alert: ([a-z_]{3,40})/;
const NAME_CHECKS: readonly RegExp[] = [
  /Can't verify identity of server: ([^ \r\n]{1,255})/,
  /No subject alternative DNS name matching ([^ \r\n]{1,255}?)\.? found/,
  /No subject alternative names matching IP address ([^ \r\n]{1,64}?)\.? found/,
  /No name matching ([^ \r\n]{1,255}?)\.? found/,
];
const DATES: ReadonlyArray<readonly [RegExp, CertificateVerdict['problem']]> = [
  [/CertificateExpiredException: NotAfter: [^\r\n]{1,80}/, 'expired'],
  [/CertificateNotYetValidException: NotBefore: [^\r\n]{1,80}/, 'not-yet-valid'],
];

/** What a line of a failed handshake's exception at text[s, e) says: the alert received, or Java's verdict on the certificate; null otherwise. */
export function parseJavaTlsFailure(text: string, s: number, e: number): { alert?: AlertStatement; verdict?: CertificateVerdict } | null {
  const head = text.slice(s, Math.min(e, s + 600));
  const alert = ALERT.exec(head);
  if (alert) {
    const description = lookupAlertDescriptionByName(alert[1]);
    if (description === undefined) return null;
    const start = s + alert.index + alert[0].length - alert[1].length;
    return { alert: { received: true, level: 2, description, descriptionSpan: { start, end: start + alert[1].length }, byError: true } };
  }
  for (const re of NAME_CHECKS) {
    const m = re.exec(head);
    if (!m) continue;
    const start = s + m.index;
    return { verdict: { tool: 'Jakarta Mail', of: 'server', problem: 'name-mismatch', reason: m[0], reasonSpan: { start, end: start + m[0].length }, expectedName: m[1] } };
  }
  for (const [re, problem] of DATES) {
    const m = re.exec(head);
    if (!m) continue;
    const start = s + m.index;
    const reason = m[0].trimEnd();
    return { verdict: { tool: 'Jakarta Mail', of: 'chain', problem, reason, reasonSpan: { start, end: start + reason.length } } };
  }
  return null;
}

export class JavaMailDebugReader implements LineReader {
  /** Inside a connection's dialogue: bare lines are SMTP. */
  private active = false;
  /** The connection was opened with isSSL true. */
  private tlsUp = false;
  /** A failed handshake's exception is being read (its first verdict or alert taken). */
  private failing = false;
  private failureRead = false;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (c === 68 && text.startsWith(DEBUG, s)) return this.readDebug(i, s, e);
    if (this.failing) {
      if (!EXCEPTION_LINE.test(text.slice(s, Math.min(e, s + 200)))) {
        this.failing = false;
        return -1;
      }
      if (!this.failureRead) this.readFailure(i, s, e);
      return i + 1;
    }
    if (!this.active) return -1;
    const head = text.slice(s, Math.min(e, s + 200));
    if (TLS_FAILED.test(head) && out.session.afterStarttls && !this.tlsUp) {
      // The handshake after STARTTLS's 220 began (what follows the 220 is TLS), and failed.
      this.active = false;
      this.failing = true;
      this.failureRead = false;
      out.markTlsSeen();
      out.add({ kind: 'note', line: i, note: 'tls-start', text: head, span: { start: s, end: e } });
      return i + 1;
    }
    const inTls = this.tlsUp || out.session.afterStarttls;
    if (out.session.inData) {
      out.addCommand(parseCommandLine(text, i, s, e, inTls, true));
      return i + 1;
    }
    if (EXCEPTION_LINE.test(head)) {
      // An exception of another kind (a refused connection, a rejected recipient): the dialogue is over.
      this.active = false;
      return -1;
    }
    if (looksLikeBareReply(text, s, e)) {
      out.addReplyLine(parseReplyLine(text, i, s, e), inTls);
      if (out.session.closed) this.active = false;
    } else {
      out.addCommand(parseCommandLine(text, i, s, e, inTls, false));
    }
    return i + 1;
  }

  /** Jakarta Mail's own lines: a connection's start; the others are notes of the session they come in. */
  private readDebug(i: number, s: number, e: number): number {
    const { doc, out } = this.ctx;
    const head = doc.text.slice(s, Math.min(e, s + 400));
    if (!head.startsWith('DEBUG: ') && !head.startsWith('DEBUG SMTP: ')) return -1;
    out.vote('jakarta-mail', 1);
    this.failing = false;
    const connecting = CONNECTING.exec(head);
    if (connecting) {
      out.endSession();
      this.active = true;
      this.tlsUp = connecting[2] === 'true';
      out.setPort(Number(connecting[1]));
      if (this.tlsUp) out.markTlsSeen();
      out.add({ kind: 'note', line: i, note: this.tlsUp ? 'tls-established' : 'other', text: head, span: { start: s, end: e } });
      return i + 1;
    }
    // (Its list of the EHLO reply's extensions repeats the reply.)
    if (this.active && !head.startsWith('DEBUG SMTP: Found extension ')) out.add({ kind: 'note', line: i, note: 'other', text: head, span: { start: s, end: e } });
    return i + 1;
  }

  /** A line of the failed handshake's exception: the first alert or verdict it states, once. */
  private readFailure(i: number, s: number, e: number): void {
    const failure = parseJavaTlsFailure(this.ctx.doc.text, s, e);
    if (!failure) return;
    this.failureRead = true;
    const span = { start: s, end: e };
    const text = this.ctx.doc.text.slice(s, Math.min(e, s + 400));
    const out = this.ctx.out;
    if (failure.alert) out.add(statedAlertEvent(i, span, text, failure.alert, true));
    if (failure.verdict) out.add(statedVerdictEvent(i, span, text, failure.verdict, true));
  }

  flush(): void {
    this.active = false;
    this.failing = false;
  }
}
