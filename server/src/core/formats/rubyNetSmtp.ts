/**
 * Ruby's Net::SMTP with `set_debug_output` (what Rails' ActionMailer runs): each line read after `-> `, each line
 * written after `<- `, as Ruby's String#dump writes them (so the line endings are known):
 *   Connection opened: 127.0.0.1:2526
 *   -> "220 mx.example.test ESMTP Postfix (Debian/GNU)\r\n"
 *   <- "EHLO client.lab.test\r\n"
 *   <- "STARTTLS\r\n"
 *   -> "220 2.0.0 Ready to start TLS\r\n"
 *   TLS connection started
 * The arrows point the other way than swaks's: `->` is what Ruby read, the server's. One session per `Connection opened:
 * HOST:PORT` (net-smtp 0.3; older ones print `opening connection to HOST:PORT...`). Net::SMTP prints `TLS connection started`
 * as it starts the handshake (with `enable_tls`, before the greeting): what follows is inside TLS. The message text is not
 * shown, only `writing message from String` and `wrote N bytes`. A handshake that fails raises OpenSSL::SSL::SSLError, whose
 * message the backtrace's first line prints: `SSL_connect returned=1 errno=0 peeraddr=127.0.0.1:25 state=error: certificate
 * verify failed (certificate has expired)` (or `(hostname mismatch)`: OpenSSL checked the name, as Net::SMTP asks when it
 * verifies), `... state=error: sslv3 alert handshake failure`; code that checks the name after the handshake
 * (OpenSSL::SSL::SSLSocket#post_connection_check, Ruby's openssl/ssl.rb) raises `hostname "localhost" does not match the
 * server certificate`.
 */
import { OPENSSL_ALERT_REASONS } from './opensslAlerts';
import { OPENSSL_DATE_RESULTS } from './opensslVerifyResults';
import { statedVerdictEvent } from './postfixTlsFacts';
import { RUBY_DUMP_ESCAPES, decodePythonRepr, splitReprLines } from './pythonRepr';
import { lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseCommandText, parseReplyText, withWireCommand, withWireReply } from './smtpLines';
import { statedAlertEvent, type AlertStatement } from './statedFacts';
import type { CertificateVerdict } from '../model/transcript';

/** `Connection opened: HOST:PORT` (net-smtp 0.3), `opening connection to HOST:PORT...` (older): group 1 or 2 the port. */
const OPENED = /^(?:Connection opened: (?:\[[0-9A-Fa-f:.]{2,45}\]|[^ [\]]{1,255}?):([0-9]{1,5})|opening connection to (?:\[[0-9A-Fa-f:.]{2,45}\]|[^ [\]]{1,255}?):([0-9]{1,5})\.\.\.)\s*$/;
const TLS_STARTED = 'TLS connection started';
/** Ruby's notes while it sends the message text. */
const WRITING = /^(?:writing message from [A-Za-z]{1,20}|wrote [0-9]{1,12} bytes|opened)\s*$/;
/** OpenSSL::SSL::SSLError's message: group 1 OpenSSL's reason after `state=error: `. */
const SSL_ERROR = /SSL_connect returned=[0-9]{1,3} errno=[0-9]{1,5}(?: peeraddr=[^ ]{1,80})? state=error: ([^()\r\n]{1,120}?)(?: \(([^()\r\n]{1,120})\))?(?: \(OpenSSL::SSL::SSLError\))?\s*$/;
/** OpenSSL's verify results for a name it checked (X509_V_ERR_HOSTNAME_MISMATCH 62, X509_V_ERR_IP_ADDRESS_MISMATCH 64). */
const NAME_RESULTS: readonly string[] = ['hostname mismatch', 'IP address mismatch'];
/** Ruby's own name check (OpenSSL::SSL::SSLSocket#post_connection_check): group 1 the name. */
const NAME_MISMATCH = /hostname "([^"\r\n]{1,255})" does not match the server certificate/;

/**
 * What a Ruby OpenSSL::SSL::SSLError line at text[s, e) says of the handshake: the alert the server sent (OpenSSL's reason
 * as it names it), or the client's verdict on the certificate's dates or name; null for any other line.
 */
export function parseRubySslError(text: string, s: number, e: number): { alert?: AlertStatement; verdict?: CertificateVerdict } | null {
  const head = text.slice(s, Math.min(e, s + 600));
  const name = NAME_MISMATCH.exec(head);
  if (name) {
    const start = s + name.index;
    return { verdict: { tool: 'Ruby', of: 'server', problem: 'name-mismatch', reason: name[0], reasonSpan: { start, end: start + name[0].length }, expectedName: name[1] } };
  }
  const m = SSL_ERROR.exec(head);
  if (!m) return null;
  const reasonStart = s + m.index + m[0].indexOf(`state=error: ${m[1]}`) + 'state=error: '.length;
  const description = OPENSSL_ALERT_REASONS.get(m[1]);
  if (description !== undefined) return { alert: { received: true, level: 2, description, descriptionSpan: { start: reasonStart, end: reasonStart + m[1].length }, byError: true } };
  if (m[1] !== 'certificate verify failed' || m[2] === undefined) return {};
  // `certificate verify failed (certificate has expired)`: the verify result in parentheses.
  const start = reasonStart + m[1].length + 2;
  if (NAME_RESULTS.includes(m[2])) {
    return { verdict: { tool: 'Ruby', of: 'server', problem: 'name-mismatch', reason: m[2], reasonSpan: { start, end: start + m[2].length } } };
  }
  const result = OPENSSL_DATE_RESULTS.find(([words]) => words === m[2]);
  if (result) {
    return { verdict: { tool: 'Ruby', of: 'chain', problem: result[1], reason: result[0], reasonSpan: { start, end: start + result[0].length } } };
  }
  return {};
}

export class RubyNetSmtpReader implements LineReader {
  /** The connection's TLS is up: what follows is inside it. */
  private tlsUp = false;
  /** A Ruby line was read and no other since: its exception's lines are read. */
  private active = false;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    // `-> "` and `<- "`.
    if ((c === 45 || c === 60) && e - s > 4 && text.charCodeAt(s + 2) === 32 && text.charCodeAt(s + 3) === 34) {
      const read = c === 45 && text.charCodeAt(s + 1) === 62;
      const written = c === 60 && text.charCodeAt(s + 1) === 45;
      if (!read && !written) return -1;
      const repr = decodePythonRepr(text, s + 3, e, RUBY_DUMP_ESCAPES);
      if (!repr || !repr.closed) return -1;
      out.vote('ruby-net-smtp', 1);
      this.active = true;
      const inTls = this.tlsUp || out.session.afterStarttls;
      for (const l of splitReprLines(repr)) {
        if (written) out.addCommand(withWireCommand(parseCommandText(l.content, i, l.span, inTls, out.session.inData), l.lineEnding));
        else out.addReplyLine(withWireReply(parseReplyText(l.content, i, l.span), l.lineEnding), inTls);
      }
      return i + 1;
    }
    const head = text.slice(s, Math.min(e, s + 320));
    const opened = c === 67 || c === 111 ? OPENED.exec(head) : null;
    if (opened) {
      out.vote('ruby-net-smtp', 1);
      out.endSession();
      this.tlsUp = false;
      this.active = true;
      out.setPort(Number(opened[1] ?? opened[2]));
      this.note(i, s, e, 'other');
      return i + 1;
    }
    if (!this.active) return -1;
    if (head.startsWith(TLS_STARTED)) {
      // Printed as the handshake starts: it may still fail.
      this.tlsUp = true;
      out.markTlsSeen();
      this.note(i, s, e, 'tls-start');
      return i + 1;
    }
    if (WRITING.test(head)) {
      this.note(i, s, e, 'other');
      return i + 1;
    }
    const failure = head.includes('SSL') || head.includes('hostname "') ? parseRubySslError(text, s, e) : null;
    if (failure) {
      this.active = false;
      const span = { start: s, end: e };
      if (failure.alert) out.add(statedAlertEvent(i, span, head, failure.alert, true));
      if (failure.verdict) out.add(statedVerdictEvent(i, span, head, failure.verdict, true));
      return i + 1;
    }
    this.active = false;
    return -1;
  }

  private note(i: number, s: number, e: number, note: 'other' | 'tls-start'): void {
    const text = this.ctx.doc.text;
    this.ctx.out.add({ kind: 'note', line: i, note, text: text.slice(s, Math.min(e, s + 300)), span: { start: s, end: e } });
  }

  flush(): void {
    this.active = false;
  }
}
