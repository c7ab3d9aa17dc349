/**
 * fast-check arbitraries for the robustness properties: TLS flights built field by
 * field (so that a clean one decodes without a problem), the hex layouts the readers
 * accept, SMTP dialogues, whole transcript documents and mutations of real samples.
 */
import fc from 'fast-check';
import { cat, ext, handshake, list16, record, u16, u8, vec16, vec8 } from '../tls/helpers';

// ---------------------------------------------------------------- TLS

/** Extensions whose body the dissector understands, built correctly, or opaque ones of unregistered types. */
const arbExtension: fc.Arbitrary<{ type: number; bytes: Uint8Array }> = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 6 }).map((g) => ({ type: 10, bytes: ext(10, vec16(list16(g))) })),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 6 }).map((s) => ({ type: 13, bytes: ext(13, vec16(list16(s))) })),
  fc.constantFrom([0x0304, 0x0303], [0x0303], [0x0304]).map((v) => ({ type: 43, bytes: ext(43, vec8(list16(v))) })),
  fc.uint8Array({ minLength: 1, maxLength: 3 }).map((f) => ({ type: 11, bytes: ext(11, vec8(f)) })),
  fc.constant({ type: 0xff01, bytes: ext(0xff01, vec8()) }),
  fc.constant({ type: 23, bytes: ext(23) }),
  // Unregistered code points carry opaque data (RFC 8446 §4.2: unknown extensions are skipped).
  fc.tuple(fc.integer({ min: 0xfe10, max: 0xfe20 }), fc.uint8Array({ maxLength: 24 })).map(([t, d]) => ({ type: t, bytes: ext(t, d) })),
);

const arbExtensions: fc.Arbitrary<Uint8Array[] | null> = fc.option(
  fc.uniqueArray(arbExtension, { selector: (e) => e.type, maxLength: 6 }).map((list) => list.map((e) => e.bytes)),
  { nil: null, freq: 4 },
);

const arbRandom = fc.uint8Array({ minLength: 32, maxLength: 32 });
const arbSessionId = fc.uint8Array({ maxLength: 32 });
const arbSuites = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 12 });
const arbVersion = fc.constantFrom(0x0300, 0x0301, 0x0302, 0x0303);

export const arbClientHelloBody: fc.Arbitrary<Uint8Array> = fc
  .record({ version: arbVersion, random: arbRandom, sessionId: arbSessionId, suites: arbSuites, compression: fc.constantFrom([0], [1, 0]), extensions: arbExtensions })
  .map((h) => {
    const parts = [u16(h.version), h.random, vec8(h.sessionId), vec16(list16(h.suites)), vec8(Uint8Array.from(h.compression))];
    if (h.extensions !== null) parts.push(vec16(...h.extensions));
    return cat(...parts);
  });

export const arbServerHelloBody: fc.Arbitrary<Uint8Array> = fc
  .record({ version: arbVersion, random: arbRandom, sessionId: arbSessionId, suite: fc.integer({ min: 0, max: 0xffff }), withRenegotiation: fc.boolean() })
  .map((h) => {
    const parts = [u16(h.version), h.random, vec8(h.sessionId), u16(h.suite), u8(0)];
    if (h.withRenegotiation) parts.push(vec16(ext(0xff01, vec8())));
    return cat(...parts);
  });

/** One clean plaintext record: a hello (possibly split over two records) or an alert. */
const arbRecords: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: fc.tuple(arbClientHelloBody, fc.constantFrom(0x0300, 0x0301, 0x0303)).map(([b, v]) => record(22, v, handshake(1, b))), weight: 4 },
  { arbitrary: fc.tuple(arbServerHelloBody, fc.constantFrom(0x0301, 0x0303)).map(([b, v]) => record(22, v, handshake(2, b))), weight: 3 },
  {
    arbitrary: fc.tuple(arbClientHelloBody, fc.nat()).map(([b, cut]) => {
      const m = handshake(1, b);
      const at = 1 + (cut % (m.length - 1));
      return cat(record(22, 0x0301, m.subarray(0, at)), record(22, 0x0301, m.subarray(at)));
    }),
    weight: 1,
  },
  { arbitrary: fc.tuple(fc.constantFrom(1, 2), fc.constantFrom(0, 10, 20, 40, 47, 70, 80, 86, 112)).map(([l, d]) => record(21, 0x0303, Uint8Array.of(l, d))), weight: 1 },
);

/** What may end a flight: nothing, a ChangeCipherSpec (after which records are encrypted), or application data. */
const arbFlightEnd: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: fc.constant(new Uint8Array(0)), weight: 4 },
  { arbitrary: fc.constant(record(20, 0x0303, Uint8Array.of(1))), weight: 1 },
  { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 40 }).map((d) => record(23, 0x0303, d)), weight: 1 },
);

/** A flight of 1-3 clean records: decodes without any problem. */
export const arbTlsFlight: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.array(arbRecords, { minLength: 1, maxLength: 3 }), arbFlightEnd)
  .map(([rs, end]) => cat(...rs, end));

/** Bytes shaped like TLS often enough to get past the first checks. */
export const arbTlsishBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc
    .tuple(fc.constantFrom(0x14, 0x15, 0x16, 0x17, 0x18, 0x80, 0x81, 0x00), fc.uint8Array({ maxLength: 200 }), fc.boolean())
    .map(([first, rest, believable]) => {
      const b = cat([first], rest);
      if (believable && b.length > 8) {
        b[3] = 0;
        b[4] = Math.min(255, b.length - 5);
        b[5] = b[5] % 3;
        b[6] = 0;
        b[7] = 0;
        b[8] = Math.max(0, b[4] - 4);
      }
      return b;
    }),
  arbTlsFlight,
  fc.tuple(arbTlsFlight, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([b, flips]) => {
    const out = b.slice();
    for (const [at, v] of flips) out[at % out.length] = v;
    return out;
  }),
);

// ---------------------------------------------------------------- hex layouts

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
const printable = (b: number): string => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

function chunks(bytes: Uint8Array, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += n) out.push(bytes.subarray(i, i + n));
  return out;
}

export type Layout = 'cs' | 'openssl-msg' | 'xxd' | 'hexdump-C' | 'od' | 'hexstream' | 'c-array';
export const LAYOUTS: readonly Layout[] = ['cs', 'openssl-msg', 'xxd', 'hexdump-C', 'od', 'hexstream', 'c-array'];

/** `bytes` written the way the named tool writes them (client direction where the layout has one). */
export function renderBytes(bytes: Uint8Array, layout: Layout, upper = false): string {
  const h = (b: number): string => (upper ? hex2(b).toUpperCase() : hex2(b));
  const lines: string[] = [];
  switch (layout) {
    case 'cs':
      for (const c of chunks(bytes, 16)) lines.push('C: ' + [...c].map(h).join(' '));
      break;
    case 'openssl-msg':
      return renderOpensslMsg(bytes, upper).text;
    case 'xxd':
      chunks(bytes, 16).forEach((c, i) => {
        const groups: string[] = [];
        for (let k = 0; k < c.length; k += 2) groups.push([...c.subarray(k, k + 2)].map(h).join(''));
        lines.push(`${(i * 16).toString(16).padStart(8, '0')}: ${groups.join(' ').padEnd(39)}  ${[...c].map(printable).join('')}`);
      });
      break;
    case 'hexdump-C':
      chunks(bytes, 16).forEach((c, i) => {
        const left = [...c.subarray(0, 8)].map(h).join(' ');
        const right = [...c.subarray(8)].map(h).join(' ');
        lines.push(`${(i * 16).toString(16).padStart(8, '0')}  ${(left + '  ' + right).padEnd(48)}  |${[...c].map(printable).join('')}|`);
      });
      lines.push(bytes.length.toString(16).padStart(8, '0'));
      break;
    case 'od':
      chunks(bytes, 16).forEach((c, i) => {
        lines.push(`${(i * 16).toString(16).padStart(6, '0')} ${[...c].map(h).join(' ').padEnd(47)}  >${[...c].map(printable).join('')}<`);
      });
      lines.push(bytes.length.toString(16).padStart(6, '0'));
      break;
    case 'hexstream':
      lines.push([...bytes].map(h).join(''));
      break;
    case 'c-array':
      lines.push('unsigned char record_bin[] = {');
      for (const c of chunks(bytes, 12)) lines.push('  ' + [...c].map((b) => `0x${h(b)}`).join(', ') + ',');
      lines.push('};', `unsigned int record_bin_len = ${bytes.length};`);
      break;
  }
  return lines.join('\n');
}

const OPENSSL_VERSIONS: Record<number, string> = { 0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3' };
const HANDSHAKE_NAMES: Record<number, string> = { 1: 'ClientHello', 2: 'ServerHello', 11: 'Certificate', 14: 'ServerHelloDone', 16: 'ClientKeyExchange', 20: 'Finished' };
const ALERT_LEVELS: Record<number, string> = { 1: 'warning', 2: 'fatal' };

/**
 * `bytes` the way `openssl s_client -msg` prints what it sends, or with `received` what it reads
 * (server/test/fixtures/tls/*.msg.txt): each record header on its own (`>>> TLS 1.2, RecordHeader
 * [length 0005]`), then the content openssl shows for it: every handshake message once it is
 * complete (a message split across records follows all of their headers), an alert, a
 * ChangeCipherSpec (only one it sends: one it reads shows its header alone); nothing for
 * application data. Bytes that do not form a whole record of those types end the imitation: they are
 * dumped under one RecordHeader label as they are. `shown` is every byte printed, in order.
 */
export function renderOpensslMsg(bytes: Uint8Array, upper = false, received = false): { text: string; shown: Uint8Array } {
  const h = (b: number): string => (upper ? hex2(b).toUpperCase() : hex2(b));
  const lines: string[] = [];
  const shown: number[] = [];
  const arrow = received ? '<<<' : '>>>';
  const dump = (label: string, data: Uint8Array): void => {
    lines.push(`${arrow} ${label.replace('[length]', `[length ${h(data.length >> 8)}${h(data.length & 0xff)}]`)}`);
    for (const c of chunks(data, 16)) lines.push('    ' + [...c].map(h).join(' '));
    shown.push(...data);
  };
  let handshake: number[] = [];
  let at = 0;
  while (at + 5 <= bytes.length) {
    const type = bytes[at];
    const length = (bytes[at + 3] << 8) | bytes[at + 4];
    const version = OPENSSL_VERSIONS[(bytes[at + 1] << 8) | bytes[at + 2]];
    if (type < 20 || type > 23 || !version || at + 5 + length > bytes.length) break;
    const body = bytes.subarray(at + 5, at + 5 + length);
    dump(`${version}, RecordHeader [length]`, bytes.subarray(at, at + 5));
    if (type === 20 && !received) dump(`${version}, ChangeCipherSpec [length]`, body);
    else if (type === 21) dump(`${version}, Alert [length], ${ALERT_LEVELS[body[0]] ?? '???'} ${body[1] ?? ''}`, body);
    else if (type === 22) {
      handshake.push(...body);
      for (;;) {
        const end = handshake.length >= 4 ? 4 + ((handshake[1] << 16) | (handshake[2] << 8) | handshake[3]) : Infinity;
        if (end > handshake.length) break;
        dump(`${version}, Handshake [length], ${HANDSHAKE_NAMES[handshake[0]] ?? '???'}`, Uint8Array.from(handshake.slice(0, end)));
        handshake = handshake.slice(end);
      }
    }
    at += 5 + length;
  }
  if (at < bytes.length) dump('TLS 1.2, RecordHeader [length 0005]', bytes.subarray(at));
  return { text: lines.join('\n'), shown: Uint8Array.from(shown) };
}

export const arbLayout: fc.Arbitrary<Layout> = fc.constantFrom(...LAYOUTS);

// ---------------------------------------------------------------- SMTP

const VERBS = ['EHLO', 'HELO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'NOOP', 'QUIT', 'STARTTLS', 'AUTH', 'VRFY', 'BDAT', 'XCLIENT', 'ehlo', 'StartTLS', ''];
const ARGS = ['client.example.test', 'FROM:<a@example.test>', 'TO:<b@example.test>', 'FROM:<a@b> REQUIRETLS', 'PLAIN AGFsaWNlAHMzY3JldA==', 'LOGIN', 'x', '', ' ', '=', '*'];
const REPLY_TEXTS = ['mx.example.test ESMTP', 'STARTTLS', 'PIPELINING', 'AUTH PLAIN LOGIN', '2.0.0 Ready to start TLS', '5.7.0 Must issue a STARTTLS command first', 'VXNlcm5hbWU6', 'Ok', ''];

const arbCommandText = fc.tuple(fc.constantFrom(...VERBS), fc.constantFrom(...ARGS), fc.constantFrom(' ', '  ', '\t', ':')).map(([v, a, sep]) => (a ? v + sep + a : v));
const arbReplyText = fc
  .tuple(fc.constantFrom('220', '221', '235', '250', '334', '354', '421', '454', '500', '530', '554', '2', '99', '2500', 'abc'), fc.constantFrom(' ', '-', '', '\t'), fc.constantFrom(...REPLY_TEXTS))
  .map(([c, s, t]) => c + s + t);

/** One line of a C:/S: or swaks-style dialogue. */
export const arbSmtpLine: fc.Arbitrary<string> = fc.oneof(
  arbCommandText.map((t) => 'C: ' + t),
  arbReplyText.map((t) => 'S: ' + t),
  fc.tuple(fc.constantFrom(' -> ', ' ~> ', 'C: '), arbCommandText).map(([p, t]) => p + t),
  fc.tuple(fc.constantFrom('<-  ', '<~  ', 'S: '), arbReplyText).map(([p, t]) => p + t),
  fc.constantFrom('=== TLS started with cipher TLSv1.3:TLS_AES_256_GCM_SHA384:256', '# smtptls-port: 587', '# smtptls-policy: mta-sts', '# smtptls-disable-next-line tls-truncated', 'S: <1234 bytes of TLS records>', ''),
);

const STARTTLS_PREAMBLE = ['S: 220 mx.example.test ESMTP', 'C: EHLO client.example.test', 'S: 250-mx.example.test', 'S: 250 STARTTLS', 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS'];

/** A session that reaches TLS and then shows `bytes` in `layout`. */
export function starttlsDocument(bytes: Uint8Array, layout: Layout = 'cs'): string {
  return [...STARTTLS_PREAMBLE, renderBytes(bytes, layout)].join('\n') + '\n';
}

export const arbSmtpDialogue: fc.Arbitrary<string> = fc
  .tuple(fc.array(arbSmtpLine, { maxLength: 30 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, eol]) => lines.join(eol));

// ---------------------------------------------------------------- documents

/** Pieces of every format the readers know, to be glued together at random. */
const FRAGMENTS = [
  'C: ', 'S: ', '>>> ', '<<< ', ' -> ', '<-  ', ' ~> ', '<~  ', '# ', '#', '*', '=== ', '\n', '\r\n', '\r', '\t', ' ', '  ', ':', '|', '>', '<', ',',
  '16 03 01 00 ', '16 03 03 ', '80 2b 01 03 01 ', '15 03 03 00 02 02 28', '0x16, 0x03, ', '1603010200', 'ff ff ff ', '00 00 ',
  '00000000: ', '00000010  ', '000000 ', '0000000 ', '00000020', '    ', '[length 0005]', 'RecordHeader', 'Handshake', 'ClientHello', 'InnerContent',
  'TLS 1.2, ', 'SSL 3.0, ', 'write to 0x55d0 [0x55d1] (5 bytes => 5 (0x5))', 'read from ', 'unsigned char x[] = {', '};', '250-', '250 ', '220 ', '334 ', '354 ',
  'EHLO x', 'STARTTLS', 'AUTH PLAIN ', 'AUTH LOGIN', 'QUIT', 'DATA', '.', 'MAIL FROM:<a@b>', 'CONNECTED(00000003)', '---', 'SSL handshake has read 1 bytes',
  'postfix/smtpd[1]: ', 'Frame 1: ', 'Transmission Control Protocol', 'Transport Layer Security', '    TLSv1.2 Record Layer: Handshake Protocol: Client Hello',
  '        Version: TLS 1.0 (0x0301)', '== Info: ', '=> Send SSL data, 5 bytes (0x5)', '0000: 16 03 01 00 05', 'send: ', "b'EHLO x\\r\\n'", 'reply: ',
  'CLIENT_RANDOM ', '<starts TLS negotiation>', '|<7>| ', 'HSK[0x1]: ', 'Follow: tcp,hex', '===================================================================',
  '\u0000', '\u00e9', '\ud83d\ude00', '\ud800', '\ufeff',
];

export const arbFragmentText: fc.Arbitrary<string> = fc
  .array(fc.oneof({ arbitrary: fc.constantFrom(...FRAGMENTS), weight: 6 }, { arbitrary: fc.string({ maxLength: 6, unit: 'binary' }), weight: 1 }), { maxLength: 60 })
  .map((parts) => parts.join(''));

/** Text of any shape: fragments of every format, rendered TLS in every layout, SMTP dialogues, raw strings. */
export const arbDocument: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: arbFragmentText, weight: 4 },
  { arbitrary: arbSmtpDialogue, weight: 2 },
  { arbitrary: fc.tuple(arbTlsishBytes, arbLayout).map(([b, l]) => starttlsDocument(b, l)), weight: 2 },
  {
    arbitrary: fc.array(fc.oneof(arbSmtpLine, fc.tuple(arbTlsishBytes, arbLayout).map(([b, l]) => renderBytes(b, l))), { maxLength: 8 }).map((p) => p.join('\n')),
    weight: 2,
  },
  { arbitrary: fc.string({ maxLength: 200, unit: 'binary' }), weight: 1 },
);

// ---------------------------------------------------------------- mutations

export type TextMutation =
  | { kind: 'flip-hex'; at: number; digit: number }
  | { kind: 'delete-line'; line: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; text: string };

export const arbTextMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('flip-hex' as const), at: fc.nat(), digit: fc.integer({ min: 0, max: 15 }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('delete-line' as const), line: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...FRAGMENTS) }), weight: 1 },
);

/** Applies a mutation; positions are taken modulo the document so every mutation applies. */
export function applyTextMutation(text: string, m: TextMutation): string {
  if (text.length === 0) return m.kind === 'insert' ? m.text : text;
  switch (m.kind) {
    case 'flip-hex': {
      // Change one hex digit (found from `at` onwards, wrapping) to another.
      for (let k = 0; k < text.length; k++) {
        const i = (m.at + k) % text.length;
        if (/[0-9a-fA-F]/.test(text[i])) return text.slice(0, i) + m.digit.toString(16) + text.slice(i + 1);
      }
      return text;
    }
    case 'cut':
      return text.slice(0, m.at % (text.length + 1));
    case 'insert': {
      const i = m.at % (text.length + 1);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    default: {
      const lines = text.split('\n');
      const n = lines.length;
      if (m.kind === 'delete-line') lines.splice(m.line % n, 1);
      else if (m.kind === 'duplicate-line') lines.splice(m.line % n, 0, lines[m.line % n]);
      else [lines[m.a % n], lines[m.b % n]] = [lines[m.b % n], lines[m.a % n]];
      return lines.join('\n');
    }
  }
}


