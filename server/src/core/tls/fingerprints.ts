/**
 * Client and server hello fingerprints.
 *
 * JA3 / JA3S (Salesforce): decimal values joined by '-', fields by ',', MD5;
 * GREASE values (RFC 8701) are left out.
 * JA4 (FoxIO, technical_details/JA4.md): `t` + version + d/i + counts + ALPN
 * chars, `_` + sha256-12 of the sorted suites, `_` + sha256-12 of the sorted
 * extensions (without SNI and ALPN) followed by `_` and the signature
 * algorithms in wire order.
 *
 * SSLv2-compatible hellos have no JA3/JA4 definition; we compute them over the
 * cipher specs (24-bit values; in JA4 a spec {0x00, suite} is written as the
 * 4-digit suite and an SSL 2.0 kind as 6 digits) with no extensions.
 */
import { createHash } from 'node:crypto';
import { isGrease16 } from './registry/grease';

export interface ClientHelloFacts {
  readonly version: number;
  readonly cipherSuites: readonly number[];
  readonly extensions: readonly number[];
  readonly supportedGroups: readonly number[] | null;
  readonly ecPointFormats: readonly number[] | null;
  readonly supportedVersions: readonly number[] | null;
  readonly alpn: readonly string[] | null;
  readonly signatureAlgorithms: readonly number[] | null;
}

const md5 = (s: string): string => createHash('md5').update(s, 'latin1').digest('hex');
const sha256x12 = (s: string): string => createHash('sha256').update(s, 'latin1').digest('hex').slice(0, 12);
const noGrease = (values: readonly number[] | null): number[] => (values ?? []).filter((v) => !isGrease16(v));

export function ja3String(h: ClientHelloFacts): string {
  return [
    String(h.version),
    noGrease(h.cipherSuites).join('-'),
    noGrease(h.extensions).join('-'),
    noGrease(h.supportedGroups).join('-'),
    (h.ecPointFormats ?? []).join('-'),
  ].join(',');
}

export function ja3(h: ClientHelloFacts): string {
  return md5(ja3String(h));
}

export function ja3sString(version: number, cipherSuite: number, extensions: readonly number[]): string {
  return [String(version), String(cipherSuite), noGrease(extensions).join('-')].join(',');
}

export function ja3s(version: number, cipherSuite: number, extensions: readonly number[]): string {
  return md5(ja3sString(version, cipherSuite, extensions));
}

const JA4_VERSIONS: ReadonlyMap<number, string> = new Map([
  [0x0304, '13'],
  [0x0303, '12'],
  [0x0302, '11'],
  [0x0301, '10'],
  [0x0300, 's3'],
  [0x0200, 's2'],
  [0x0002, 's2'],
  [0x0100, 's1'],
  [0xfeff, 'd1'],
  [0xfefd, 'd2'],
  [0xfefc, 'd3'],
]);

const hex4 = (v: number): string => v.toString(16).padStart(4, '0');
const count2 = (n: number): string => String(Math.min(n, 99)).padStart(2, '0');
const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

function alpnChars(alpn: readonly string[] | null): string {
  const first = alpn?.[0];
  if (!first) return '00';
  const a = first.charCodeAt(0);
  const b = first.charCodeAt(first.length - 1);
  if (isAlnum(a) && isAlnum(b)) return first[0] + first[first.length - 1];
  // JA4: a non-alphanumeric first or last byte: first and last hex digits of the value.
  let hex = '';
  for (let i = 0; i < first.length; i++) hex += (first.charCodeAt(i) & 0xff).toString(16).padStart(2, '0');
  return hex[0] + hex[hex.length - 1];
}

function ja4Version(h: ClientHelloFacts): string {
  const offered = noGrease(h.supportedVersions);
  const v = offered.length > 0 ? Math.max(...offered) : h.version;
  return JA4_VERSIONS.get(v) ?? '00';
}

/** The raw (unhashed, sorted) JA4 string, `JA4_r` in FoxIO's terms. */
export function ja4Raw(h: ClientHelloFacts, options: { readonly cipherCodes?: readonly string[] } = {}): string {
  const suites = options.cipherCodes ?? noGrease(h.cipherSuites).map(hex4);
  const exts = noGrease(h.extensions);
  const hasSni = exts.includes(0x0000);
  const a = `t${ja4Version(h)}${hasSni ? 'd' : 'i'}${count2(suites.length)}${count2(exts.length)}${alpnChars(h.alpn)}`;
  const b = [...suites].sort().join(',');
  const extList = exts.filter((e) => e !== 0x0000 && e !== 0x0010).map(hex4).sort().join(',');
  const sigs = noGrease(h.signatureAlgorithms).map(hex4).join(',');
  const c = sigs ? `${extList}_${sigs}` : extList;
  return `${a}_${b}_${c}`;
}

export function ja4(h: ClientHelloFacts, options: { readonly cipherCodes?: readonly string[] } = {}): string {
  const raw = ja4Raw(h, options);
  const [a, b, ...rest] = raw.split('_');
  const c = rest.join('_');
  const hb = b ? sha256x12(b) : '000000000000';
  const hc = c ? sha256x12(c) : '000000000000';
  return `${a}_${hb}_${hc}`;
}

/** JA4 cipher codes of SSLv2 cipher specs: 4 hex digits for {0x00, suite}, else 6. */
export function sslv2CipherCodes(specs: readonly number[]): string[] {
  return specs
    .filter((s) => !(s >>> 16 === 0 && isGrease16(s & 0xffff)))
    .map((s) => (s >>> 16 === 0 ? hex4(s) : s.toString(16).padStart(6, '0')));
}

/**
 * A lazily made property: `make()` on first read, then kept on `obj` as a plain enumerable value
 * (the getter that called it is replaced), so later reads and JSON see the string.
 */
export function memo(obj: object, key: string, make: () => string): string {
  const value = make();
  Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: false });
  return value;
}
