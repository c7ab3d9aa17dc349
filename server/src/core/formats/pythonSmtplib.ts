/**
 * Python smtplib with set_debuglevel(1 or 2) (FORMATS.md section 8):
 *   03:33:31.102889 send: 'ehlo client.feas.test\r\n'
 *   03:33:31.103338 reply: b'250-mx.feas.test\r\n'
 *   03:33:31.103581 reply: retcode (250); Msg: b'mx.feas.test\nPIPELINING...'
 * The literals are decoded (CR LF written as \r\n escapes, so line endings are known);
 * one `send:` may hold several lines (message content). The `retcode` summary repeats
 * the reply and is skipped. Nothing is printed for the TLS handshake: lines after the
 * 220 answer to STARTTLS are inside TLS; a handshake that ends with the server's alert ends
 * the traceback with `ssl.SSLError: [SSL: ...] sslv3 alert handshake failure (_ssl.c:1006)`.
 */
import { headOf, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { decodePythonRepr, splitReprLines } from './pythonRepr';
import { parsePythonSslError } from './opensslAlerts';
import { statedAlertEvent } from './statedFacts';
import { parseCommandText, parseReplyText, withWireCommand, withWireReply } from './smtpLines';

const PREFIX = /^(?:[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{1,6} )?(send|reply): (?=[bB]?['"])/;

export class PythonSmtplibReader implements LineReader {
  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, c } = lineBounds(doc, i);
    if (!(c >= 48 && c <= 57) && c !== 115 && c !== 114) return -1;
    // The traceback's last line when the handshake ended with an alert the server sent.
    const alert = c === 115 ? parsePythonSslError(text, s, doc.end(i)) : null;
    if (alert) {
      out.add(statedAlertEvent(i, { start: s, end: doc.end(i) }, headOf(doc, i), alert, true));
      return i + 1;
    }
    const m = PREFIX.exec(headOf(doc, i));
    if (!m) return -1;
    out.vote('python-smtplib', 1);
    const e = doc.end(i);
    const repr = decodePythonRepr(text, s + m[0].length, e);
    if (!repr) return i + 1;
    const client = m[1] === 'send';
    for (const l of splitReprLines(repr)) {
      const inTls = out.session.afterStarttls;
      if (client) out.addCommand(withWireCommand(parseCommandText(l.content, i, l.span, inTls, out.session.inData), l.lineEnding));
      else out.addReplyLine(withWireReply(parseReplyText(l.content, i, l.span), l.lineEnding), inTls);
    }
    return i + 1;
  }

  flush(): void {
    // Line by line: nothing pending.
  }
}
