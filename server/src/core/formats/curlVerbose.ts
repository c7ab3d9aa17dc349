/**
 * curl -v (FORMATS.md section 6): `* ` info, `> ` sent and `< ` received SMTP lines,
 * `} [5 bytes data]` / `{ [122 bytes data]` for TLS bytes not shown. The TLS handshake is
 * told in words (`* TLSv1.3 (OUT), TLS handshake, Client hello (1):`, `* SSL connection
 * using TLSv1.3 / TLS_AES_256_GCM_SHA384`): those become stated events. The same info
 * lines appear in curl --trace as `== Info: ...`.
 */
import { OPENSSL_DATE_RESULTS } from './opensslVerifyResults';
import type { CertificateVerdict, Direction, StatedEvent } from '../model/transcript';
import { statedVerdictEvent } from './postfixTlsFacts';
import { headOf, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseErrorAlert } from './opensslAlerts';
import { looksLikeBareReply, parseCommandLine, parseReplyLine } from './smtpLines';
import { parseTlsVersionName, spanAt, statedNegotiation, statedAlertEvent } from './statedFacts';

const TLS_INFO = /^((?:TLS|SSL)v[0-9.]{1,3}) \((OUT|IN)\), TLS ([a-z ]{1,20}), ([^(]{1,60}) \(([0-9]{1,5})\):?/;
const CONNECTION = /^SSL connection using ([A-Za-z0-9.]{1,16}) \/ ([A-Za-z0-9_-]{1,80})/;
const CONNECTED = /^Connected to [^ ]{1,255} \([^)]{0,100}\) port ([0-9]{1,5})\b/;
const DATA_COUNT = /^([{}]) \[([0-9]{1,10}) bytes data\]$/;
const COMMAND = /^[A-Za-z]{4,10}(?: |$)/;

/** What a curl info line says, turned into events; returns whether it was a TLS or connection line. */
export function readCurlInfo(ctx: ReaderContext, i: number, infoStart: number, end: number): void {
  const { doc, out } = ctx;
  const text = doc.text;
  const info = text.slice(infoStart, Math.min(end, infoStart + 300));
  const span = { start: infoStart, end };
  const tls = TLS_INFO.exec(info);
  if (tls) {
    const direction: Direction = tls[2] === 'OUT' ? 'client' : 'server';
    const what = tls[3];
    const number = Number(tls[5]);
    const labelVersion = parseTlsVersionName(tls[1]);
    let subject: StatedEvent['subject'] = 'record';
    const extra: { handshakeType?: number; contentType?: number; alertLevel?: number; alertDescription?: number } = {};
    if (what === 'handshake') {
      extra.contentType = 22;
      extra.handshakeType = number;
      subject = number === 1 ? 'client-hello' : number === 2 ? 'server-hello' : 'handshake';
    } else if (what === 'alert') {
      // curl prints (level << 8 | description): "close notify (256)".
      extra.contentType = 21;
      extra.alertDescription = number & 0xff;
      const level = number >> 8;
      if (level === 1 || level === 2) extra.alertLevel = level;
      subject = 'alert';
    } else if (what === 'change cipher') {
      extra.contentType = 20;
    } else if (what === 'header') {
      extra.contentType = number;
    }
    const ls = infoStart;
    out.add({
      kind: 'stated', line: i, direction, statedByTool: true, subject, span, text: info,
      ...(labelVersion !== undefined ? { labelVersion } : {}),
      ...extra,
      valueSpans: { labelVersion: { start: ls, end: ls + tls[1].length } },
    });
    return;
  }
  const conn = CONNECTION.exec(info);
  if (conn) {
    const version = parseTlsVersionName(conn[1]);
    const vs = infoStart + conn[0].indexOf(conn[1]);
    const cs = infoStart + conn[0].lastIndexOf(conn[2]);
    out.add({ kind: 'note', line: i, note: 'tls-established', text: info, span });
    out.add(statedNegotiation(i, span, info, { version: { value: version, span: spanAt(vs, conn[1].length) }, cipherName: { value: conn[2], span: spanAt(cs, conn[2].length) } }));
    return;
  }
  const connected = CONNECTED.exec(info);
  if (connected) {
    out.addPortHint(i, Number(connected[1]));
    return;
  }
  const verdict = parseCurlVerdict(text, infoStart, end) ?? parseCurlNameVerdict(text, infoStart, end);
  if (verdict) {
    out.add(statedVerdictEvent(i, span, info, verdict, true));
    return;
  }
  if (info.startsWith('Closing connection')) out.add({ kind: 'note', line: i, note: 'connection-closed', text: info, span });
  else if (info.startsWith('OpenSSL/')) {
    // `* OpenSSL/3.0.19: error:0A000410:SSL routines::sslv3 alert handshake failure`: the alert curl received.
    const alert = parseErrorAlert(text, infoStart, end);
    if (alert) out.add(statedAlertEvent(i, span, info, alert, true));
  }
}

const VERIFY_RESULT = 'SSL certificate verify result: ';
const VERIFY_PROBLEM = 'SSL certificate problem: ';

/**
 * curl's account of OpenSSL's verification of the server's chain, when it is about dates (the info line, from
 * `infoStart` to `end`): `SSL certificate verify result: certificate has expired (10), continuing anyway.`
 * (with -k) or `SSL certificate problem: certificate has expired` (without, before curl gives up); null otherwise.
 */
export function parseCurlVerdict(text: string, infoStart: number, end: number): CertificateVerdict | null {
  let at = infoStart;
  while (at < end && text.charCodeAt(at) === 32) at++;
  const label = text.startsWith(VERIFY_RESULT, at) ? VERIFY_RESULT : text.startsWith(VERIFY_PROBLEM, at) ? VERIFY_PROBLEM : null;
  if (!label) return null;
  const rs = at + label.length;
  for (const [words, problem] of OPENSSL_DATE_RESULTS) {
    if (!text.startsWith(words, rs)) continue;
    const after = text.charCodeAt(rs + words.length);
    // The reason ends there: the line's end, or ` (10)` after it.
    if (rs + words.length !== end && after !== 32 && after !== 13) continue;
    return { tool: 'curl', of: 'chain', problem, reason: words, reasonSpan: { start: rs, end: rs + words.length } };
  }
  return null;
}

/**
 * curl's own check of the server's name (with OpenSSL, before it gives up), the info line from `infoStart` to `end`:
 * `SSL: no alternative certificate subject name matches target host name 'localhost'`, or for a certificate without DNS
 * names `SSL: certificate subject name 'mx.example.test' does not match target host name 'localhost'`; null otherwise.
 */
export function parseCurlNameVerdict(text: string, infoStart: number, end: number): CertificateVerdict | null {
  let at = infoStart;
  while (at < end && text.charCodeAt(at) === 32) at++;
  if (!text.startsWith('SSL: ', at)) return null;
  const m = CURL_NAME_MISMATCH.exec(text.slice(at + 5, Math.min(end, at + 5 + 640)));
  if (!m || m.index !== 0) return null;
  return { tool: 'curl', of: 'server', problem: 'name-mismatch', reason: m[0], reasonSpan: { start: at + 5, end: at + 5 + m[0].length }, expectedName: m[1] };
}

/** Group 1 the host name curl connected to (libcurl's vtls/openssl.c wordings). */
const CURL_NAME_MISMATCH = /(?:no alternative certificate subject name matches|certificate subject name '[^'\r\n]{0,255}' does not match) target host name '([^'\r\n]{1,255})'/;

export class CurlVerboseReader implements LineReader {
  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (e - s < 2) return -1;
    const c1 = text.charCodeAt(s + 1);
    if (c === 42 && c1 === 32) {
      // "* " info; "*   Trying" too.
      let p = s + 1;
      while (p < e && text.charCodeAt(p) === 32) p++;
      const info = text.slice(p, Math.min(e, p + 40));
      if (!/^(?:TLSv|SSLv|SSL connection|Connected to|Trying|Closing connection|Server certificate|ALPN|CAfile|CApath|STARTTLS|subject:|start date|expire date|issuer:|SSL certificate|SSL: |using|old SSL|Mark bundle|Connection #)/.test(info)) return -1;
      out.vote('curl-verbose', 1);
      readCurlInfo(this.ctx, i, p, e);
      return i + 1;
    }
    if ((c === 123 || c === 125) && c1 === 32) {
      const m = DATA_COUNT.exec(headOf(doc, i));
      if (!m) return -1;
      out.vote('curl-verbose', 1);
      out.add({ kind: 'gap', line: i, direction: m[1] === '}' ? 'client' : 'server', length: Number(m[2]), span: { start: s, end: e } });
      return i + 1;
    }
    if (c1 !== 32 || (c !== 62 && c !== 60)) return -1;
    const cs = s + 2;
    if (c === 60) {
      if (!looksLikeBareReply(text, cs, e)) return -1;
      out.vote('curl-verbose', 1);
      out.addReplyLine(parseReplyLine(text, i, cs, e), out.session.afterStarttls);
      return i + 1;
    }
    if (!COMMAND.test(text.slice(cs, Math.min(e, cs + 12))) && !out.session.inAuth) return -1;
    out.vote('curl-verbose', 1);
    out.addCommand(parseCommandLine(text, i, cs, e, out.session.afterStarttls, out.session.inData));
    return i + 1;
  }

  flush(): void {
    // Line by line: nothing pending.
  }
}
