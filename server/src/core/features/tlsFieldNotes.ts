/**
 * What each decoded TLS field means, in a sentence or two of our own, with
 * the RFC section that defines it and the IANA registry its values come from.
 * Keyed by the field name the dissector gives (list items "cipher_suites[3]"
 * share the note of their list). Used by hover and by the trace-line hovers.
 */
import type { RegistryEntry } from '../tls/registry/entry';
import {
  alertMeaning,
  lookupAlertDescription,
  lookupAlertLevel,
  lookupCipherSpec,
  lookupCipherSuite,
  lookupCompressionMethod,
  lookupContentType,
  lookupEcPointFormat,
  lookupExtensionType,
  lookupHandshakeType,
  lookupPskKeyExchangeMode,
  lookupSignatureScheme,
  lookupSupportedGroup,
  lookupVersion,
} from '../tls/registry';
import { IANA_TLS_EXTENSIONS, IANA_TLS_PARAMETERS, refRfc, type Reference } from './references';
import { classifyWeakSuite, type WeakClass } from '../rules/checks/helloContent';

export interface FieldNote {
  readonly about: string;
  readonly refs: readonly Reference[];
  /** Registry the field's values come from, when it has one. */
  readonly lookup?: (value: number) => RegistryEntry;
  readonly registry?: Reference;
}

const RECORD = refRfc(5246, '6.2.1');
const RECORD13 = refRfc(8446, '5.1');
const CH = refRfc(5246, '7.4.1.2');
const CH13 = refRfc(8446, '4.1.2');
const SH = refRfc(5246, '7.4.1.3');
const SH13 = refRfc(8446, '4.1.3');
const EXT = refRfc(8446, '4.2');
const SSL2 = refRfc(5246, 'E.2');

const NOTES: Readonly<Record<string, FieldNote>> = {
  record: {
    about: 'One TLS record: a 5-byte header (content type, version, length) followed by that many bytes of content.',
    refs: [RECORD, RECORD13],
  },
  record_header: {
    about: 'The record header says what kind of content follows, which protocol version frames it, and how many bytes it has.',
    refs: [RECORD, RECORD13],
  },
  content_type: {
    about: 'Which sub-protocol the record carries: handshake (22), alert (21), change_cipher_spec (20) or application_data (23).',
    refs: [RECORD, RECORD13],
    lookup: lookupContentType,
    registry: IANA_TLS_PARAMETERS,
  },
  version: {
    about:
      'The protocol version written in this header. In a record header it only frames the bytes; the version the client offers is client_version (or supported_versions in TLS 1.3).',
    refs: [RECORD, RECORD13],
    lookup: lookupVersion,
  },
  record_length: {
    about: 'Number of bytes of the record body that follow the header (at most 2^14 for plaintext).',
    refs: [RECORD],
  },
  sslv2_record_length: {
    about:
      'SSLv2 record header: the high bit set marks a 2-byte header with no padding, and the other 15 bits count the bytes that follow. This header format is what makes a hello "SSLv2-compatible".',
    refs: [SSL2, refRfc(6176, '3')],
  },
  sslv2_client_version: {
    about:
      'The highest protocol version the client offers in its SSLv2-compatible hello. The 2001 STARTTLS last-call proposal required at least 3.1 (TLS 1.0) here; 0x0002 means SSL 2.0 itself, which RFC 6176 forbids.',
    refs: [SSL2, refRfc(6176, '3')],
    lookup: lookupVersion,
  },
  length: {
    about: 'Number of bytes that follow in the enclosing structure (record body, handshake body or extension).',
    refs: [RECORD, refRfc(8446, '4')],
  },
  Handshake: {
    about: 'A handshake message: a 1-byte type, a 3-byte length, then the message body.',
    refs: [refRfc(5246, '7.4'), refRfc(8446, '4')],
  },
  msg_type: {
    about: 'The handshake message type: 1 ClientHello, 2 ServerHello, 11 Certificate, 16 ClientKeyExchange, 20 Finished, and so on.',
    refs: [refRfc(5246, '7.4'), refRfc(8446, '4')],
    lookup: lookupHandshakeType,
    registry: IANA_TLS_PARAMETERS,
  },
  ClientHello: {
    about: 'The first message of the handshake: the versions, cipher suites, compression methods and extensions the client is willing to use.',
    refs: [CH, CH13],
  },
  ServerHello: {
    about: "The server's answer to the ClientHello: the version, cipher suite and compression it picked, and its extensions.",
    refs: [SH, SH13],
  },
  HelloRetryRequest: {
    about: 'A ServerHello with a fixed random that asks the client to send a new ClientHello (TLS 1.3), usually with a different key share.',
    refs: [refRfc(8446, '4.1.4')],
  },
  client_version: {
    about:
      'The highest version the client supports (legacy_version in TLS 1.3, where it is frozen at 0x0303 and the real offer moves to supported_versions). After STARTTLS it must be at least 0x0301, TLS 1.0.',
    refs: [CH, CH13, refRfc(7568, '3')],
    lookup: lookupVersion,
  },
  server_version: {
    about: 'The version the server selected (legacy_version in TLS 1.3, where it stays 0x0303 and supported_versions carries the choice).',
    refs: [SH, SH13],
    lookup: lookupVersion,
  },
  random: {
    about:
      '32 bytes chosen by the sender for this handshake; they enter the key derivation. A TLS 1.3 server that has to fall back writes a downgrade marker into the last 8 bytes.',
    refs: [CH, SH13],
  },
  session_id_length: { about: 'Length of the session_id that follows (0 to 32 bytes).', refs: [CH] },
  session_id: {
    about:
      'Identifies an earlier session the client wants to resume (empty for a new session). TLS 1.3 clients send a random value here for middlebox compatibility.',
    refs: [CH, CH13],
  },
  cipher_suites_length: { about: 'Length in bytes of the cipher suite list (two bytes per suite).', refs: [CH] },
  cipher_suites: {
    about: "The client's cipher suites, most preferred first. Each suite is two bytes and names a key exchange, a bulk cipher and a hash.",
    refs: [CH, CH13],
    lookup: lookupCipherSuite,
    registry: IANA_TLS_PARAMETERS,
  },
  cipher_suite: {
    about: 'The one cipher suite the server chose from the client list.',
    refs: [SH, SH13],
    lookup: lookupCipherSuite,
    registry: IANA_TLS_PARAMETERS,
  },
  compression_methods_length: { about: 'Length in bytes of the compression method list.', refs: [CH] },
  compression_methods: {
    about: 'Compression methods the client accepts. The list must contain null (0); anything else has been unsafe since the CRIME attack.',
    refs: [CH, refRfc(7457, '2.6')],
    lookup: lookupCompressionMethod,
    registry: IANA_TLS_PARAMETERS,
  },
  compression_method: {
    about: 'The compression method the server chose; only null (0) is safe.',
    refs: [SH, refRfc(7457, '2.6')],
    lookup: lookupCompressionMethod,
    registry: IANA_TLS_PARAMETERS,
  },
  extensions_length: { about: 'Length in bytes of the whole extension block.', refs: [refRfc(5246, '7.4.1.4'), EXT] },
  extensions: {
    about: 'Optional features the sender asks for or agrees to, each a type, a length and data.',
    refs: [refRfc(5246, '7.4.1.4'), EXT],
  },
  extension_type: {
    about: 'Which extension this is. Unknown types must be ignored by the receiver; GREASE values exist to make sure they are.',
    refs: [EXT],
    lookup: lookupExtensionType,
    registry: IANA_TLS_EXTENSIONS,
  },
  extension_data_length: { about: 'Length in bytes of this extension’s data.', refs: [EXT] },
  extension_data: { about: 'The body of an extension the decoder does not take apart.', refs: [EXT] },
  server_name_list_length: { about: 'Length in bytes of the server_name list.', refs: [refRfc(6066, '3')] },
  server_name_list: { about: 'The names the client wants to reach (SNI); in practice one host name.', refs: [refRfc(6066, '3')] },
  name_type: { about: 'Kind of server name; 0 is host_name, the only one defined.', refs: [refRfc(6066, '3')] },
  host_name_length: { about: 'Length of the host name.', refs: [refRfc(6066, '3')] },
  host_name: {
    about: 'The DNS name of the server the client is connecting to, in ASCII, without a trailing dot; IP addresses are not allowed here.',
    refs: [refRfc(6066, '3')],
  },
  named_group_list_length: { about: 'Length in bytes of the group list.', refs: [refRfc(8446, '4.2.7')] },
  named_group_list: {
    about: 'The key-exchange groups (elliptic curves and finite-field groups) the client supports, most preferred first.',
    refs: [refRfc(8446, '4.2.7'), refRfc(8422, '5.1.1')],
    lookup: lookupSupportedGroup,
    registry: IANA_TLS_PARAMETERS,
  },
  ec_point_format_list_length: { about: 'Length of the point format list.', refs: [refRfc(8422, '5.1.2')] },
  ec_point_format_list: {
    about: 'Encodings of elliptic-curve points the sender can parse; uncompressed (0) is the one everyone must support.',
    refs: [refRfc(8422, '5.1.2')],
    lookup: lookupEcPointFormat,
    registry: IANA_TLS_PARAMETERS,
  },
  supported_signature_algorithms_length: { about: 'Length in bytes of the signature scheme list.', refs: [refRfc(8446, '4.2.3')] },
  supported_signature_algorithms: {
    about: 'Signature schemes the client accepts in the handshake, most preferred first (in TLS 1.2 a hash byte and a signature byte).',
    refs: [refRfc(8446, '4.2.3'), refRfc(5246, '7.4.1.4.1')],
    lookup: lookupSignatureScheme,
    registry: IANA_TLS_PARAMETERS,
  },
  versions: {
    about: 'TLS 1.3 supported_versions: the versions the client really offers, most preferred first. When present it overrides client_version.',
    refs: [refRfc(8446, '4.2.1')],
    lookup: lookupVersion,
  },
  selected_version: {
    about: 'The version a TLS 1.3 server really selected, from the client’s supported_versions.',
    refs: [refRfc(8446, '4.2.1')],
    lookup: lookupVersion,
  },
  client_shares_length: { about: 'Length in bytes of the key share list.', refs: [refRfc(8446, '4.2.8')] },
  client_shares: { about: 'Key shares the client precomputed, one per group, so TLS 1.3 can finish in one round trip.', refs: [refRfc(8446, '4.2.8')] },
  group: {
    about: 'The group a key share belongs to.',
    refs: [refRfc(8446, '4.2.8')],
    lookup: lookupSupportedGroup,
    registry: IANA_TLS_PARAMETERS,
  },
  selected_group: {
    about: 'The group a server asks the client to use in a HelloRetryRequest.',
    refs: [refRfc(8446, '4.2.8')],
    lookup: lookupSupportedGroup,
    registry: IANA_TLS_PARAMETERS,
  },
  key_exchange_length: { about: 'Length of the public key share.', refs: [refRfc(8446, '4.2.8')] },
  key_exchange: { about: 'The public key share itself (an ECDH point or finite-field value).', refs: [refRfc(8446, '4.2.8')] },
  ke_modes: {
    about: 'Ways a resumed TLS 1.3 session may derive keys: psk_ke (no new key exchange) or psk_dhe_ke (with one).',
    refs: [refRfc(8446, '4.2.9')],
    lookup: lookupPskKeyExchangeMode,
    registry: IANA_TLS_PARAMETERS,
  },
  protocol_name_list_length: { about: 'Length of the ALPN protocol list.', refs: [refRfc(7301, '3.1')] },
  protocol_name_list: { about: 'Application protocols the client can speak over this connection (ALPN), most preferred first.', refs: [refRfc(7301, '3.1')] },
  renegotiated_connection_length: { about: 'Length of the renegotiation data (0 on an initial handshake).', refs: [refRfc(5746, '3.2')] },
  renegotiated_connection: {
    about: 'Finished data of the previous handshake; empty on a first handshake. It ties a renegotiation to the connection it renegotiates.',
    refs: [refRfc(5746, '3.2')],
  },
  record_size_limit: {
    about:
      'The largest record (in bytes of plaintext) the sender is willing to receive. It must be at least 64: a smaller value is forbidden, and the peer aborts the handshake with illegal_parameter. The maximum useful value is 2^14 (2^14 + 1 in TLS 1.3, counting the content type byte).',
    refs: [refRfc(8449, '4')],
  },
  padding_length: { about: 'Length of the padding extension, which only makes the hello larger.', refs: [refRfc(7685, '3')] },
  // ServerKeyExchange and ClientKeyExchange (TLS 1.2 and earlier).
  dh_p: {
    about:
      'The prime modulus of the finite-field Diffie-Hellman group the server chose; its size is the strength of the key exchange. ' +
      'BCP 195 recommends at least 2048 bits: 1024-bit groups can be broken by precomputation (Logjam).',
    refs: [refRfc(5246, '7.4.3'), refRfc(7525, '4.3')],
  },
  dh_g: { about: 'The generator of the Diffie-Hellman group (usually 2).', refs: [refRfc(5246, '7.4.3')] },
  dh_Ys: { about: "The server's ephemeral Diffie-Hellman public value, g^Xs mod p.", refs: [refRfc(5246, '7.4.3')] },
  dh_Yc: { about: "The client's ephemeral Diffie-Hellman public value, g^Xc mod p.", refs: [refRfc(5246, '7.4.7.2')] },
  curve_type: {
    about: 'How the server names its elliptic curve: named_curve (3), a group from the registry; the explicit forms (1, 2) are deprecated.',
    refs: [refRfc(8422, '5.4')],
  },
  named_curve: {
    about: 'The elliptic curve (group) of the ECDHE key exchange. BCP 195 says curves under 192 bits should not be used.',
    refs: [refRfc(8422, '5.4'), refRfc(7525, '4.3')],
    lookup: lookupSupportedGroup,
    registry: IANA_TLS_PARAMETERS,
  },
  public: { about: "The server's ephemeral ECDH public key (an encoded curve point).", refs: [refRfc(8422, '5.4')] },
  ecdh_Yc: { about: "The client's ephemeral ECDH public key (an encoded curve point).", refs: [refRfc(8422, '5.7')] },
  signature_algorithm: {
    about: 'The signature scheme of the signature that follows (TLS 1.2 and later).',
    refs: [refRfc(5246, '4.7'), refRfc(8446, '4.2.3')],
    lookup: lookupSignatureScheme,
    registry: IANA_TLS_PARAMETERS,
  },
  signature: { about: "A signature by the sender's certificate key, proving it holds the key (over the key exchange parameters and both randoms, or the handshake so far).", refs: [refRfc(5246, '7.4.3'), refRfc(8446, '4.4.3')] },
  encrypted_pre_master_secret: { about: "The premaster secret encrypted with the server's RSA key (RSA key exchange: no forward secrecy).", refs: [refRfc(5246, '7.4.7.1')] },
  psk_identity_hint: { about: 'A hint from the server about which pre-shared key to use.', refs: [refRfc(4279, '2')] },
  psk_identity: { about: 'The name of the pre-shared key the client uses.', refs: [refRfc(4279, '2')] },
  Alert: { about: 'An alert: a level (warning or fatal) and a description of what went wrong.', refs: [refRfc(5246, '7.2'), refRfc(8446, '6')] },
  level: {
    about: 'How serious the alert is: 1 warning, 2 fatal. A fatal alert ends the connection.',
    refs: [refRfc(5246, '7.2'), refRfc(8446, '6')],
    lookup: lookupAlertLevel,
  },
  description: {
    about: 'Why the sender raised the alert.',
    refs: [refRfc(5246, '7.2'), refRfc(8446, '6.2')],
    lookup: lookupAlertDescription,
    registry: IANA_TLS_PARAMETERS,
  },
  change_cipher_spec: {
    about: 'Tells the peer that the following records are protected with the keys just negotiated. In TLS 1.3 it is only sent for middlebox compatibility.',
    refs: [refRfc(5246, '7.1'), refRfc(8446, 'D.4')],
  },
  encrypted_data: { about: 'Encrypted record content; the capture does not carry the keys to read it.', refs: [RECORD13] },
  body: { about: 'Message body the decoder shows as raw bytes.', refs: [refRfc(5246, '7.4')] },
  handshake_fragment: { about: 'Part of a handshake message that continues in another record.', refs: [refRfc(5246, '6.2.1')] },
  certificate_length: { about: 'Length of the certificate data.', refs: [refRfc(5246, '7.4.2')] },
  certificate: { about: 'A DER-encoded X.509 certificate of the sender.', refs: [refRfc(5246, '7.4.2'), refRfc(8446, '4.4.2')] },
  trailing_bytes: { about: 'Bytes after the end of the structure that no field accounts for.', refs: [refRfc(8446, '4')] },
  cipher_specs_length: { about: 'SSLv2-compatible hello: length of the cipher spec list (three bytes per spec).', refs: [SSL2] },
  cipher_spec_length: { about: 'SSLv2-compatible hello: length of the cipher spec list (three bytes per spec).', refs: [SSL2] },
  cipher_specs: {
    about: 'SSLv2-compatible hello: cipher specs of three bytes; those starting with 00 are TLS cipher suites, the others SSL 2.0 kinds.',
    refs: [SSL2],
    lookup: lookupCipherSpec,
    registry: IANA_TLS_PARAMETERS,
  },
  challenge_length: { about: 'SSLv2-compatible hello: length of the challenge (16 to 32 bytes).', refs: [SSL2] },
  challenge: { about: 'SSLv2-compatible hello: the client random, right-aligned into the 32-byte TLS random.', refs: [SSL2] },
  connection_id: { about: 'SSL 2.0 connection id chosen by the server.', refs: [refRfc(6176)] },
  session_id_hit: { about: 'SSL 2.0 SERVER-HELLO: non-zero when the server resumes the session.', refs: [refRfc(6176)] },
  certificate_type: { about: 'SSL 2.0 SERVER-HELLO: type of the certificate that follows.', refs: [refRfc(6176)] },
};

/** Name of the list or field a node belongs to: "cipher_suites[3]" → "cipher_suites". */
export function baseFieldName(name: string): string {
  const i = name.indexOf('[');
  return i > 0 ? name.slice(0, i) : name;
}

/** The note for a field name (list items share their list's note), or undefined. */
export function findFieldNote(name: string): FieldNote | undefined {
  const base = baseFieldName(name);
  if (Object.prototype.hasOwnProperty.call(NOTES, base)) return NOTES[base];
  if (base.endsWith('_length')) return { about: 'Length in bytes of the field that follows.', refs: [] };
  return undefined;
}

export interface ValueNote {
  readonly text: string;
  readonly refs: readonly Reference[];
}

/** A remark on one particular value of a field (a deprecated version, a signalling suite, GREASE), or null. */
export function describeFieldValue(name: string, value: number, entry: RegistryEntry | undefined): ValueNote | null {
  const base = baseFieldName(name);
  if (entry?.grease) {
    return { text: 'A GREASE value: deliberately meaningless, sent so that peers keep ignoring values they do not know.', refs: [refRfc(8701, '2')] };
  }
  if (isVersionField(base)) return describeVersionValue(value);
  if (base === 'cipher_suites' || base === 'cipher_suite' || (base === 'cipher_specs' && value >>> 16 === 0)) {
    return describeCipherSuite(value & 0xffff, entry?.name ?? '');
  }
  if (base === 'description') {
    const m = alertMeaning(value);
    if (m) return { text: m.text, refs: [refRfc(m.rfc, m.section)] };
  }
  if (base === 'compression_methods' || base === 'compression_method') {
    if (value === 1) return { text: 'DEFLATE compresses the plaintext before encryption, which leaks secrets through ciphertext lengths (CRIME).', refs: [refRfc(7457, '2.6')] };
  }
  return null;
}

function isVersionField(base: string): boolean {
  return base === 'version' || base === 'client_version' || base === 'server_version' || base === 'versions' || base === 'selected_version';
}

function describeVersionValue(value: number): ValueNote | null {
  switch (value) {
    case 0x0002:
      return { text: 'SSL 2.0, prohibited since 2011.', refs: [refRfc(6176, '3')] };
    case 0x0300:
      return { text: 'SSL 3.0, prohibited since 2015 (POODLE and other weaknesses).', refs: [refRfc(7568, '3')] };
    case 0x0301:
    case 0x0302:
      return { text: 'Deprecated since 2021; peers should negotiate TLS 1.2 or 1.3.', refs: [refRfc(8996, '4')] };
    case 0x0303:
      return { text: 'TLS 1.2 (in a TLS 1.3 hello this is the frozen legacy value).', refs: [refRfc(5246), refRfc(8446, '4.1.2')] };
    case 0x0304:
      return { text: 'TLS 1.3; only ever carried in supported_versions.', refs: [refRfc(8446, '4.2.1')] };
    default:
      return null;
  }
}

/** Explains a cipher suite from the parts of its IANA name (TLS_<kx>_WITH_<cipher>_<hash>). */
export function describeCipherSuite(value: number, name: string): ValueNote | null {
  if (value === 0x00ff) {
    return { text: 'Not a real suite: the client signals that it supports secure renegotiation (it stands in for an empty renegotiation_info).', refs: [refRfc(5746, '3.3')] };
  }
  if (value === 0x5600) {
    return { text: 'Not a real suite: the client says this is a retry at a lower version; a server that could do better must refuse.', refs: [refRfc(7507, '2')] };
  }
  // (Registry names of suites IANA never listed carry a remark: "TLS_RSA_EXPORT1024_WITH_RC4_56_MD5 (draft, non-IANA)".)
  const m = /^TLS_(?:(.+?)_WITH_)?(.+)$/.exec(name.replace(/ \([^)]*\)$/, ''));
  if (!m) return null;
  const [, kx, rest] = m;
  // The last part is a hash or a MAC; a name without one ends in its AEAD mode (AES_128_CCM_8 of RFC 6655, GOST's KUZNYECHIK_MGM_L).
  const t = /^(.+)_(MD5|SHA|SHA256|SHA384|SHA512|SM3|GOSTR3411|NULL|IMIT|OMAC)$/.exec(rest);
  const parts: string[] = [];
  if (kx) parts.push(`key exchange ${describeKeyExchange(kx)}`);
  else parts.push('key exchange and authentication from the TLS 1.3 handshake, not from the suite');
  parts.push(`cipher ${(t ? t[1] : rest).replace(/_/g, '-')}`);
  if (!t) parts.push('an AEAD cipher, no separate MAC');
  else parts.push(t[2] === 'NULL' ? 'no MAC' : t[2] === 'IMIT' || t[2] === 'OMAC' ? `MAC ${t[2]}` : `hash ${t[2]}`);
  let text = parts.join('; ') + '.';
  const { remarks, refs } = describeWeakness(name);
  if (remarks.length > 0) text += ` ${remarks.join(' ')}`;
  return { text: text.charAt(0).toUpperCase() + text.slice(1), refs };
}

function describeKeyExchange(kx: string): string {
  const names: Record<string, string> = {
    RSA: 'RSA key transport (no forward secrecy)',
    ECDHE_RSA: 'ephemeral ECDH, RSA-signed (forward secret)',
    ECDHE_ECDSA: 'ephemeral ECDH, ECDSA-signed (forward secret)',
    DHE_RSA: 'ephemeral finite-field DH, RSA-signed (forward secret)',
    DHE_DSS: 'ephemeral finite-field DH, DSA-signed (forward secret)',
    ECDH_anon: 'anonymous ECDH (no server authentication)',
    DH_anon: 'anonymous DH (no server authentication)',
    PSK: 'pre-shared key',
    ECDHE_PSK: 'ephemeral ECDH with a pre-shared key',
    DHE_PSK: 'ephemeral DH with a pre-shared key',
    RSA_PSK: 'RSA with a pre-shared key',
  };
  return names[kx] ?? kx.replace(/_/g, ' ');
}

/** What the weak-suite rules hold against each class (tls-weak-cipher-offered/-selected), in their order. */
const WEAK_CLASS_REMARKS: Readonly<Record<WeakClass, readonly [string, Reference]>> = {
  NULL: ['It does not encrypt at all.', refRfc(9325, '4.1')],
  EXPORT: ['An export-grade suite with deliberately short keys; broken.', refRfc(9325, '4.1')],
  anon: ['Nobody is authenticated, so an active attacker can sit in the middle.', refRfc(5246, 'A.5')],
  DES: ['Single DES: 56-bit keys, broken.', refRfc(9325, '4.1')],
  RC4: ['RC4 is prohibited in TLS.', refRfc(7465, '2')],
};

/**
 * The remarks of the rules' classifier (rules/checks/helloContent.ts classifyWeakSuite), so a hover
 * calls weak what the rules flag; and 3DES, which they do not flag: advice, not a finding.
 */
function describeWeakness(name: string): { remarks: string[]; refs: Reference[] } {
  const remarks: string[] = [];
  const refs: Reference[] = [];
  for (const c of classifyWeakSuite(name)) {
    const [remark, ref] = WEAK_CLASS_REMARKS[c];
    remarks.push(remark);
    if (!refs.some((r) => r.url === ref.url)) refs.push(ref);
  }
  if (/3DES|DES_192_EDE3/.test(name)) {
    remarks.push('3DES has 64-bit blocks (SWEET32) and 112-bit security, below the 128 bits RFC 9325 asks for; not flagged by the weak-suite rules.');
    if (!refs.some((r) => r.label === 'RFC 9325 §4.1')) refs.push(refRfc(9325, '4.1'));
  }
  return { remarks, refs };
}
