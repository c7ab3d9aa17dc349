/**
 * gnutls-cli -d N debug output (FORMATS.md section 5): `|<4>| HSK[0x55fb41761e50]: Adv. version: 3.3`,
 * `|<2>| Keeping ciphersuite 13.02 (GNUTLS_AES_256_GCM_SHA384)`, `|<2>| Advertizing version 3.4`,
 * `|<5>| REC[0x..]: SSL 3.3 Handshake packet received. Epoch 0, length: 155`. No hex: the
 * hello is only described, so its facts become stated events. Normal output: `- ` lines,
 * `*** ` errors, then after `- Simple Client Mode:` the SMTP lines of the TLS phase, bare.
 */
import type { StatedEvent, TextSpan } from '../model/transcript';
import { headOf, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { looksLikeBareReply, parseCommandLine, parseReplyLine } from './smtpLines';
import { describedAlgorithms, parseDottedVersion, parseTlsVersionName, spanAt, statedAlertEvent, statedNegotiation } from './statedFacts';

const DEBUG = /^\|<([0-9]{1,2})>\| (?:([A-Z]{2,6})\[0x[0-9a-f]{1,16}\]: |([A-Z]{2,6}): )?/;
const KEEPING = /^Keeping ciphersuite ([0-9a-f]{2})\.([0-9a-f]{2})\b/;
const KEEPING_PREFIX = 'Keeping ciphersuite '.length;
const ADVERTIZING = /^Advertizing version ([0-9]{1,3}\.[0-9]{1,3})$/;
const ADV_VERSION = /^Adv\. version: ([0-9]{1,3}\.[0-9]{1,3})$/;
const HELLO_QUEUED = /^CLIENT HELLO was queued \[([0-9]{1,10}) bytes\]/;
/** The GnuTLS session a debug line is about: `|<4>| HSK[0x5646d921fe50]: ...` (also EXT, REC, BUF). */
const POINTER = /^\|<[0-9]{1,2}>\| (?:HSK|EXT|REC|BUF)\[(0x[0-9a-f]{1,16})\]/;
const SERVER_VERSION = /^Server's version: ([0-9]{1,3}\.[0-9]{1,3})$/;
const SELECTED = /^Selected cipher suite: ([A-Za-z0-9_]{1,80})$/;
const RECEIVED = /^SSL ([0-9]{1,3}\.[0-9]{1,3}) ([A-Za-z ]{1,30}?) packet received\. Epoch [0-9]{1,5}, length: ([0-9]{1,10})$/;
const SENT = /^Sent Packet\[[0-9]{1,10}\] ([A-Za-z ]{1,30})\(([0-9]{1,3})\) in epoch [0-9]{1,5} and length: ([0-9]{1,10})$/;
const ALERT = /^(?:Sending Alert\[([0-9])\|([0-9]{1,3})\]|Alert\[([0-9])\|([0-9]{1,3})\] - .{0,80} - was received)/;
const DESCRIPTION = /^- Description: \(([A-Z]{3}[0-9.]{1,4})-/;
/** gnutls-cli's `*** Received alert [40]: Handshake failed`: the alert the server sent (its level is not on the line). */
const RECEIVED_ALERT = /^\*\*\* Received alert \[([0-9]{1,3})\]: /;
/** gnutls-cli's error for it (`*** Fatal error: A TLS fatal alert has been received.`), stderr: before or after it. */
const ALERT_ERROR = /^\*\*\* [A-Za-z ]{1,40}: A TLS (fatal|warning) alert has been received\./;
/** Whether text[s, e) is one of gnutls-cli's `*** ` lines about an alert (the swaks reader, whose errors start so too, leaves them). */
export function isGnutlsAlertLine(text: string, s: number, e: number): boolean {
  const head = text.slice(s, Math.min(e, s + 80));
  return RECEIVED_ALERT.test(head) || ALERT_ERROR.test(head);
}

/** How many lines after a received alert its error is looked for. */
const ALERT_ERROR_LOOKAHEAD = 8;

const CONTENT_TYPES: Record<string, number> = { 'Change Cipher Spec': 20, ChangeCipherSpec: 20, Alert: 21, Handshake: 22, 'Application Data': 23 };

interface HelloDraft {
  line: number;
  start: number;
  end: number;
  text: string;
  version?: number;
  versionSpan?: TextSpan;
  suites: number[];
  /** Where each suite is stated: "00.05 (GNUTLS_RSA_ARCFOUR_128_SHA1)" of its Keeping line. */
  suiteSpans: TextSpan[];
  supportedVersions: number[];
  length?: number;
}

/** The version's span and each suite's (`cipherSuites[3]`), as stated events carry them. */
function suiteValueSpans(h: HelloDraft): Record<string, TextSpan> {
  const spans: Record<string, TextSpan> = h.versionSpan ? { version: h.versionSpan } : {};
  h.suiteSpans.forEach((span, n) => {
    spans[`cipherSuites[${n}]`] = span;
  });
  return spans;
}

/** gnutls-cli -V (and --print-cert) prints each certificate as a block of tab-indented lines under this. */
const CERTIFICATE_INFO = ' - X.509 Certificate Information:';
/** ... and its fingerprints and key ids under this, tab-indented too. */
const OTHER_INFO = 'Other Information:';
/** gnutls-cli -V's STARTTLS helper: `starttls: sending: EHLO x`, `starttls: received: 250-mx` (then the reply's other lines bare). */
const STARTTLS_HELPER = 'starttls: ';
/** gnutls-cli -V in simple client mode: `- Received[167]: 250-mx.example.test`, the first line of what it read. */
const RECEIVED_DATA = /^- Received\[[0-9]{1,10}\]: /;

export class GnutlsDebugReader implements LineReader {
  private hello: HelloDraft | null = null;
  /**
   * Inside a certificate gnutls-cli prints (-V): its tab-indented lines are consumed, so that none is
   * taken for another format's line (a key identifier `\t\t84645524ac89...` for a one-line hex dump).
   */
  private inCertificate = false;
  /** After `starttls: received:`: the reply's further lines come bare, up to a blank line. */
  private inHelperReply = false;
  /** The GnuTLS session of the debug lines read (`HSK[0x5646d921fe50]:`): another one is another connection. */
  private pointer: string | null = null;
  /**
   * The current session began where the debug lines changed session, which with --resume comes
   * before stdout's `- Connecting again` (stderr is not buffered): that line then starts nothing.
   */
  private splitByPointer = false;
  /** The level of the last alert error line not yet given to a `*** Received alert` line. */
  private alertLevel: number | null = null;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (this.inCertificate) {
      if (c === 9 || text.startsWith(OTHER_INFO, s)) return i + 1;
      this.inCertificate = false;
    }
    if (this.inHelperReply) {
      if (looksLikeBareReply(text, s, e)) {
        out.addReplyLine(parseReplyLine(text, i, s, e), false);
        return i + 1;
      }
      this.inHelperReply = false;
    }
    if (c === 115 && text.startsWith(STARTTLS_HELPER, s)) return this.readStarttlsHelper(i, s + STARTTLS_HELPER.length, e);
    if (c === 32 && text.startsWith(CERTIFICATE_INFO, s)) {
      out.vote('gnutls-debug', 1);
      this.inCertificate = true;
      return i + 1;
    }
    if (c === 45 && text.charCodeAt(s + 1) === 32) return this.readNormal(i, s, e);
    if (c === 42 && text.startsWith('*** ', s)) return this.readError(i, s, e);
    if (c !== 124) return -1;
    const head = headOf(doc, i);
    const m = DEBUG.exec(head);
    if (!m) return -1;
    out.vote('gnutls-debug', 1);
    const ms = s + m[0].length;
    const msg = head.slice(m[0].length);
    const p = m[2] === undefined ? null : POINTER.exec(head);
    if (p) {
      if (this.pointer !== null && p[1] !== this.pointer) {
        // Another GnuTLS session: a second connection (--resume), or another run in the same file.
        this.emitHello();
        if (out.session.events.length > 0) {
          out.endSession();
          this.splitByPointer = true;
        }
      }
      this.pointer = p[1];
    }
    this.readDebug(i, msg, ms, e);
    return i + 1;
  }

  private readDebug(i: number, msg: string, ms: number, e: number): void {
    const out = this.ctx.out;
    const span = { start: ms, end: e };
    let k: RegExpExecArray | null;
    if ((k = ADV_VERSION.exec(msg))) {
      this.emitHello();
      const vs = ms + msg.indexOf(k[1], 5);
      const version = parseDottedVersion(k[1]);
      this.hello = { line: i, start: ms, end: e, text: msg, suites: [], suiteSpans: [], supportedVersions: [], ...(version !== undefined ? { version, versionSpan: { start: vs, end: vs + k[1].length } } : {}) };
    } else if ((k = KEEPING.exec(msg))) {
      const h = this.draft(i, ms, e, msg);
      h.suites.push((parseInt(k[1], 16) << 8) | parseInt(k[2], 16));
      h.suiteSpans.push({ start: ms + KEEPING_PREFIX, end: e });
    } else if ((k = ADVERTIZING.exec(msg))) {
      const v = parseDottedVersion(k[1]);
      if (v !== undefined) this.draft(i, ms, e, msg).supportedVersions.push(v);
    } else if ((k = HELLO_QUEUED.exec(msg))) {
      const h = this.draft(i, ms, e, msg);
      h.length = Number(k[1]);
      h.end = e;
      this.emitHello();
    } else if ((k = SERVER_VERSION.exec(msg))) {
      this.emitHello();
      const version = parseDottedVersion(k[1]);
      const vs = ms + msg.indexOf(k[1]);
      out.add({
        kind: 'stated', line: i, direction: 'server', statedByTool: true, subject: 'server-hello', span, text: msg, handshakeType: 2,
        ...(version !== undefined ? { version } : {}), valueSpans: { version: { start: vs, end: vs + k[1].length } },
      });
    } else if ((k = SELECTED.exec(msg))) {
      const cs = ms + msg.indexOf(k[1]);
      out.add(statedNegotiation(i, span, msg, { cipherName: { value: k[1], span: spanAt(cs, k[1].length) } }, 'server'));
    } else if ((k = RECEIVED.exec(msg))) {
      this.emitHello();
      const recordVersion = parseDottedVersion(k[1]);
      const contentType = CONTENT_TYPES[k[2]];
      const vs = ms + 4;
      out.add({
        kind: 'stated', line: i, direction: 'server', statedByTool: true, subject: 'record', span, text: msg, length: Number(k[3]),
        ...(recordVersion !== undefined ? { recordVersion } : {}), ...(contentType !== undefined ? { contentType } : {}),
        valueSpans: { recordVersion: { start: vs, end: vs + k[1].length } },
      });
    } else if ((k = SENT.exec(msg))) {
      this.emitHello();
      out.add({ kind: 'stated', line: i, direction: 'client', statedByTool: true, subject: 'record', span, text: msg, contentType: Number(k[2]), length: Number(k[3]) });
    } else if ((k = ALERT.exec(msg))) {
      const sending = k[1] !== undefined;
      out.add({
        kind: 'stated', line: i, direction: sending ? 'client' : 'server', statedByTool: true, subject: 'alert', span, text: msg, contentType: 21,
        alertLevel: Number(sending ? k[1] : k[3]), alertDescription: Number(sending ? k[2] : k[4]),
      });
    }
  }

  private draft(i: number, ms: number, e: number, msg: string): HelloDraft {
    if (!this.hello) this.hello = { line: i, start: ms, end: e, text: msg, suites: [], suiteSpans: [], supportedVersions: [] };
    this.hello.end = e;
    return this.hello;
  }

  private emitHello(): void {
    const h = this.hello;
    if (!h) return;
    this.hello = null;
    const event: StatedEvent = {
      kind: 'stated', line: h.line, direction: 'client', statedByTool: true, subject: 'client-hello', span: { start: h.start, end: h.end }, text: h.text, handshakeType: 1,
      ...(h.version !== undefined ? { version: h.version } : {}),
      ...(h.suites.length > 0 ? { cipherSuites: h.suites } : {}),
      ...(h.supportedVersions.length > 0 ? { supportedVersions: h.supportedVersions } : {}),
      ...(h.length !== undefined ? { length: h.length } : {}),
      ...(h.versionSpan || h.suiteSpans.length > 0 ? { valueSpans: suiteValueSpans(h) } : {}),
    };
    this.ctx.out.add(event);
  }

  /** The SMTP dialogue before TLS as gnutls-cli -V prints it (`starttls: sending: ...`, `received: ...`, `waiting for: ...`). */
  private readStarttlsHelper(i: number, ms: number, e: number): number {
    const { doc, out } = this.ctx;
    const text = doc.text;
    if (text.startsWith('sending: ', ms)) {
      out.addCommand(parseCommandLine(text, i, ms + 9, e, false, out.session.inData));
    } else if (text.startsWith('received: ', ms)) {
      out.addReplyLine(parseReplyLine(text, i, ms + 10, e), false);
      this.inHelperReply = true;
    } else if (!text.startsWith('waiting for: ', ms)) {
      return -1;
    }
    out.vote('gnutls-debug', 1);
    return i + 1;
  }

  /** `- Simple Client Mode:`, `- Handshake was completed`, `- Description: (TLS1.3-...)`. */
  private readNormal(i: number, s: number, e: number): number {
    const { doc, out } = this.ctx;
    const head = headOf(doc, i);
    const span = { start: s, end: e };
    if (head.startsWith('- Simple Client Mode')) {
      this.emitHello();
      out.vote('gnutls-debug', 1);
      this.ctx.bareLinesInTls = true;
      return i + 1;
    }
    if (head.startsWith('- Connecting again- trying to resume previous session')) {
      // --resume: a second connection, resuming the first one's session.
      this.emitHello();
      out.vote('gnutls-debug', 1);
      if (this.splitByPointer) this.splitByPointer = false;
      else if (out.session.events.length > 0) out.endSession();
      return i + 1;
    }
    if (head.startsWith('- Handshake was completed') || head.startsWith('- Resume Handshake was completed')) {
      this.emitHello();
      out.vote('gnutls-debug', 1);
      out.add({ kind: 'note', line: i, note: 'tls-established', text: head, span });
      return i + 1;
    }
    const d = DESCRIPTION.exec(head);
    if (d) {
      out.vote('gnutls-debug', 1);
      const version = parseTlsVersionName(d[1]);
      const vs = s + head.indexOf(d[1]);
      const alg = describedAlgorithms(head, head.indexOf('('));
      out.add(
        statedNegotiation(i, span, head, {
          version: { value: version, span: spanAt(vs, d[1].length) },
          ...(alg ? { cipherAlgorithms: { value: alg.value, span: spanAt(s + alg.start, alg.value.length) } } : {}),
        }),
      );
      return i + 1;
    }
    const received = RECEIVED_DATA.exec(head);
    if (received && looksLikeBareReply(doc.text, s + received[0].length, e)) {
      // -V: the first line of what was read, after its size; the others follow bare.
      out.vote('gnutls-debug', 1);
      out.addReplyLine(parseReplyLine(doc.text, i, s + received[0].length, e), true);
      return i + 1;
    }
    if (head.startsWith('- Peer has closed the GnuTLS connection')) {
      out.vote('gnutls-debug', 1);
      out.add({ kind: 'note', line: i, note: 'connection-closed', text: head, span });
      return i + 1;
    }
    return -1;
  }

  /** gnutls-cli's `*** ` lines: the alert it received, and the error that gives its level. */
  private readError(i: number, s: number, e: number): number {
    const { doc, out } = this.ctx;
    const head = headOf(doc, i);
    const level = ALERT_ERROR.exec(head);
    if (level) {
      this.alertLevel = level[1] === 'fatal' ? 2 : 1;
      return i + 1;
    }
    const alert = RECEIVED_ALERT.exec(head);
    if (!alert) return -1;
    out.vote('gnutls-debug', 1);
    const alertLevel = this.alertLevel ?? this.alertLevelAfter(i);
    this.alertLevel = null;
    // The alert's name after the number (`Handshake failed`), where the finding and the hover sit.
    const at = s + alert[0].length;
    const description = Number(alert[1]);
    if (description > 255) return i + 1;
    const statement = { received: true, level: alertLevel, description, descriptionSpan: { start: at, end: e }, byError: false };
    out.add(statedAlertEvent(i, { start: s, end: e }, head, statement, true));
    return i + 1;
  }

  /** The level an alert error line states in the few lines after line `i` (stdout and stderr in another order), or null. */
  private alertLevelAfter(i: number): number | null {
    const doc = this.ctx.doc;
    for (let j = i + 1; j < doc.count && j <= i + ALERT_ERROR_LOOKAHEAD; j++) {
      const m = ALERT_ERROR.exec(headOf(doc, j));
      if (m) return m[1] === 'fatal' ? 2 : 1;
    }
    return null;
  }

  flush(): void {
    this.emitHello();
    this.inCertificate = false;
    this.inHelperReply = false;
  }
}
