/**
 * Exim's main log (`/var/log/exim4/mainlog`), what a postmaster has of every connection: a message
 * received (`<=`) or delivered (`=>`, `->`, `>>`) over TLS carries `X=` with the negotiated version
 * and cipher, e.g.
 *   2026-11-29 19:31:22 1xXkcM-00008d-1o <= erin@example.test H=(rc4.example.test) [127.0.0.1]:56236 P=esmtps X=TLS1.2:RSA__ARCFOUR_128__SHA1:128 CV=no S=289
 *   2026-11-29 19:32:45 1xXkdg-0000RK-36 => postmaster@mx.example.test R=lab T=lab_smtp H=127.0.0.1 [127.0.0.1] X=TLS1.3:ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no K C="250 ..."
 * Each such line is one session of stated facts. The cipher is written as Exim's TLS library names
 * it: with GnuTLS (Debian's build) the algorithms of its session description joined by `__`
 * (`RSA__ARCFOUR_128__SHA1`, GnuTLS's "(RSA)-(ARCFOUR-128)-(SHA1)") or, by older releases, GnuTLS's
 * suite name (`ECDHE_RSA_AES_256_GCM_SHA384`); with OpenSSL its name (`ECDHE-RSA-AES256-GCM-SHA384`,
 * protocol `TLSv1.2`). A delivery logged with `+outgoing_port` (`[192.0.2.1]:587`) gives the server's
 * port; `+incoming_port` on an arrival is the client's, not used.
 */
import { lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseGnutlsAlertName } from './gnutlsAlerts';
import { parseErrorAlert } from './opensslAlerts';
import { parseTlsVersionName, spanAt, statedNegotiation, statedAlertEvent } from './statedFacts';

/** Date, time, optional zone and PID, optional message id; then the rest. */
const PREFIX = /^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{3})?(?: [+-][0-9]{4})?(?: \[[0-9]{1,10}\])? (?:([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) )?/;
/** How much of a line is read: Exim's fields before X= (sender, host, HELO name, interface) may be long. */
const LINE_SCAN = 2 * 1024;
/** An arrival or a delivery. */
const FLAG = /^(<=|=>|->|>>) /;
/** ` X=protocol:cipher:bits` */
const TLS_FIELD = / X=([A-Za-z0-9.]{1,16}):([A-Za-z0-9_-]{1,120}):[0-9]{1,5}(?= |$)/;
/**
 * ` H=` with the address in brackets and, logged with +outgoing_port / +incoming_port, its port:
 * `H=name [addr]`, `H=(helo) [addr]`, `H=name (helo) [addr]`, `H=name DS [addr]` (+dnssec), or
 * `H=[addr]` when there is no name.
 */
const HOST_ADDRESS = / H=(?:[^ [][^ ]{0,254}(?: DS)?(?: \([^)]{0,255}\))? )?\[[0-9A-Fa-f.:]{2,45}\](?::([0-9]{1,5}))?/;
/**
 * A TLS failure Exim logs: `TLS error on connection from|to HOST (FUNCTION): MESSAGE` (the function a
 * library call: gnutls_handshake, SSL_accept, recv), or in a delivery line `... H=host [addr]:25: TLS
 * session: (gnutls_handshake): MESSAGE`. Group 1: from, to, or undefined for a delivery.
 */
const TLS_ERROR = /(?:^TLS error on connection (from|to) .{1,600}? \([A-Za-z_]{1,40}\)|: TLS session: \([A-Za-z_]{1,40}\)): /;
const TLS_ERROR_START = 'TLS error on connection ';
const TLS_SESSION = ': TLS session: (';
/** How later Exim releases introduce the name of an alert received. */
const RXD_ALERT = 'rxd alert: ';
/** The line Exim writes when its daemon starts (`listening for SMTP on port 25 ...`): its, about no session. */
const DAEMON = /^exim [0-9.]{1,20}[^ ]{0,20} daemon started/;

/**
 * Whether text[s, e) starts like a main log line (`2026-11-29 19:31:22 `): every such line is read
 * on its own, so documentChunks.ts may cut a log of nothing else before any of them.
 */
export function isEximMainlogLine(text: string, s: number, e: number): boolean {
  return (
    e - s >= 20 &&
    text.charCodeAt(s + 4) === 45 &&
    text.charCodeAt(s + 7) === 45 &&
    text.charCodeAt(s + 10) === 32 &&
    text.charCodeAt(s + 13) === 58 &&
    text.charCodeAt(s + 16) === 58 &&
    /^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}[ .]/.test(text.slice(s, s + 20))
  );
}

export class EximMainlogReader implements LineReader {
  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { text, s, e, c } = lineBounds(this.ctx.doc, i);
    // A year's first digit, then the date and time's separators where they belong.
    if ((c !== 49 && c !== 50) || !isEximMainlogLine(text, s, e)) return -1;
    // X= comes after the sender, the host, its HELO name and the interface: further in than most readers look.
    const head = text.slice(s, Math.min(e, s + LINE_SCAN));
    const p = PREFIX.exec(head);
    if (!p) return -1;
    const rest = head.slice(p[0].length);
    if (this.readTlsError(i, s + p[0].length, e, rest)) return i + 1;
    const flag = FLAG.exec(rest);
    // Exim's other lines about a message (`Completed`, `** bounce`, `== deferred`): its own, about no TLS.
    if (!flag) return p[1] !== undefined || DAEMON.test(rest) ? i + 1 : -1;
    const out = this.ctx.out;
    out.vote('exim-mainlog', 1);
    const host = HOST_ADDRESS.exec(rest);
    // X= is searched after H= and before any quoted text (T="subject", C="reply": the peer's words).
    const quote = host ? rest.indexOf('"', host.index) : -1;
    const x = host ? TLS_FIELD.exec(quote < 0 ? rest : rest.slice(0, quote)) : null;
    // A message over TLS to or from another host: one session. Local submissions (U=) and clear text say nothing of TLS.
    if (!x || !host) return i + 1;
    const at = s + p[0].length;
    const protocolStart = at + x.index + 3;
    const cipherStart = protocolStart + x[1].length + 1;
    const version = parseTlsVersionName(x[1]);
    const cipher = x[2];
    const described = cipher.includes('__');
    const cipherSpan = { start: cipherStart, end: cipherStart + cipher.length };
    // One session per line, under one key: ended at once, so the next line starts the next.
    out.selectSession('exim-mainlog');
    const outgoing = flag[1] !== '<=';
    if (outgoing && host[1] !== undefined) out.setPort(Number(host[1]));
    out.add(
      statedNegotiation(i, { start: s, end: e }, rest.trim(), {
        version: { value: version, span: spanAt(protocolStart, x[1].length) },
        ...(described ? { cipherAlgorithms: { value: eximAlgorithmsToGnutls(cipher), span: cipherSpan } } : { cipherName: { value: cipher, span: cipherSpan } }),
      }),
    );
    out.endSession();
    return i + 1;
  }

  /**
   * A handshake that failed with a fatal alert the peer sent, as Exim logs it: GnuTLS's name of the
   * alert (`TLS error on connection from (helo) [127.0.0.1]:53612 (gnutls_handshake): CA is unknown`;
   * later releases write `rxd alert: CA is unknown`), or OpenSSL's error with its code. `from` is a
   * connection Exim received (it is the server), `to` and a delivery's `TLS session:` one it made.
   * Returns whether the line was one (one session of its own, like a message line).
   */
  private readTlsError(i: number, at: number, e: number, rest: string): boolean {
    // (Most lines are neither: two plain searches before the pattern.)
    const m = rest.startsWith(TLS_ERROR_START) || rest.includes(TLS_SESSION) ? TLS_ERROR.exec(rest) : null;
    if (!m) return false;
    const out = this.ctx.out;
    out.vote('exim-mainlog', 1);
    const ms = at + m.index + m[0].length + (rest.startsWith(RXD_ALERT, m.index + m[0].length) ? RXD_ALERT.length : 0);
    const alert = parseGnutlsAlertName(this.ctx.doc.text, ms, e) ?? parseErrorAlert(this.ctx.doc.text, ms, e);
    if (!alert) return true;
    const eximIsClient = m[1] !== 'from';
    out.selectSession('exim-mainlog');
    const host = HOST_ADDRESS.exec(rest);
    if (eximIsClient && host?.[1] !== undefined) out.setPort(Number(host[1]));
    out.add(statedAlertEvent(i, { start: at, end: e }, rest.trim(), alert, eximIsClient));
    out.endSession();
    return true;
  }

  flush(): void {
    // Line by line: nothing pending.
  }
}

/** Exim's `RSA__ARCFOUR_128__SHA1` as GnuTLS describes it: `(RSA)-(ARCFOUR-128)-(SHA1)`. */
export function eximAlgorithmsToGnutls(cipher: string): string {
  return cipher
    .split('__')
    .map((g) => `(${g.replace(/_/g, '-')})`)
    .join('-');
}
