/**
 * tshark -V (FORMATS.md section 16): the dissection tree, four spaces per level.
 *   Transmission Control Protocol, Src Port: 39650, Dst Port: 25, Seq: 34, Ack: 270, Len: 517
 *   Transport Layer Security
 *       TLSv1 Record Layer: Handshake Protocol: Client Hello
 *           Version: TLS 1.0 (0x0301)
 *           Handshake Protocol: Client Hello
 *               Version: TLS 1.2 (0x0303)
 *               Cipher Suite: TLS_AES_256_GCM_SHA384 (0x1302)
 * It is tshark's reading of the bytes, not the bytes: each record becomes a stated event
 * (record version, hello version, suites, compression, extensions, supported versions),
 * SMTP "Command Line:" / "Response:" items become commands and replies, and the TCP line
 * gives the direction and the server port.
 */
import type { Direction, StatedEvent, StatedKeyExchange, TextSpan } from '../model/transcript';
import { ConnectionSides } from './packetHeaders';
import { lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseCommandText, parseReplyText } from './smtpLines';
import { PRINTED_CERTIFICATE, PrintedCertificateReader } from './tsharkCertificate';
import { primeBits } from './keyExchangeFacts';

const FRAME = /^Frame [0-9]{1,10}: /;
/** `Frame 7: 214 bytes on wire (1712 bits), 100 bytes captured (800 bits)`: fewer captured is a frame the snapshot length cut. */
const FRAME_SIZES = /^Frame [0-9]{1,10}: ([0-9]{1,10}) bytes on wire \([0-9]{1,12} bits\), ([0-9]{1,10}) bytes captured/;
const TCP = /^Transmission Control Protocol, Src Port: ([0-9]{1,5}), Dst Port: ([0-9]{1,5})/;
const IP = /^Internet Protocol Version [46], Src: ([0-9A-Fa-f.:]{2,45}), Dst: ([0-9A-Fa-f.:]{2,45})$/;
const RECORD = /^ {4}(SSLv2|SSLv3|TLSv1(?:\.[0-3])?) Record Layer: /;
const VERSION = /^ +Version: [^(]{0,40}\(0x([0-9a-fA-F]{4})\)$/;
const HANDSHAKE_TYPE = /^ +Handshake (?:Message )?Type: [^(]{0,40}\(([0-9]{1,3})\)$/;
const CONTENT_TYPE = /^ +Content Type: [^(]{0,40}\(([0-9]{1,3})\)$/;
const LENGTH = /^ {8}Length: ([0-9]{1,6})$/;
const SUITE = /^ +Cipher Suite: [^(]{0,80}\(0x([0-9a-fA-F]{4})\)$/;
const SPEC = /^ +Cipher Spec: [^(]{0,80}\(0x([0-9a-fA-F]{6})\)$/;
const COMPRESSION = /^ +Compression Method: [^(]{0,40}\(([0-9]{1,3})\)$/;
const EXTENSION_TYPE = /^ {16}Type: [^(]{0,60}\(([0-9]{1,5})\)$/;
const SUPPORTED = /^ +Supported Version: [^(]{0,40}\(0x([0-9a-fA-F]{4})\)$/;
const SESSION_ID_LENGTH = /^ +Session ID Length: ([0-9]{1,3})$/;
const SERVER_NAME = /^ +Server Name: (\S{1,255})$/;
const ALERT_LEVEL = /^ +Level: [^(]{0,20}\(([0-9]{1,3})\)$/;
/** A ServerKeyExchange's group: `p Length: 128` (then `p: b54a40c3…`, cut) of Diffie-Hellman Server Params, `Named Curve: x25519 (0x001d)`. */
const DH_P_LENGTH = /^ +p Length: ([0-9]{1,5})$/;
const DH_P = /^ +p: ([0-9a-f]{2})/;
const NAMED_CURVE = /^ +Named Curve: ([A-Za-z0-9_-]{1,40}) \(0x[0-9a-fA-F]{4}\)$/;
const SERVER_KEY_EXCHANGE = 12;
const ALERT_DESCRIPTION = /^ +Description: [^(]{0,60}\(([0-9]{1,3})\)$/;
const TOP_LEVEL = /^(?:Ethernet II|Internet Protocol|Transmission Control Protocol|Transport Layer Security|Secure Sockets Layer|Simple Mail Transfer Protocol|Internet Message Format|Linux cooked|Null\/Loopback|Raw packet data|Data \(|\[)/;
const SMTP_LINE = /^ {4}(Command Line|Response): /;
/** One line of a multi-line reply, as tshark lists them under its first: `        Response parameter: PIPELINING`. */
const REPLY_PARAMETER = /^ {8}Response parameter: (.{0,190})$/;
const REPLY_CODE = '        Response code: ';
/**
 * A TLS record header as tshark's SMTP dissector shows bytes it reads as a command line (C-style
 * octal escapes, the line cut at the first NUL): content type 20-23, then 3 (`\026\003` for a
 * handshake record), what a client sending TLS before the 220 to STARTTLS puts on the wire.
 */
const TLS_AS_COMMAND = /^\\02[0-7]\\003/;
/** The frame's time (`Epoch Time` in tshark 4.0, `Epoch Arrival Time` later): a session's first frame dates it. */
const EPOCH = /^ {4}Epoch (?:Arrival )?Time: ([0-9]{1,12})(?:\.([0-9]{1,9}))? seconds$/;

interface Draft {
  line: number;
  start: number;
  end: number;
  text: string;
  sslv2: boolean;
  direction: Direction | null;
  recordVersion?: number;
  contentType?: number;
  length?: number;
  handshakeType?: number;
  version?: number;
  sessionIdLength?: number;
  serverName?: string;
  alertLevel?: number;
  alertDescription?: number;
  suites: number[];
  compression: number[];
  extensions: number[];
  supported: number[];
  spans: Record<string, TextSpan>;
  /** A ServerKeyExchange's group, as tshark names or sizes it; p's length in bytes until p's line sizes it exactly. */
  keyExchange?: StatedKeyExchange;
  pLength?: number;
  /** The certificates the record's Certificate message prints (tsharkCertificate.ts), the last one still being read. */
  certificates: PrintedCertificateReader[];
  certificate: PrintedCertificateReader | null;
}

export class TsharkVerboseReader implements LineReader {
  private readonly sides = new ConnectionSides();
  private direction: Direction | null = null;
  private draft: Draft | null = null;
  private inFrame = false;
  /** A multi-line reply whose "Response parameter:" items are being read (`cut`: its frame was, so its last item may not be its last line). */
  private reply: { code: string; first: string; inTls: boolean; lineEnding: string | undefined; cut: boolean; params: { text: string; line: number; span: TextSpan }[] } | null = null;
  /** The frame being read holds fewer bytes than were on the wire. */
  private frameCut = false;
  /** The session of the frame's TCP connection (null before the first TCP line). */
  private sessionKey: string | null = null;
  /**
   * The frame's dissection has a TLS layer: SMTP lines after it were decrypted (a key log). tshark
   * shows SMTP lines without one only for bytes sent in the clear, whatever came before (a QUIT
   * typed after the 220 to STARTTLS is such a line).
   */
  private frameInTls = false;
  /** The frame's SMTP section started with TLS bytes shown as a command line (TLS_AS_COMMAND): its other lines are those bytes. */
  private frameTlsAsText = false;
  /** Source and destination of the frame's IP header, once its line is read. */
  private addresses: [string, string] | null = null;
  /** The frame's time, until its TCP line says whose session it dates. */
  private frameTime: { line: number; span: TextSpan; text: string; time: number } | null = null;
  /** Sessions already dated by their first frame. */
  private readonly dated = new Set<string>();

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e } = lineBounds(doc, i);
    // Outside a frame only a frame's first line is taken (FRAME): others are not sliced.
    if (!this.inFrame && !text.startsWith('Frame ', s)) return -1;
    const line = text.slice(s, Math.min(e, s + 200));
    // The caller selects the default session for every line: the connection of the frame being
    // read (or, on a frame's first line, of the frame before, whose last record is emitted) again.
    if (this.sessionKey !== null) out.selectSession(this.sessionKey);
    if (this.reply) {
      const param = REPLY_PARAMETER.exec(line);
      if (param) {
        const ps = s + param[0].length - param[1].length;
        this.reply.params.push({ text: param[1], line: i, span: { start: ps, end: ps + param[1].length } });
        return i + 1;
      }
      // The item's code comes before its parameters.
      if (line.startsWith(REPLY_CODE)) return i + 1;
      this.endReply();
    }
    if (FRAME.test(line)) {
      this.emit();
      const sizes = FRAME_SIZES.exec(line);
      this.frameCut = sizes !== null && Number(sizes[2]) < Number(sizes[1]);
      this.inFrame = true;
      this.direction = null;
      this.addresses = null;
      this.frameInTls = false;
      this.frameTlsAsText = false;
      this.frameTime = null;
      out.vote('tshark-verbose', 1);
      return i + 1;
    }
    if (!this.inFrame) return -1;
    if (line === '') return -1;
    if (line.charCodeAt(0) !== 32 && !TOP_LEVEL.test(line) && !TCP.test(line)) {
      this.emit();
      this.inFrame = false;
      return -1;
    }
    out.vote('tshark-verbose', 1);
    const epoch = line.startsWith('    Epoch ') ? EPOCH.exec(line) : null;
    if (epoch) {
      const text = line.trim();
      const ms = Number(epoch[1]) * 1000 + Math.floor(Number((epoch[2] ?? '0').padEnd(3, '0').slice(0, 3)));
      this.frameTime = { line: i, span: { start: s + 4, end: s + 4 + text.length }, text, time: ms };
      return i + 1;
    }
    const ip = IP.exec(line);
    if (ip) {
      this.addresses = [ip[1], ip[2]];
      return i + 1;
    }
    const tcp = TCP.exec(line);
    if (tcp) {
      // Addresses from the frame's IP line; both sides the same where tshark showed none.
      const [srcAddress, dstAddress] = this.addresses ?? ['', ''];
      const seg = { srcAddress, dstAddress, srcPort: Number(tcp[1]), dstPort: Number(tcp[2]), flags: 0 };
      const side = this.sides.sideOf(seg);
      this.direction = side.direction;
      // One session per TCP connection (tshark -V of a capture of several, as gnutls-cli --resume makes).
      this.sessionKey = `tcp ${side.key}`;
      out.selectSession(this.sessionKey);
      out.setPort(side.serverPort);
      if (this.frameTime && !this.dated.has(this.sessionKey)) {
        // The connection's first frame shown: when the session took place (certificates are judged at
        // that time), unless it is 0, a capture without times (as the capture import reads it).
        this.dated.add(this.sessionKey);
        const t = this.frameTime;
        if (t.time >= 1000) out.add({ kind: 'note', line: t.line, note: 'session-time', text: t.text, span: t.span, time: t.time });
      }
      return i + 1;
    }
    const rec = RECORD.exec(line);
    if (rec) {
      this.emit();
      const sslv2 = rec[1] === 'SSLv2';
      // An SSLv2 record has no version field of its own: its header line stands for the format.
      const spans: Record<string, TextSpan> = sslv2 ? { recordHeader: { start: s + 4, end: e } } : {};
      this.draft = { line: i, start: s, end: e, text: line.trim(), sslv2, direction: this.direction, suites: [], compression: [], extensions: [], supported: [], spans, certificates: [], certificate: null };
      return i + 1;
    }
    const smtp = SMTP_LINE.exec(line);
    if (smtp) {
      this.emit();
      this.readSmtp(i, s + smtp[0].length, e, smtp[1] === 'Command Line');
      return i + 1;
    }
    if (line.charCodeAt(0) !== 32) {
      this.emit();
      // Next protocol of the frame, or the end of the dissection.
      if (TOP_LEVEL.test(line)) {
        if (line.startsWith('Transport Layer Security') || line.startsWith('Secure Sockets Layer')) this.frameInTls = true;
        return i + 1;
      }
      this.inFrame = false;
      return -1;
    }
    const d = this.draft;
    if (d) {
      if (d.certificate?.take(line, s, e)) {
        d.end = e;
        return i + 1;
      }
      d.certificate = null;
      if (PRINTED_CERTIFICATE.test(line)) {
        d.certificate = new PrintedCertificateReader(i, line, s, e);
        d.certificates.push(d.certificate);
        d.end = e;
        return i + 1;
      }
      this.readField(d, line, s, e);
    }
    return i + 1;
  }

  private readField(d: Draft, line: string, s: number, e: number): void {
    let m: RegExpExecArray | null;
    d.end = e;
    const at = (value: string): TextSpan => {
      const p = s + line.lastIndexOf(value);
      return { start: p, end: p + value.length };
    };
    if ((m = VERSION.exec(line))) {
      const v = parseInt(m[1], 16);
      const indent = line.length - line.trimStart().length;
      // Record fields sit at 8 spaces, handshake fields at 12; an SSLv2 hello's version is a record field.
      if (indent === 8 && !d.sslv2) {
        d.recordVersion = v;
        d.spans.recordVersion = at(`0x${m[1]}`);
      } else {
        d.version = v;
        d.spans.version = at(`0x${m[1]}`);
      }
    } else if ((m = HANDSHAKE_TYPE.exec(line))) {
      if (d.handshakeType === undefined) d.handshakeType = Number(m[1]);
    } else if ((m = CONTENT_TYPE.exec(line))) {
      d.contentType = Number(m[1]);
    } else if ((m = LENGTH.exec(line))) {
      d.length = Number(m[1]);
    } else if ((m = SUITE.exec(line)) || (m = SPEC.exec(line))) {
      // The suite's words and code ("TLS_RSA_WITH_RC4_128_SHA (0x0005)"), for findings about it.
      const colon = line.indexOf(': ');
      d.spans[`cipherSuites[${d.suites.length}]`] = { start: s + colon + 2, end: e };
      d.suites.push(parseInt(m[1], 16));
    } else if ((m = COMPRESSION.exec(line))) {
      d.compression.push(Number(m[1]));
    } else if ((m = EXTENSION_TYPE.exec(line))) {
      d.extensions.push(Number(m[1]));
    } else if ((m = SUPPORTED.exec(line))) {
      d.supported.push(parseInt(m[1], 16));
    } else if ((m = SESSION_ID_LENGTH.exec(line))) {
      d.sessionIdLength = Number(m[1]);
    } else if (d.serverName === undefined && (m = SERVER_NAME.exec(line))) {
      d.serverName = m[1];
      d.spans.serverName = at(m[1]);
    } else if (d.handshakeType === SERVER_KEY_EXCHANGE && (m = DH_P_LENGTH.exec(line))) {
      const words = line.trim();
      const start = s + line.length - words.length;
      d.pLength = Number(m[1]);
      d.keyExchange = { name: 'DHE', finiteField: true, bits: primeBits(d.pLength, null), curve: null, span: { start, end: start + words.length } };
      d.spans.keyExchange = d.keyExchange.span;
    } else if (d.keyExchange?.finiteField && d.pLength !== undefined && (m = DH_P.exec(line))) {
      // tshark cuts p on the next line; its first byte's leading zero bits are not the group's.
      d.keyExchange = { ...d.keyExchange, bits: primeBits(d.pLength, parseInt(m[1], 16)) };
      d.pLength = undefined;
    } else if (d.handshakeType === SERVER_KEY_EXCHANGE && (m = NAMED_CURVE.exec(line))) {
      d.keyExchange = { name: m[1], finiteField: false, bits: null, curve: m[1], span: at(m[1]) };
      d.spans.keyExchange = d.keyExchange.span;
    } else if ((m = ALERT_LEVEL.exec(line))) {
      d.alertLevel = Number(m[1]);
    } else if ((m = ALERT_DESCRIPTION.exec(line))) {
      d.alertDescription = Number(m[1]);
      d.spans.alertDescription = { start: s + line.search(/\S/), end: e };
    }
  }

  /** `Command Line: EHLO client.feas.test\r\n`: the `\r\n` is tshark's escape of the line ending. */
  private readSmtp(i: number, cs: number, e: number, command: boolean): void {
    const { doc, out } = this.ctx;
    const text = doc.text;
    let end = e;
    let lineEnding: string | undefined;
    if (text.endsWith('\\r\\n', e)) {
      end = e - 4;
      lineEnding = '\r\n';
    } else if (text.endsWith('\\n', e)) {
      end = e - 2;
      lineEnding = '\n';
    }
    const content = text.slice(cs, end);
    const span = { start: cs, end };
    if (command && this.frameTlsAsText) return;
    if (command && TLS_AS_COMMAND.test(content)) {
      // TLS bytes in the clear where tshark expected SMTP: the record starts here; the frame's other
      // "command lines" are the rest of its bytes, split at line feeds and cut at NULs.
      this.frameTlsAsText = true;
      out.add({ kind: 'note', line: i, note: 'tls-start', text: 'TLS record bytes, shown by tshark as SMTP command lines', span });
      return;
    }
    const inTls = this.frameInTls;
    const extra = lineEnding === undefined ? {} : { lineEnding };
    if (command || this.direction === 'client') {
      out.addCommand({ ...parseCommandText(content, i, span, inTls, out.session.inData), ...extra });
      return;
    }
    out.addReplyLine({ ...parseReplyText(content, i, span), ...extra }, inTls);
    // A multi-line reply is one "Response:" item (its first line) whose lines are its "Response parameter:" items.
    if (content.charCodeAt(3) === 45 && /^[0-9]{3}$/.test(content.slice(0, 3))) {
      this.reply = { code: content.slice(0, 3), first: content.slice(4), inTls, lineEnding, cut: this.frameCut, params: [] };
    }
  }

  /** The lines of a multi-line reply after its first, from its "Response parameter:" items (the first repeats the first line). */
  private endReply(): void {
    const r = this.reply;
    if (!r) return;
    this.reply = null;
    const params = r.params.length > 0 && r.params[0].text === r.first ? r.params.slice(1) : r.params;
    params.forEach((p, k) => {
      // The last item is the reply's last line, unless the frame was cut: then the reply stays open.
      const content = `${r.code}${k === params.length - 1 && !r.cut ? ' ' : '-'}${p.text}`;
      const extra = r.lineEnding === undefined ? {} : { lineEnding: r.lineEnding };
      this.ctx.out.addReplyLine({ ...parseReplyText(content, p.line, p.span), ...extra }, r.inTls);
    });
  }

  private emit(): void {
    const d = this.draft;
    if (!d) return;
    this.draft = null;
    let subject: StatedEvent['subject'] = 'record';
    if (d.handshakeType === 1) subject = 'client-hello';
    else if (d.handshakeType === 2) subject = 'server-hello';
    else if (d.contentType === 21 || d.alertDescription !== undefined) subject = 'alert';
    else if (d.handshakeType !== undefined) subject = 'handshake';
    const isHello = subject === 'client-hello' || subject === 'server-hello';
    const values = {
      recordVersion: d.recordVersion, contentType: d.contentType, length: d.length, handshakeType: d.handshakeType, version: d.version,
      sessionIdLength: d.sessionIdLength, alertLevel: d.alertLevel, alertDescription: d.alertDescription,
      cipherSuite: subject === 'server-hello' && d.suites.length === 1 ? d.suites[0] : undefined,
    };
    const clean = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    // A ServerHello's one suite is its cipherSuite: its words are that value's.
    if (values.cipherSuite !== undefined && d.spans['cipherSuites[0]']) {
      d.spans.cipherSuite = d.spans['cipherSuites[0]'];
      delete d.spans['cipherSuites[0]'];
    }
    this.ctx.out.add({
      kind: 'stated', line: d.line, direction: d.direction, statedByTool: true, subject, span: { start: d.start, end: d.end }, text: d.text,
      ...clean,
      ...(d.sslv2 ? { sslv2: true } : {}),
      ...(subject === 'client-hello' && d.serverName !== undefined ? { serverName: d.serverName } : {}),
      ...(subject === 'client-hello' && d.suites.length > 0 ? { cipherSuites: d.suites } : {}),
      ...(isHello && d.compression.length > 0 ? { compressionMethods: d.compression } : {}),
      ...(isHello && d.extensions.length > 0 ? { extensions: d.extensions } : {}),
      ...(isHello && d.supported.length > 0 ? { supportedVersions: d.supported } : {}),
      ...(d.keyExchange ? { keyExchange: d.keyExchange } : {}),
      valueSpans: d.spans,
    });
    this.emitCertificates(d);
  }

  /** The certificates the record prints, each a statement of its own after the record's, numbered in their list. */
  private emitCertificates(d: Draft): void {
    d.certificates.forEach((c, index) => {
      const printed = c.finish();
      const text = this.ctx.doc.text.slice(c.span.start, Math.min(c.span.end, c.span.start + 200));
      const about = /\((.{1,120})\)\s*$/.exec(text.split('\n', 1)[0]);
      this.ctx.out.add({
        kind: 'stated', line: c.line, direction: d.direction, statedByTool: true, subject: 'certificate', span: { start: c.span.start, end: c.span.end },
        text: about ? `Certificate (${about[1]})` : 'Certificate', certificateIndex: index, ...(printed ? { printed } : {}),
      });
    });
  }

  flush(): void {
    // The last frame's record and reply belong to that frame's connection.
    if ((this.draft || this.reply) && this.sessionKey !== null) this.ctx.out.selectSession(this.sessionKey);
    this.endReply();
    this.emit();
  }
}
