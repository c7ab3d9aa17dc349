/**
 * swaks transcripts (FORMATS.md section 1): a four-character prefix per line.
 *   ` -> ` client in clear     `<-  ` server in clear     `<-* ` server error reply
 *   ` ~> ` client inside TLS   `<~  ` server inside TLS   `<~* ` server error inside TLS
 *   `=== ` info                `*** ` error
 * `=== Trying host:port...`, the first line of every run, starts a new session.
 * `=== TLS started with cipher TLSv1.3:TLS_AES_256_GCM_SHA384:256` states the outcome.
 */
import { isGnutlsAlertLine } from './gnutlsDebug';
import { type LineReader, type ReaderContext } from './readerContext';
import { parseErrorAlert } from './opensslAlerts';
import { parseCommandLine, parseReplyLine } from './smtpLines';
import { parseTlsVersionName, spanAt, statedNegotiation, statedAlertEvent } from './statedFacts';

const TLS_STARTED = /^TLS started with cipher ([A-Za-z0-9.]{1,16}):([A-Za-z0-9_-]{1,80}):([0-9]{1,4})/;

export class SwaksReader implements LineReader {
  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const text = doc.text;
    const s = doc.start(i);
    const e = doc.end(i);
    if (e - s < 4) {
      // " -> " with an empty line after it is still 4 characters; shorter is not swaks.
      return -1;
    }
    // Every prefix below starts with a space, "<", "=" or "*": other lines are not sliced.
    const c = text.charCodeAt(s);
    if (c !== 32 && c !== 60 && c !== 61 && c !== 42) return -1;
    const p = text.slice(s, s + 4);
    const cs = s + 4;
    switch (p) {
      case ' -> ':
      case ' ~> ':
        out.vote('swaks', 1);
        out.addCommand(parseCommandLine(text, i, cs, e, p === ' ~> ', out.session.inData));
        return i + 1;
      case '<-  ':
      case '<~  ':
      case '<-* ':
      case '<~* ':
        out.vote('swaks', 1);
        out.addReplyLine(parseReplyLine(text, i, cs, e), p.charCodeAt(1) === 126);
        return i + 1;
      case '*** ':
        if (isGnutlsAlertLine(text, s, e)) return -1;
        out.vote('swaks', 1);
        this.readInfo(i, true, cs, e);
        return i + 1;
      case '=== ':
        out.vote('swaks', 1);
        this.readInfo(i, false, cs, e);
        return i + 1;
      default:
        return -1;
    }
  }

  private readInfo(i: number, error: boolean, cs: number, e: number): void {
    const { doc, out } = this.ctx;
    const info = doc.text.slice(cs, Math.min(e, cs + 300));
    const span = { start: cs, end: e };
    const started = error ? null : TLS_STARTED.exec(info);
    if (started) {
      out.add({ kind: 'note', line: i, note: 'tls-established', text: info, span });
      const version = parseTlsVersionName(started[1]);
      const cipherStart = cs + started[0].indexOf(started[2], started[1].length);
      out.add(
        statedNegotiation(i, span, info, {
          version: { value: version, span: spanAt(cs + started[0].indexOf(started[1]), started[1].length) },
          cipherName: { value: started[2], span: spanAt(cipherStart, started[2].length) },
        }),
      );
      return;
    }
    if (!error && info.startsWith('Connection closed')) {
      out.add({ kind: 'note', line: i, note: 'connection-closed', text: info, span });
      return;
    }
    if (!error && info.startsWith('Trying ')) {
      // Every swaks run prints this first: a new connection (several runs appended to one file).
      out.endSession();
      const port = /:([0-9]{1,5})\.\.\.$/.exec(info);
      if (port) out.addPortHint(i, Number(port[1]));
    }
    // `*** TLS startup failed (connect(): error:0A000410:SSL routines::sslv3 alert handshake failure)`: the alert swaks received.
    const alert = error ? parseErrorAlert(doc.text, cs, e) : null;
    if (alert) out.add(statedAlertEvent(i, span, info, alert, true));
    else if (error || info.startsWith('TLS ')) out.add({ kind: 'note', line: i, note: 'other', text: info, span });
  }

  flush(): void {
    // Line by line: nothing pending.
  }
}
