/**
 * sendmail's syslog lines about TLS (sendmail 8.17; the program is `sendmail`, or `sm-mta` as Debian names
 * its daemon), one session per process and connection:
 *   ... sendmail[821]: STARTTLS=client, relay=[127.0.0.1], version=TLSv1.3, verify=FAIL, cipher=TLS_AES_256_GCM_SHA384, bits=256/256
 *   ... sendmail[821]: STARTTLS=client, cert-subject=/CN=mx.example.test, cert-issuer=/CN=CA, verifymsg=certificate has expired
 *   ... sm-mta[864]: STARTTLS=server, relay=localhost [127.0.0.1], version=TLSv1, verify=NO, cipher=ECDHE-RSA-AES256-SHA, bits=256/256
 *   ... sendmail[877]: STARTTLS=client, error: connect failed=-1, reason=sslv3 alert handshake failure, SSL_error=1, errno=0, retry=-1
 * The first states what was negotiated (LogLevel 9, the default, and up); the second, from LogLevel 13 on,
 * OpenSSL's verdict on the peer's chain (`verify=FAIL` alone does not say which check failed: an untrusted
 * issuer too); the third a failed handshake with OpenSSL's reason, which names the fatal alert the peer
 * sent, if one ended it. sendmail logs no dialogue: a session holds these facts only, its start and end
 * not in the text. A delivering process may connect to several servers, one after the other: each
 * `relay=` line with a version, or failed handshake, starts the next connection. Other lines (`from=`,
 * `to=`, `TLS cert verify: depth=...`) are not read.
 */
import type { CertificateVerdict } from '../model/transcript';
import { HEAD_SCAN, lineBounds, headOf, type LineReader, type ReaderContext } from './readerContext';
import { parseTlsVersionName, spanAt, statedAlertEvent, statedNegotiation } from './statedFacts';
import { OPENSSL_ALERT_REASONS } from './opensslAlerts';
import { statedVerdictEvent } from './postfixTlsFacts';
import { matchSyslogProcess, maySyslogLine } from './syslogPrefix';
import { OPENSSL_DATE_RESULTS } from './opensslVerifyResults';

/** sendmail's program names: its own, Debian's daemon and queue runner (`sm-mta`, `sm-msp-queue`). */
const PROGRAM = /^(?:sendmail|sm-mta|sm-msp-queue)$/;
/** `STARTTLS=client, relay=NAME [ADDR], version=TLSv1.2, verify=FAIL, cipher=NAME, bits=256/256`. */
const NEGOTIATED = /^STARTTLS=(?:client|server), relay=[^,]{0,300}, version=([A-Za-z0-9.]{1,16}), verify=([A-Z_]{1,16}), cipher=([A-Za-z0-9_-]{1,80}), bits=/;
const VERIFY_MESSAGE = ', verifymsg=';
/** `STARTTLS=client, error: connect failed=-1, reason=sslv3 alert handshake failure, SSL_error=1, ...`: the handshake failed. */
const FAILED = /^STARTTLS=(client|server), error: (?:connect|accept) failed=-?[0-9]{1,6}, reason=([^,]{1,80}),/;

interface Proc {
  /** The process's current connection logged its handshake's outcome: a second such line is another connection. */
  done: boolean;
}

/**
 * A syslog line of sendmail's at text[s, e), as documentChunks.ts sees it: 'joined' for a `verifymsg=` line, which
 * belongs to the connection whose `relay=` line came before it, 'own' for any other (a chunk may start there);
 * null for a line that is no sendmail syslog line.
 */
export function sendmailLineKind(text: string, s: number, e: number): 'own' | 'joined' | null {
  if (!maySyslogLine(text, s)) return null;
  const head = text.slice(s, Math.min(e, s + HEAD_SCAN));
  const m = matchSyslogProcess(head, s);
  if (!m || !PROGRAM.test(m.program)) return null;
  return head.includes(VERIFY_MESSAGE) ? 'joined' : 'own';
}

export class SendmailLogReader implements LineReader {
  private readonly procs = new Map<string, Proc>();

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e } = lineBounds(doc, i);
    if (!maySyslogLine(text, s)) return -1;
    const head = headOf(doc, i);
    // (Cheap first: most syslog lines are other programs' or say other things.)
    if (!head.includes(']: STARTTLS=')) return -1;
    const m = matchSyslogProcess(head, s);
    if (!m || !PROGRAM.test(m.program) || !text.startsWith('STARTTLS=', m.messageStart)) return -1;
    const ms = m.messageStart;
    const message = head.slice(ms - s);
    const key = `${m.program}[${m.pid}]`;
    const negotiated = NEGOTIATED.exec(message);
    if (negotiated) {
      out.vote('sendmail-log', 1);
      this.nextConnection(key);
      const span = { start: ms, end: e };
      out.add({ kind: 'note', line: i, note: 'tls-established', text: message, span });
      const [whole, version, verify, cipher] = negotiated;
      const vs = ms + whole.indexOf(`, version=${version},`) + ', version='.length;
      const cs = ms + whole.length - ', bits='.length - cipher.length;
      const stated = statedNegotiation(i, span, message, { version: { value: parseTlsVersionName(version), span: spanAt(vs, version.length) }, cipherName: { value: cipher, span: spanAt(cs, cipher.length) } });
      // sendmail's word on the peer's certificate (`verify=FAIL`): a note on hover, judged by no rule.
      const fs = vs + version.length + ', verify='.length;
      out.add({ ...stated, valueSpans: { ...stated.valueSpans, sendmailVerify: spanAt(fs, verify.length) } });
      return i + 1;
    }
    const failed = FAILED.exec(message);
    if (failed) {
      // OpenSSL's reason when the peer's fatal alert ended the handshake (`sslv3 alert handshake failure`); other
      // reasons (`no shared cipher`, `legacy sigalg disallowed or unsupported`) are the logging side's own.
      const description = OPENSSL_ALERT_REASONS.get(failed[2]);
      if (description === undefined) return -1;
      out.vote('sendmail-log', 1);
      this.nextConnection(key);
      const rs = ms + failed[0].length - 1 - failed[2].length;
      const alert = { received: true, level: 2, description, descriptionSpan: { start: rs, end: rs + failed[2].length }, byError: true };
      out.add(statedAlertEvent(i, { start: ms, end: e }, message, alert, failed[1] === 'client'));
      return i + 1;
    }
    const verdict = parseSendmailVerdict(text, ms, e);
    if (!verdict) return -1;
    out.vote('sendmail-log', 1);
    out.selectSession(key);
    // (A verdict without its connection's `relay=` line: that line is not in the text.)
    if (!this.procs.has(key)) this.procs.set(key, { done: false });
    this.startSession();
    out.add(statedVerdictEvent(i, { start: ms, end: e }, message, verdict, text.startsWith('STARTTLS=client', ms)));
    return i + 1;
  }

  /** Selects the session of the process's next connection (a new one when its current one's handshake ended already). */
  private nextConnection(key: string): void {
    const out = this.ctx.out;
    out.selectSession(key);
    if (this.procs.get(key)?.done) {
      out.markEndMissing();
      out.endSession();
    }
    this.procs.set(key, { done: true });
    this.startSession();
  }

  /** The selected session is a connection whose dialogue sendmail does not log. */
  private startSession(): void {
    const out = this.ctx.out;
    if (out.session.events.length > 0) return;
    out.markStartMissing();
  }

  flush(): void {
    const { out } = this.ctx;
    for (const key of this.procs.keys()) {
      out.selectSession(key);
      out.markEndMissing();
    }
    this.procs.clear();
    out.selectSession('');
  }
}

/**
 * OpenSSL's verdict on the peer's chain when it is about dates, as sendmail logs it at the end of its
 * `cert-subject=..., cert-issuer=..., verifymsg=certificate has expired` line (text[ms, e), the message); null otherwise.
 */
export function parseSendmailVerdict(text: string, ms: number, e: number): CertificateVerdict | null {
  let end = e;
  while (end > ms && (text.charCodeAt(end - 1) === 13 || text.charCodeAt(end - 1) === 32)) end--;
  for (const [words, problem] of OPENSSL_DATE_RESULTS) {
    const at = end - words.length;
    if (at - VERIFY_MESSAGE.length < ms || !text.startsWith(VERIFY_MESSAGE + words, at - VERIFY_MESSAGE.length)) continue;
    return { tool: 'sendmail', of: 'chain', problem, reason: words, reasonSpan: { start: at, end } };
  }
  return null;
}
