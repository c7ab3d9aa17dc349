/**
 * openssl s_client/s_server -trace (FORMATS.md section 3): each record as a decoded tree,
 *   Sent Record
 *   Header:
 *     Version = TLS 1.0 (0x301)
 *     Content Type = Handshake (22)
 *     Length = 183
 *       ClientHello, Length=179
 *         client_version=0x303 (TLS 1.2)
 *         cipher_suites (len=56)
 *           {0xC0, 0x2C} TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
 * No bytes of the hello are dumped, so each record becomes one stated event with the
 * record version, content type, and the hello's version, suites, compression methods,
 * extensions and supported versions, each value with its document span.
 */
import type { Direction, StatedEvent, StatedKeyExchange, TextSpan } from '../model/transcript';
import { lookupSupportedGroup } from '../tls/registry/supportedGroups';
import { primeBits } from './keyExchangeFacts';
import { lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseHexValue } from './statedFacts';
import { SCLIENT_STDERR_NOTES } from './sclientStderr';

const RECORD_VERSION = /^ {2}Version = [^(]{0,40}\((0x[0-9A-Fa-f]{1,4})\)/;
const CONTENT_TYPE = /^ {2}Content Type = [A-Za-z]{0,30} \(([0-9]{1,3})\)/;
const LENGTH = /^ {2}Length = ([0-9]{1,6})/;
const MESSAGE = /^ {4}([A-Za-z]{3,40}), Length=([0-9]{1,8})/;
const HELLO_VERSION = /^ +(client_version|server_version)=(0x[0-9A-Fa-f]{1,4})/;
const SESSION_ID = /^ +session_id \(len=([0-9]{1,3})\)/;
const SUITE = /^ +\{0x([0-9A-Fa-f]{2}), 0x([0-9A-Fa-f]{2})\}/;
const CHOSEN_SUITE = /^ +cipher_suite \{0x([0-9A-Fa-f]{2}), 0x([0-9A-Fa-f]{2})\}/;
const COMPRESSION = /^ +[^(]{1,40}\(0x([0-9A-Fa-f]{2})\)$/;
const EXTENSION = /^ +extension_type=([A-Za-z0-9_]{0,40})\(([0-9]{1,5})\), length=[0-9]{1,6}/;
const SUPPORTED_VERSION = /^ +(?:TLS|SSL|DTLS) [0-9.]{1,4} \(([0-9]{1,5})\)$/;
const ALERT = /^ +Level=[a-z_]{0,20}\(([0-9]{1,3})\), description=[^(]{0,60}\(([0-9]{1,3})\)/;
/** A ServerKeyExchange's group: `dh_p (len=128): B54A40C3...` (the prime in full), `named_curve: ecdh_x25519 (29)`. */
const DH_P = /^ +(dh_p \(len=([0-9]{1,5})\)): ([0-9A-Fa-f]{2})?/;
const NAMED_CURVE = /^ +named_curve: ([A-Za-z0-9_]{1,40}) \(([0-9]{1,5})\)/;

const HANDSHAKE_TYPES: Record<string, number> = {
  HelloRequest: 0, ClientHello: 1, ServerHello: 2, NewSessionTicket: 4, EndOfEarlyData: 5, EncryptedExtensions: 8,
  Certificate: 11, ServerKeyExchange: 12, CertificateRequest: 13, ServerHelloDone: 14, CertificateVerify: 15,
  ClientKeyExchange: 16, Finished: 20, KeyUpdate: 24,
};

type List = 'suites' | 'compression' | 'supported-versions' | null;

/**
 * Where a note s_client writes on stderr (sclientStderr.ts) starts in a line, at or after `from`; -1
 * when none does. With `2>&1` stderr interleaves with -trace's record on stdout, even mid-line:
 * `key_exchange:  (len=32): 42FF...4D8Can't use SSL_get_servername`, then the rest of the cut line
 * (`0E70...`) on a line of its own, after stderr's line feed.
 */
function stderrNoteAt(line: string, from: number): number {
  let at = -1;
  for (const note of SCLIENT_STDERR_NOTES) {
    const k = line.indexOf(note, from);
    if (k >= 0 && (at < 0 || k < at)) at = k;
  }
  return at;
}

export class OpensslTraceReader implements LineReader {
  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (c !== 83 && c !== 82) return -1;
    // "Sent Record" and "Received Record" both go on with an "e".
    if (text.charCodeAt(s + 1) !== 101) return -1;
    const first = text.slice(s, Math.min(e, s + 20)).trimEnd();
    if (first !== 'Sent Record' && first !== 'Received Record') return -1;
    const direction: Direction = (first === 'Sent Record') !== this.ctx.sentIsServer ? 'client' : 'server';
    const facts: {
      recordVersion?: number; contentType?: number; length?: number; handshakeType?: number; version?: number;
      sessionIdLength?: number; cipherSuite?: number; alertLevel?: number; alertDescription?: number;
    } = {};
    const suites: number[] = [];
    const compression: number[] = [];
    const extensions: number[] = [];
    const supported: number[] = [];
    const spans: Record<string, TextSpan> = {};
    let keyExchange: StatedKeyExchange | undefined;
    let message = '';
    let list: List = null;
    let listIndent = 0;
    let last = i;
    /** The line before was cut by a stderr note (its rest comes after stderr's line feed). */
    let cutBefore = false;
    let j = i + 1;
    for (; j < doc.count; j++) {
      const ls = doc.start(j);
      const le = doc.end(j);
      if (le === ls) break;
      let line = text.slice(ls, Math.min(le, ls + 200));
      if (line !== 'Header:' && line.charCodeAt(0) !== 32) {
        // A whole stderr line inside the record, or the rest of a line stderr cut: part of the record's text.
        if (cutBefore || stderrNoteAt(line, 0) === 0) {
          cutBefore = false;
          last = j;
          continue;
        }
        break;
      }
      last = j;
      let indent = 0;
      while (indent < line.length && line.charCodeAt(indent) === 32) indent++;
      const cut = stderrNoteAt(line, indent);
      // Cut by stderr: what stdout wrote before it is read; the line after stderr's is its rest.
      cutBefore = cut > indent;
      if (cutBefore) line = line.slice(0, cut);
      if (list !== null && indent <= listIndent) list = null;
      let m: RegExpExecArray | null;
      if (list === 'suites' && (m = SUITE.exec(line))) {
        spans[`cipherSuites[${suites.length}]`] = { start: ls + indent, end: ls + line.length };
        suites.push((parseInt(m[1], 16) << 8) | parseInt(m[2], 16));
      } else if (list === 'compression' && (m = COMPRESSION.exec(line))) {
        compression.push(parseInt(m[1], 16));
      } else if (list === 'supported-versions' && (m = SUPPORTED_VERSION.exec(line))) {
        supported.push(Number(m[1]));
      } else if ((m = RECORD_VERSION.exec(line))) {
        facts.recordVersion = parseHexValue(m[1]);
        spans.recordVersion = this.spanOf(ls, line, m[1]);
      } else if ((m = CONTENT_TYPE.exec(line))) {
        facts.contentType = Number(m[1]);
      } else if ((m = LENGTH.exec(line))) {
        facts.length = Number(m[1]);
      } else if (message === '' && (m = MESSAGE.exec(line))) {
        message = m[1];
        const type = HANDSHAKE_TYPES[m[1]];
        if (type !== undefined) facts.handshakeType = type;
      } else if ((m = HELLO_VERSION.exec(line))) {
        facts.version = parseHexValue(m[2]);
        spans.version = this.spanOf(ls, line, m[2]);
      } else if ((m = SESSION_ID.exec(line))) {
        facts.sessionIdLength = Number(m[1]);
      } else if ((m = CHOSEN_SUITE.exec(line))) {
        facts.cipherSuite = (parseInt(m[1], 16) << 8) | parseInt(m[2], 16);
        spans.cipherSuite = { start: ls + line.indexOf('{'), end: ls + line.length };
      } else if (/^ +cipher_suites \(len=/.test(line)) {
        list = 'suites';
        listIndent = indent;
      } else if (/^ +compression_methods \(len=/.test(line)) {
        list = 'compression';
        listIndent = indent;
      } else if ((m = EXTENSION.exec(line))) {
        extensions.push(Number(m[2]));
        if (m[2] === '43') {
          list = 'supported-versions';
          listIndent = indent;
        }
      } else if (message === 'ServerKeyExchange' && (m = DH_P.exec(line))) {
        // The prime's size: its declared length, less the leading zero bits of its first byte.
        const bits = primeBits(Number(m[2]), m[3] !== undefined ? parseInt(m[3], 16) : null);
        keyExchange = { name: 'DHE', finiteField: true, bits, curve: null, span: this.spanOf(ls, line, m[1]) };
        spans.keyExchange = keyExchange.span;
      } else if (message === 'ServerKeyExchange' && (m = NAMED_CURVE.exec(line))) {
        const name = lookupSupportedGroup(Number(m[2])).name;
        keyExchange = { name, finiteField: /^ffdhe/.test(name), bits: null, curve: name, span: this.spanOf(ls, line, m[1]) };
        spans.keyExchange = keyExchange.span;
      } else if ((m = ALERT.exec(line))) {
        facts.alertLevel = Number(m[1]);
        facts.alertDescription = Number(m[2]);
        spans.alertDescription = { start: ls + indent, end: ls + line.length };
      }
    }
    out.vote('openssl-trace', last - i + 1);
    this.ctx.bareLinesInTls = true;
    let subject: StatedEvent['subject'] = 'record';
    if (facts.handshakeType === 1) subject = 'client-hello';
    else if (facts.handshakeType === 2) subject = 'server-hello';
    else if (facts.contentType === 21) subject = 'alert';
    else if (message !== '') subject = 'handshake';
    const clean = Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined));
    const isHello = subject === 'client-hello' || subject === 'server-hello';
    out.add({
      kind: 'stated', line: i, direction, statedByTool: true, subject, span: { start: s, end: doc.end(last) }, text: message === '' ? first : `${first}: ${message}`,
      ...clean,
      ...(isHello && suites.length > 0 ? { cipherSuites: suites } : {}),
      ...(isHello && compression.length > 0 ? { compressionMethods: compression } : {}),
      ...(isHello && extensions.length > 0 ? { extensions } : {}),
      ...(isHello && supported.length > 0 ? { supportedVersions: supported } : {}),
      ...(keyExchange ? { keyExchange } : {}),
      valueSpans: spans,
    });
    return j;
  }

  private spanOf(lineStart: number, line: string, value: string): TextSpan {
    const at = lineStart + line.indexOf(value);
    return { start: at, end: at + value.length };
  }

  flush(): void {
    // Block by block: nothing pending.
  }
}
