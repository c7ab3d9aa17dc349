/**
 * s-nail (Debian's mailx, the Heirloom mailx successor) with `-vv`: every line it prints starts with its name,
 * the dialogue with `>>> ` (the server's lines after `>>> SERVER: `):
 *   s-nail: Connecting to 127.0.0.1:2526 ... connected.
 *   s-nail: >>> SERVER: 220 mx.example.test ESMTP Postfix (Debian/GNU)
 *   s-nail: >>> EHLO client.lab.test
 *   s-nail: >>> STARTTLS
 *   s-nail: >>> SERVER: 220 2.0.0 Ready to start TLS
 *   s-nail: TLS connection using TLSv1.3 / TLS_AES_256_GCM_SHA384
 *   s-nail: >>> HELO client.lab.test
 * Each `Connecting to HOST:PORT` starts a connection on that port; the `TLS connection using` line states the
 * negotiated version and suite, and what follows is inside TLS (s-nail prints nothing of the handshake). The
 * message text follows DATA's 354 on `>>> ` lines, up to the lone `.`. With `smtps://` TLS comes before the
 * greeting. AUTH's base64 that s-nail prints is masked like any other.
 */
import { lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseCommandLine, parseReplyLine } from './smtpLines';
import { parseTlsVersionName, spanAt, statedNegotiation } from './statedFacts';

/** s-nail names itself so, whatever name it was run by (mailx, mail). */
const PREFIX = 's-nail: ';
const DIALOGUE = '>>> ';
const SERVER = 'SERVER: ';
/** `Connecting to HOST:PORT ... connected.` (IPv6 addresses in brackets); group 1 the port. */
const CONNECTING = /^Connecting to [^ ]{1,300}:([0-9]{1,5}) \.\.\./;
/** `TLS connection using TLSv1.3 / TLS_AES_256_GCM_SHA384`: groups 1 and 2 the version and suite. */
const TLS_USING = /^TLS connection using ((?:TLSv1(?:\.[0-3])?|SSLv3)) \/ ([A-Za-z0-9_-]{1,80})\s*$/;

/** Whether text[s, e) is the line s-nail starts a connection with (the reader starts a session there, documentChunks.ts a chunk). */
export function isSnailConnecting(text: string, s: number, e: number): boolean {
  return text.startsWith(PREFIX, s) && CONNECTING.test(text.slice(s + PREFIX.length, Math.min(e, s + 400)));
}

export class SnailVerboseReader implements LineReader {
  /** The current connection's TLS is up: what follows is inside it. */
  private tlsUp = false;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (c !== 115 || !text.startsWith(PREFIX, s)) return -1; // s
    out.vote('s-nail', 1);
    const ms = s + PREFIX.length;
    if (text.startsWith(DIALOGUE, ms)) {
      const ds = ms + DIALOGUE.length;
      const inTls = this.tlsUp || out.session.afterStarttls;
      if (text.startsWith(SERVER, ds)) out.addReplyLine(parseReplyLine(text, i, ds + SERVER.length, e), inTls);
      else out.addCommand(parseCommandLine(text, i, ds, e, inTls, out.session.inData));
      return i + 1;
    }
    const message = text.slice(ms, Math.min(e, ms + 400));
    const span = { start: ms, end: e };
    const connecting = CONNECTING.exec(message);
    if (connecting) {
      out.endSession();
      this.tlsUp = false;
      out.setPort(Number(connecting[1]));
      out.add({ kind: 'note', line: i, note: 'other', text: message, span });
      return i + 1;
    }
    const tls = TLS_USING.exec(message);
    if (tls) {
      this.tlsUp = true;
      out.markTlsSeen();
      out.add({ kind: 'note', line: i, note: 'tls-established', text: message.trimEnd(), span });
      const vs = ms + message.indexOf(tls[1]);
      const cs = ms + message.lastIndexOf(tls[2]);
      out.add(statedNegotiation(i, span, message.trimEnd(), { version: { value: parseTlsVersionName(tls[1]), span: spanAt(vs, tls[1].length) }, cipherName: { value: tls[2], span: spanAt(cs, tls[2].length) } }));
      return i + 1;
    }
    // Its account's password in the clear (analysis/tlsSecrets.ts): no note, which decode would print.
    if (message.startsWith('Credentials: ')) return i + 1;
    // s-nail's other words (resolving, errors): notes of the connection they come in.
    if (out.session.events.length > 0) out.add({ kind: 'note', line: i, note: 'other', text: message, span });
    return i + 1;
  }

  flush(): void {
    this.tlsUp = false;
  }
}
