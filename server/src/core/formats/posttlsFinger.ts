/**
 * posttls-finger, Postfix's TLS probe of an SMTP server (it is the client), on stderr:
 *   posttls-finger: Connected to mx.example.test[192.0.2.1]:25
 *   posttls-finger: < 220 mx.example.test ESMTP Postfix
 *   posttls-finger: > STARTTLS
 *   posttls-finger: write to 561CF0DD7E70 [561CF0E29F60] (517 bytes => 517 (0x205))
 *   posttls-finger: 0000 16 03 01 02 00 01 00 01|fc 03 03 94 75 19 17 76  ........ ....u..v
 *   posttls-finger: Untrusted TLS connection established to mx.example.test[192.0.2.1]:25: TLSv1.3 with cipher ...
 * `<` lines are replies it read, `>` commands it sent; the dumps (`-L ssl-handshake-packet-dump`,
 * `ssl-session-packet-dump`) are Postfix's, as in a postfix log (bioDumpLines.ts). Each connection
 * starts at `Connected to` or, with `-r`, at `Reconnecting after`. Every other line of the tool
 * (certificate details, session cache, plaintext echoes) is consumed and, where it reports a
 * failure, kept as a note.
 */
import { continuesBioDump, endBioDump, endBioDumpAtTextEnd, readBioDumpLine, startBioDump, type BioDump } from './bioDumpLines';
import { matchBioHeader, type BioHeader } from './opensslDebug';
import { addEstablished, matchEstablished } from './postfixLog';
import { HEAD_SCAN, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseErrorAlert, parseStateAlert } from './opensslAlerts';
import { statedAlertEvent } from './statedFacts';
import { parseCertificateVerdict, statedVerdictEvent } from './postfixTlsFacts';
import { parseCommandLine, parseReplyLine } from './smtpLines';

const PREFIX = 'posttls-finger: ';
const LAYOUT = 'posttls-finger';
/** `Connected to host[addr]:port` (the address may be IPv6: colons inside the brackets). */
const CONNECTED = /^Connected to [^ [\]]{0,255}\[[^\]]{0,100}\]:([0-9]{1,5})/;
/** Lines that say the handshake or the connection failed. */
const FAILURE = /^(?:SSL_connect error|warning: TLS library problem|Failed to establish session|certificate verification failed|.{0,300}?: (?:Connection refused|Connection timed out|lost connection))/;

const CONNECTION_START = PREFIX + 'Connected to ';

/** A run's (or an MX host's) connection starts at line text[s..]: the reader starts a session there, documentChunks.ts a chunk. */
export function isPosttlsFingerConnection(text: string, s: number): boolean {
  return text.startsWith(CONNECTION_START, s);
}

export class PosttlsFingerReader implements LineReader {
  private dump: BioDump | null = null;
  /** The server port of the connection being read (kept for a reconnection, which names none). */
  private port: number | null = null;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (c !== 112 || !text.startsWith(PREFIX, s)) return -1;
    out.selectSession('');
    out.vote('posttls-finger', 1);
    const ms = s + PREFIX.length;
    if (continuesBioDump(this.dump, text, ms, e)) {
      readBioDumpLine(this.ctx, i, this.dump, ms, e);
      return i + 1;
    }
    const message = text.slice(ms, Math.min(e, ms + HEAD_SCAN));
    const bio = matchBioHeader(message);
    this.endDump(bio);
    const c0 = text.charCodeAt(ms);
    if ((c0 === 60 || c0 === 62) && text.charCodeAt(ms + 1) === 32) {
      // `< ` a reply received from the server, `> ` a command sent.
      const inTls = out.session.afterStarttls;
      if (c0 === 62) out.addCommand(parseCommandLine(text, i, ms + 2, e, inTls, out.session.inData));
      else out.addReplyLine(parseReplyLine(text, i, ms + 2, e), inTls);
      return i + 1;
    }
    if (bio) {
      if (bio.count > 0) this.dump = startBioDump(bio, bio.write ? 'client' : 'server', i);
      return i + 1;
    }
    const span = { start: ms, end: e };
    const connected = CONNECTED.exec(message);
    if (connected || message.startsWith('Reconnecting after ')) {
      if (out.session.events.length > 0) out.endSession();
      if (connected) this.port = Number(connected[1]);
      if (this.port !== null) out.addPortHint(i, this.port);
      out.add({ kind: 'note', line: i, note: 'other', text: message, span });
      return i + 1;
    }
    const est = matchEstablished(message);
    if (est) {
      addEstablished(out, text, i, span, message, est);
      return i + 1;
    }
    // Its verdict on the server's certificate's dates (`server certificate verification failed for ...: certificate has expired`).
    const verdict = parseCertificateVerdict(text, ms, e, 'posttls-finger');
    if (verdict) {
      out.add(statedVerdictEvent(i, span, message, verdict, true));
      return i + 1;
    }
    // OpenSSL's alerts (-L ssl-debug's info callback, the error of a received fatal alert); posttls-finger is the client.
    const failure = FAILURE.test(message);
    const alert = message.startsWith('SSL3 alert ') ? parseStateAlert(text, ms, e) : failure ? parseErrorAlert(text, ms, e) : null;
    if (alert) out.add(statedAlertEvent(i, span, message, alert, true));
    else if (failure) out.add({ kind: 'note', line: i, note: 'other', text: message, span });
    return i + 1;
  }

  /** The dump is over (`next`: the BIO header that ends it). */
  private endDump(next: BioHeader | null = null): void {
    const d = this.dump;
    if (!d) return;
    this.dump = null;
    endBioDump(this.ctx, d, LAYOUT, next);
  }

  flush(): void {
    const d = this.dump;
    this.dump = null;
    if (d) {
      this.ctx.out.selectSession('');
      endBioDumpAtTextEnd(this.ctx, d, LAYOUT);
    }
  }
}
