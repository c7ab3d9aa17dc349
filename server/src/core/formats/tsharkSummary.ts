/**
 * tshark's one-line summary per frame (FORMATS.md section 11):
 *    10   0.001086    127.0.0.1 → 127.0.0.1    SMTP 96 S: 220 2.0.0 Ready to start TLS
 *     6   0.000700    127.0.0.1 → 127.0.0.1    SMTP 89 C: EHLO client.feas.test
 *     1   0.000000    127.0.0.1 → 127.0.0.1    TCP 74 39650 → 25 [SYN] Seq=0 Win=65495 ...
 * SMTP frames say C:/S: in the Info column; a multi-line reply is joined with " | ".
 * The SYN gives the server port. TLS frames become notes (the Protocol column is the
 * version tshark settled on, not a field of the frame).
 */
import { headOf, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseCommandLine, parseReplyLine, parseReplyText } from './smtpLines';

const SUMMARY = /^ *[0-9]{1,10} +-?[0-9]{1,10}\.[0-9]{1,9} +([^ ]{1,80}) (?:→|->|\u00e2\u0086\u0092) ([^ ]{1,80}) +([A-Za-z0-9./_-]{1,20}) +[0-9]{1,6} +/;
const SYN = /^([0-9]{1,5}) (?:→|->|\u00e2\u0086\u0092) ([0-9]{1,5}) \[SYN\]/;

export class TsharkSummaryReader implements LineReader {
  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, c } = lineBounds(doc, i);
    if (c !== 32 && !(c >= 48 && c <= 57)) return -1;
    const head = headOf(doc, i);
    const m = SUMMARY.exec(head);
    if (!m) return -1;
    out.vote('tshark-summary', 1);
    const e = doc.end(i);
    const is = s + m[0].length;
    const info = text.slice(is, Math.min(e, is + 300));
    const protocol = m[3];
    const endpoints = [m[1], m[2]].sort().join(' ');
    out.selectSession(`summary ${endpoints}`);
    if (protocol === 'TCP') {
      const syn = SYN.exec(info);
      if (syn) {
        if (out.session.events.length > 0) out.endSession();
        out.setPort(Number(syn[2]));
      }
      return i + 1;
    }
    if (protocol === 'SMTP' || protocol === 'IMF') {
      if (info.startsWith('C: ')) {
        out.addCommand(parseCommandLine(text, i, is + 3, e, false, out.session.inData));
      } else if (info.startsWith('S: ')) {
        // One frame, one or more reply lines joined by " | ".
        // tshark leaves the code out of the lines after the first ("250-mx | PIPELINING | ...").
        let from = is + 3;
        let code = '';
        for (;;) {
          // Searched inside the line only (a document-wide search per line would be quadratic).
          const sepInLine = text.slice(from, e).indexOf(' | ');
          const to = sepInLine < 0 ? e : from + sepInLine;
          const last = to === e;
          const part = parseReplyLine(text, i, from, to);
          if (code === '' || /^[0-9]{3}$/.test(part.codeText)) {
            code = part.codeText;
            out.addReplyLine(part, out.session.afterStarttls);
          } else {
            const written = parseReplyText(`${code}${last ? ' ' : '-'}${text.slice(from, to)}`, i, { start: from, end: to });
            out.addReplyLine(written, out.session.afterStarttls);
          }
          if (last) break;
          from = to + 3;
        }
      }
      return i + 1;
    }
    if (/^(?:SSL|TLS)/.test(protocol)) {
      out.add({ kind: 'note', line: i, note: 'other', text: `${protocol} ${info}`, span: { start: is, end: e } });
    }
    return i + 1;
  }

  flush(): void {
    this.ctx.out.selectSession('');
  }
}
