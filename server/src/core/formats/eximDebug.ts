/**
 * Exim debug output (`exim -d`, `-d+all`; on stderr, or a debug_print file), one session per
 * Exim process:
 *   14:46:25 29736 SMTP>> 220 mx.exim.test ESMTP Exim 4.96 Sun, 29 Nov 2026 14:46:25 +0000
 *   14:46:25 29736 SMTP<< EHLO client.example.test
 *   14:46:25 29736 SMTP>> 250-mx.exim.test Hello client.example.test [127.0.0.1]
 *   14:46:25 29736        250-SIZE 52428800
 *   14:46:25 29736 (TLS1.3)-(ECDHE-X25519)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)
 *   14:46:25 29736   SMTP connection from (client.example.test) [127.0.0.1] closed by QUIT
 * The time (with `+timestamp`, part of `+all`) and the PID (`+pid`) are optional. `SMTP>>` is what
 * the process sent, `SMTP<<` what it read; `SMTP|>` and `SMTP>|` are lines put in its output
 * buffer (pipelined, sent with the next flush), `SMTP+>` a command its data follows (BDAT). As the
 * server (a daemon's child, `-bs`, `-bh`) it sends replies; as the SMTP client of the smtp
 * transport (indented by two, `  SMTP>> EHLO ...`) it sends commands: which one a process is shows
 * in its first SMTP line (a reply read or sent). The further lines of a multi-line reply are
 * indented to the text of the first. Exim does not show message text nor TLS bytes; GnuTLS builds state
 * the negotiated version and cipher in gnutls-cli's words.
 */
import { HEAD_SCAN, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseCommandLine, parseReplyLine } from './smtpLines';
import { describedAlgorithms, parseTlsVersionName, spanAt, statedNegotiation } from './statedFacts';

/**
 * Optional `HH:MM:SS ` (`.mmm` with +millisec) and optional PID (`%5d`: right-aligned in five
 * columns), then what Exim wrote. A further reply line without PID starts with 7 spaces or more,
 * so it never reads as a padded PID.
 */
const PREFIX = /^(?:[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})? )?(?: {0,4}([0-9]{1,10}) )?/;
/** An SMTP line: `SMTP>> `, `SMTP|> ` and `SMTP>| ` (buffered), `SMTP+> ` (data follows), `SMTP<< `, indented by up to 8 spaces. */
const SMTP_LINE = /^ {0,8}SMTP(>>|\|>|>\||\+>|<<) /;
/** A further line of a multi-line reply: indented to the text of the first (7 spaces for `SMTP>> `, 9 for `  SMTP<< `), code and separator. */
const CONTINUATION = /^( {7,16})[0-9]{3}[ -]/;
/** A reply: three digits, then a space, a hyphen or the end. */
const REPLY = /^[0-9]{3}(?:[ -]|$)/;
/** GnuTLS builds: the session description, as gnutls-cli prints it. */
const DESCRIPTION = /^\(([A-Z]{3}[0-9.]{1,4})\)-\(([A-Z0-9-]{1,40})\)-\(([A-Z0-9-]{1,60})\)-\(([A-Z0-9-]{1,40})\)(?:-\(([A-Z0-9-]{1,40})\))?$/;
/** End of a connection: as the server (closed by QUIT, lost), as the client (`SMTP(close)>>`). */
const CLOSED = /^ {0,4}SMTP connection from [^\r\n]{0,300} (?:closed by |lost)|^ {0,4}SMTP\(close\)>>|^SMTP>>\(close on process exit\)/;

interface Proc {
  /** The process is the SMTP client (smtp transport): what it sends are commands. Null until its first SMTP line. */
  client: boolean | null;
  /** The last line was an `SMTP>>` reply line (continuation lines may follow). */
  replying: boolean;
}

export class EximDebugReader implements LineReader {
  private readonly procs = new Map<string, Proc>();

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    // The first character before any pattern: every line this reader takes starts with the time or
    // the PID (digits), the padding or indentation (a space), "SMTP" or a "(TLS" description.
    if (c !== 32 && c !== 83 && c !== 40 && (c < 48 || c > 57)) return -1;
    if (c === 32 || c === 83) {
      // After its spaces, a line that goes on with neither a digit (time, PID, reply code) nor "SMTP" is
      // taken by no pattern below (nor is it a "(" description, which has no indentation); as for any other
      // line of Exim's own text, a process without PID stops replying.
      let p = s;
      while (p < e && text.charCodeAt(p) === 32) p++;
      const f = text.charCodeAt(p);
      if (!(f >= 48 && f <= 57) && !text.startsWith('SMTP', p)) {
        const proc = this.procs.get('');
        if (proc) proc.replying = false;
        return -1;
      }
    }
    const head = text.slice(s, Math.min(e, s + HEAD_SCAN));
    const p = PREFIX.exec(head);
    const at = p ? p[0].length : 0;
    const rest = head.slice(at);
    const key = p?.[1] ?? '';
    const proc = this.procs.get(key);
    const smtp = SMTP_LINE.exec(rest);
    if (smtp) {
      const cs = s + at + smtp[0].length;
      const content = text.slice(cs, Math.min(e, cs + 8));
      let state = proc;
      if (!state) {
        state = { client: null, replying: false };
        this.procs.set(key, state);
      }
      out.selectSession(key);
      const sent = smtp[1] !== '<<';
      // The first SMTP line tells the side: a reply sent (server) or read (client), a command read (server) or sent (client).
      if (state.client === null) state.client = sent !== REPLY.test(content);
      out.vote('exim-debug', 1);
      const fromClient = sent === state.client;
      const inTls = out.session.afterStarttls;
      if (fromClient) {
        out.addCommand(parseCommandLine(text, i, cs, e, inTls, out.session.inData));
        state.replying = false;
      } else {
        out.addReplyLine(parseReplyLine(text, i, cs, e), inTls);
        state.replying = true;
      }
      return i + 1;
    }
    if (!proc) return -1;
    const more = proc.replying ? CONTINUATION.exec(rest) : null;
    if (more) {
      out.selectSession(key);
      const cs = s + at + more[1].length;
      out.addReplyLine(parseReplyLine(text, i, cs, e), out.session.afterStarttls);
      out.vote('exim-debug', 1);
      return i + 1;
    }
    proc.replying = false;
    if (CLOSED.test(rest)) {
      out.selectSession(key);
      out.add({ kind: 'note', line: i, note: 'connection-closed', text: rest.trim(), span: { start: s + at, end: e } });
      out.endSession();
      this.procs.delete(key);
      return i + 1;
    }
    const d = DESCRIPTION.exec(rest);
    if (d) {
      out.selectSession(key);
      const span = { start: s + at, end: e };
      out.add({ kind: 'note', line: i, note: 'tls-established', text: rest, span });
      const version = parseTlsVersionName(d[1]);
      const vs = s + at + 1;
      const alg = describedAlgorithms(rest, 0);
      out.add(
        statedNegotiation(i, span, rest, {
          version: { value: version, span: spanAt(vs, d[1].length) },
          ...(alg ? { cipherAlgorithms: { value: alg.value, span: spanAt(s + at + alg.start, alg.value.length) } } : {}),
        }),
      );
      return i + 1;
    }
    // Any other line of a process with a session: Exim's own debug text, read as nothing.
    return -1;
  }

  flush(): void {
    this.procs.clear();
  }
}
