/**
 * Properties of a cipher suite, read off its IANA name, which encodes them
 * (RFC 5246 App. A.5, RFC 8446 §B.4): TLS_<kx>_<auth>_WITH_<cipher>_<mac>,
 * or TLS_<aead>_<hash> for TLS 1.3 suites. Rules use the flags; unknown and
 * GREASE values come back with kind 'unknown' and no flags set.
 */
import { lookupCipherSuite } from './cipherSuites';
import { TLS_1_0, TLS_1_2, TLS_1_3, SSL_3_0 } from './versions';

export interface CipherSuiteFlags {
  /** No encryption (RFC 5246 App. A.5 "NULL" cipher). */
  readonly nullCipher: boolean;
  /** Export-grade (40/56-bit) suites, forbidden from TLS 1.1 on (RFC 4346 App. A.5). */
  readonly export: boolean;
  /** No authentication of the server (DH_anon, ECDH_anon). */
  readonly anon: boolean;
  /** RC4 (prohibited by RFC 7465). */
  readonly rc4: boolean;
  /** Single DES or DES40 (RFC 5469 deprecates them). */
  readonly des: boolean;
  /** Triple DES. */
  readonly tripleDes: boolean;
  /** A block cipher in CBC mode with a separate MAC. */
  readonly cbc: boolean;
  /** An AEAD cipher (GCM, CCM, ChaCha20-Poly1305, AEGIS, MGM). */
  readonly aead: boolean;
  /** Forward secrecy: ephemeral key exchange, or any TLS 1.3 suite. */
  readonly forwardSecret: boolean;
  /** MD5 or SHA-1 as the record MAC. */
  readonly weakMac: boolean;
}

export interface CipherSuiteProperties {
  readonly value: number;
  readonly name: string;
  /** `tls13`: the suite fixes only AEAD and hash; `tls`: TLS 1.0-1.2 form; `signaling`: SCSV. */
  readonly kind: 'tls' | 'tls13' | 'signaling' | 'unknown';
  /** Key exchange: RSA, DHE, DH, ECDHE, ECDH, PSK, DHE_PSK, RSA_PSK, ECDHE_PSK, SRP, KRB5, ECCPWD, GOSTR341112_256, NULL, or 'any' (TLS 1.3). */
  readonly keyExchange: string;
  /** Authentication: RSA, DSS, ECDSA, anon, PSK, KRB5, SRP, NULL, or 'any' (TLS 1.3). */
  readonly authentication: string;
  /** Bulk cipher as named in the suite ("AES_128_GCM", "3DES_EDE_CBC", "NULL"). */
  readonly cipher: string;
  /** Record MAC ("SHA", "SHA256", "MD5"), or "AEAD" for AEAD ciphers. */
  readonly mac: string;
  /** Hash of the PRF / HKDF when the suite names one ("SHA256", "SHA384"). */
  readonly prfHash: string | null;
  /** Lowest protocol version the suite can be used with. */
  readonly minVersion: number;
  /** Highest protocol version the suite can be used with. */
  readonly maxVersion: number;
  /** IANA "Recommended" column is Y (RFC 8447 §8). */
  readonly recommended: boolean;
  readonly flags: CipherSuiteFlags;
}

/** IANA TLS Cipher Suites registry, "Recommended" = Y (RFC 8447 §8 and later assignments). */
const RECOMMENDED: ReadonlySet<number> = new Set([
  0x009e, 0x009f, 0x00aa, 0x00ab, 0x1301, 0x1302, 0x1303, 0x1304, 0xc02b, 0xc02c, 0xc02f, 0xc030, 0xc09e, 0xc09f, 0xc0a6,
  0xc0a7, 0xcca8, 0xcca9, 0xccaa, 0xccac, 0xccad, 0xd001, 0xd002, 0xd005,
]);

const MAC_NAMES: ReadonlySet<string> = new Set(['NULL', 'MD5', 'SHA', 'SHA256', 'SHA384', 'SHA512', 'SM3', 'GOSTR3411', 'IMIT', 'OMAC']);

const NO_FLAGS: CipherSuiteFlags = {
  nullCipher: false,
  export: false,
  anon: false,
  rc4: false,
  des: false,
  tripleDes: false,
  cbc: false,
  aead: false,
  forwardSecret: false,
  weakMac: false,
};

/** Splits "ECDHE_ECDSA" / "DH_anon_EXPORT" / "SRP_SHA_RSA" into key exchange and authentication. */
function splitKeyExchange(kxAuth: string): { keyExchange: string; authentication: string; exportGrade: boolean } {
  const exportGrade = /_EXPORT(1024)?$/.test(kxAuth);
  const base = kxAuth.replace(/_EXPORT(1024)?$/, '');
  const parts = base.split('_');
  if (base === 'NULL') return { keyExchange: 'NULL', authentication: 'NULL', exportGrade };
  if (base === 'RSA') return { keyExchange: 'RSA', authentication: 'RSA', exportGrade };
  if (base === 'PSK') return { keyExchange: 'PSK', authentication: 'PSK', exportGrade };
  if (base === 'KRB5') return { keyExchange: 'KRB5', authentication: 'KRB5', exportGrade };
  if (base === 'ECCPWD') return { keyExchange: 'ECCPWD', authentication: 'ECCPWD', exportGrade };
  if (base === 'GOSTR341112_256') return { keyExchange: 'GOSTR341112_256', authentication: 'GOSTR341112_256', exportGrade };
  if (parts[0] === 'SRP') return { keyExchange: 'SRP', authentication: parts.length > 2 ? parts[2] : 'SRP', exportGrade };
  // RFC 4279 §4: with RSA_PSK the server also proves its certificate's RSA key.
  if (parts[1] === 'PSK') return { keyExchange: `${parts[0]}_PSK`, authentication: parts[0] === 'RSA' ? 'RSA_PSK' : 'PSK', exportGrade };
  return { keyExchange: parts[0], authentication: parts.slice(1).join('_') || parts[0], exportGrade };
}

export function describeCipherSuite(value: number): CipherSuiteProperties {
  // A pure function of a 16-bit value: computed once per value (at most 65,536 entries).
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) return computeCipherSuiteProperties(value);
  let known = DESCRIBED.get(value);
  if (known === undefined) {
    known = Object.freeze(computeCipherSuiteProperties(value));
    DESCRIBED.set(value, known);
  }
  return known;
}

const DESCRIBED = new Map<number, CipherSuiteProperties>();

function computeCipherSuiteProperties(value: number): CipherSuiteProperties {
  const entry = lookupCipherSuite(value);
  const base = {
    value,
    name: entry.name,
    recommended: RECOMMENDED.has(value),
  };
  if (!entry.known || entry.grease || !entry.name.startsWith('TLS_')) {
    return { ...base, kind: 'unknown', keyExchange: 'unknown', authentication: 'unknown', cipher: 'unknown', mac: 'unknown', prfHash: null, minVersion: SSL_3_0, maxVersion: TLS_1_3, flags: NO_FLAGS };
  }
  // Private values carry a note in parentheses: "TLS_..._SHA256 (draft, non-IANA)".
  const body = entry.name.replace(/ \(.*\)$/, '').slice(4);
  if (body.endsWith('_SCSV')) {
    return { ...base, kind: 'signaling', keyExchange: 'NULL', authentication: 'NULL', cipher: 'NULL', mac: 'NULL', prfHash: null, minVersion: SSL_3_0, maxVersion: TLS_1_3, flags: NO_FLAGS };
  }
  const withAt = body.indexOf('_WITH_');
  // RFC 8446 §B.4: TLS_<AEAD>_<HASH>; RFC 9367 names its TLS 1.3 GOST suites with _WITH_ and ends them _MGM_L / _MGM_S.
  const tls13 = withAt < 0 || /_MGM_[LS]$/.test(body);
  const kx = tls13 ? { keyExchange: 'any', authentication: 'any', exportGrade: false } : splitKeyExchange(body.slice(0, withAt));
  const rest = withAt < 0 ? body : body.slice(withAt + 6);
  const tokens = rest.split('_');
  const last = tokens[tokens.length - 1];
  let cipher: string;
  let mac: string;
  let prfHash: string | null = null;
  // RFC 9150: TLS_SHA256_SHA256 / TLS_SHA384_SHA384 authenticate without encrypting (HMAC over the record).
  const integrityOnly = tls13 && /^SHA(256|384)_SHA(256|384)$/.test(rest);
  if (integrityOnly) {
    cipher = 'NULL';
    mac = last;
  } else if (MAC_NAMES.has(last) && tokens.length > 1) {
    cipher = tokens.slice(0, -1).join('_');
    mac = last;
  } else {
    // CCM, CCM_8, MGM_L: the suite names no separate MAC.
    cipher = rest;
    mac = 'AEAD';
  }
  const aead = !integrityOnly && (/GCM|CCM|POLY1305|AEGIS|MGM/.test(cipher) || tls13);
  if (aead) {
    // RFC 5288 §3, RFC 6655 §3: the last token names the PRF hash; CCM suites without one use SHA-256.
    // RFC 9367 §4: the TLS 1.3 GOST suites hash with GOST R 34.11-2012 (256 bits).
    prfHash = mac !== 'AEAD' ? mac : /^GOSTR341112_256_/.test(body) ? 'GOSTR341112_256' : 'SHA256';
    mac = 'AEAD';
  } else if (integrityOnly || mac === 'SHA256' || mac === 'SHA384') {
    prfHash = mac;
  }
  const exportGrade = kx.exportGrade || /(^|_)(DES40|RC4_40|RC2_CBC_40|DES_CBC_40)(_|$)/.test(cipher);
  const anon = kx.authentication === 'anon';
  const flags: CipherSuiteFlags = {
    nullCipher: cipher === 'NULL',
    export: exportGrade,
    anon,
    rc4: cipher.startsWith('RC4'),
    des: /^DES(40)?_CBC|^DES40/.test(cipher),
    tripleDes: cipher.startsWith('3DES'),
    cbc: !aead && cipher.includes('CBC'),
    aead,
    // Ephemeral Diffie-Hellman: DHE/ECDHE (RFC 5246 §7.4.3, RFC 8422 §2), the anonymous
    // DH_anon/ECDH_anon whose server key is sent fresh in ServerKeyExchange (RFC 8422 §2.3),
    // and every TLS 1.3 suite (RFC 8446 §2).
    forwardSecret: tls13 || /^(DHE|ECDHE)/.test(kx.keyExchange) || (anon && /^(DH|ECDH)$/.test(kx.keyExchange)),
    weakMac: mac === 'MD5' || mac === 'SHA',
  };
  // RFC 8446 §B.4: TLS 1.3 suites are TLS 1.3 only. AEAD and SHA-2 MAC suites
  // (RFC 5246 App. A.5, RFC 5288, 5289, 7905) need the TLS 1.2 PRF, as do the
  // GOST suites of RFC 9189. RFC 6101 App. A.6: SSL 3.0 knew only 0x0000-0x001b
  // (and FORTEZZA); every later suite was defined for TLS. RFC 4346 App. A.5:
  // export suites end with TLS 1.0.
  const tls12Only = aead || prfHash !== null || kx.keyExchange === 'GOSTR341112_256';
  const minVersion = tls13 ? TLS_1_3 : tls12Only ? TLS_1_2 : value <= 0x001b ? SSL_3_0 : TLS_1_0;
  const maxVersion = tls13 ? TLS_1_3 : flags.export ? TLS_1_0 : TLS_1_2;
  return {
    ...base,
    kind: tls13 ? 'tls13' : 'tls',
    keyExchange: kx.keyExchange,
    authentication: kx.authentication,
    cipher,
    mac,
    prfHash,
    minVersion,
    maxVersion,
    flags,
  };
}
