/**
 * Crafted TLS bytes and C:/S: transcripts for rule tests. Every byte a test
 * feeds the analyser comes from these builders, and each field is written
 * and named here (RFC 5246 §7.4.1.2/§7.4.1.3, RFC 8446 §4.1.2/§4.1.3 layouts).
 */

function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

/** A vector with a length prefix of `n` bytes (RFC 8446 §3.4). */
export function vec(n: 1 | 2 | 3, body: readonly number[]): number[] {
  const len = body.length;
  const prefix = n === 1 ? [len & 0xff] : n === 2 ? u16(len) : [(len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff];
  return [...prefix, ...body];
}

/** One extension: type (2 bytes), extension_data length (2 bytes), data. */
export function ext(type: number, data: readonly number[]): number[] {
  return [...u16(type), ...vec(2, data)];
}

export const EXT = {
  serverName(host: string): number[] {
    // server_name (0): ServerNameList length, name_type host_name (0), HostName length + bytes.
    return ext(0, vec(2, [0x00, ...vec(2, [...host].map((c) => c.charCodeAt(0)))]));
  },
  supportedGroups(groups: number[]): number[] {
    return ext(10, vec(2, groups.flatMap(u16)));
  },
  supportedVersions(versions: number[]): number[] {
    // ClientHello form: 1-byte list length, 2 bytes per version (RFC 8446 §4.2.1).
    return ext(43, vec(1, versions.flatMap(u16)));
  },
  selectedVersion(version: number): number[] {
    // ServerHello form: the selected version alone.
    return ext(43, u16(version));
  },
  renegotiationInfo(): number[] {
    // renegotiation_info (0xff01) with an empty renegotiated_connection (RFC 5746 §3.2).
    return ext(0xff01, [0x00]);
  },
  signatureAlgorithms(schemes: number[]): number[] {
    return ext(13, vec(2, schemes.flatMap(u16)));
  },
  keyShareServer(group: number, key: number[]): number[] {
    return ext(51, [...u16(group), ...vec(2, key)]);
  },
};

/** A 32-byte random: 0x00, 0x01, ... 0x1f, optionally with the last 8 bytes replaced. */
export function random(tail?: number[]): number[] {
  const r = Array.from({ length: 32 }, (_, i) => i);
  if (tail) r.splice(32 - tail.length, tail.length, ...tail);
  return r;
}

/** RFC 8446 §4.1.3 sentinel "DOWNGRD" + 01 (TLS 1.2) or 00 (TLS 1.1 and below). */
export function downgradeSentinel(last: 0 | 1): number[] {
  return [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, last];
}

export interface ClientHelloSpec {
  version?: number;
  sessionId?: number[];
  suites?: number[];
  compression?: number[];
  extensions?: number[][];
}

/** Handshake message: msg_type 1, 3-byte length, client_version, random, session_id, suites, compression, extensions. */
export function clientHello(spec: ClientHelloSpec = {}): number[] {
  const body = [
    ...u16(spec.version ?? 0x0303),
    ...random(),
    ...vec(1, spec.sessionId ?? []),
    ...vec(2, (spec.suites ?? [0xc02f, 0x00ff]).flatMap(u16)),
    ...vec(1, spec.compression ?? [0x00]),
    ...(spec.extensions === undefined ? vec(2, EXT.supportedGroups([0x001d])) : vec(2, spec.extensions.flat())),
  ];
  return [0x01, ...vec(3, body)];
}

export interface ServerHelloSpec {
  version?: number;
  random?: number[];
  suite?: number;
  compression?: number;
  extensions?: number[][];
}

/** Handshake message: msg_type 2, length, server_version, random, empty session_id echo, suite, compression, extensions. */
export function serverHello(spec: ServerHelloSpec = {}): number[] {
  const body = [
    ...u16(spec.version ?? 0x0303),
    ...(spec.random ?? random()),
    ...vec(1, []),
    ...u16(spec.suite ?? 0xc02f),
    spec.compression ?? 0x00,
    ...vec(2, (spec.extensions ?? [EXT.renegotiationInfo()]).flat()),
  ];
  return [0x02, ...vec(3, body)];
}

/** A TLS record: content type, record version, 2-byte length, fragment. */
export function record(contentType: number, version: number, fragment: readonly number[]): number[] {
  return [contentType, ...u16(version), ...vec(2, fragment)];
}

/** An alert record (content type 21): level, description. */
export function alert(level: number, description: number, version = 0x0303): number[] {
  return record(21, version, [level, description]);
}

/** `C: ` / `S: ` hex lines, 16 bytes each, like tools/send-after-starttls.mjs writes them. */
export function hexLines(dir: 'C' | 'S', bytes: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    out.push(`${dir}: ${bytes.slice(i, i + 16).map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
  }
  return out.join('\n');
}

/**
 * The opening of a real postfix 3.7 session on port 25 (samples/tls-hello-without-220.transcript):
 * greeting and EHLO reply, optionally with keywords removed or added.
 */
export function openSession(options: { keywords?: string[] } = {}): string {
  const keywords = options.keywords ?? ['PIPELINING', 'SIZE 10240000', 'VRFY', 'ETRN', 'STARTTLS', 'ENHANCEDSTATUSCODES', '8BITMIME', 'DSN', 'SMTPUTF8', 'CHUNKING'];
  const lines = ['S: 220 mx.example.test ESMTP Postfix (Debian/GNU)', 'C: EHLO client.example.test', 'S: 250-mx.example.test'];
  keywords.forEach((k, i) => lines.push(`S: 250${i === keywords.length - 1 ? ' ' : '-'}${k}`));
  return lines.join('\n');
}

/** A whole STARTTLS session: opening, STARTTLS, 220, the client's bytes, the server's bytes. */
export function starttlsSession(client: readonly number[], server?: readonly number[], options: { keywords?: string[]; comment?: string } = {}): string {
  const parts = [openSession(options), 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS', hexLines('C', client)];
  if (server) parts.push(hexLines('S', server));
  return (options.comment ? options.comment + '\n' : '') + parts.join('\n') + '\n';
}
