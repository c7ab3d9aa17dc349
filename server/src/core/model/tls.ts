/**
 * The decoded TLS model. Every position is a byte index into the ByteView the
 * stream was decoded from (see bytes/byteView.ts), so any field maps back to
 * its exact hex pairs in the document.
 */

/** A decoded field: the unit hover, semantic tokens and diagnostics point at. */
export interface FieldNode {
  /** Field name as in the RFC presentation language ("client_version", "cipher_suites[3]"). */
  readonly name: string;
  /** Byte span [start, end) in the stream view. */
  readonly start: number;
  readonly end: number;
  /** Raw numeric value, or hex string for opaque data. */
  readonly value?: number | string;
  /** Human name of the value ("TLS 1.2", "TLS_AES_128_GCM_SHA256"). */
  readonly display?: string;
  /** Kind for highlighting: header, length, version, list, opaque, enum. */
  readonly kind?: FieldKind;
  readonly children?: readonly FieldNode[];
}

export type FieldKind = 'header' | 'length' | 'version' | 'list' | 'opaque' | 'enum' | 'container';

/**
 * `truncated`: the bytes end before a declared length is reached (a cut capture).
 * `malformed`: inside the bytes that are present, lengths or values do not fit.
 */
export interface TlsProblem {
  readonly kind: 'truncated' | 'malformed';
  readonly message: string;
  /** Byte span [start, end) of the offending bytes in the stream view. */
  readonly start: number;
  readonly end: number;
  /** For truncation: how many bytes are missing. */
  readonly missing?: number;
}

export interface TlsExtension {
  readonly type: number;
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** The decoded extension_data by name ("hostNames", "groups", "clientShares"...), for JSON and rules. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface ClientHelloMessage {
  readonly type: 1;
  readonly name: 'ClientHello';
  /** `tls`: TLS/SSL 3.0 format; `sslv2`: SSLv2-compatible (RFC 5246 App. E.2). */
  readonly form: 'tls' | 'sslv2';
  /** client_version (TLS form) or version (SSLv2-compatible form), e.g. 0x0303. */
  readonly version: number;
  /** Byte span of that version field. */
  readonly versionSpan: { readonly start: number; readonly end: number };
  readonly random: string;
  readonly sessionId: string;
  /** TLS form only. */
  readonly cipherSuites?: readonly number[];
  /** SSLv2-compatible form only: 24-bit cipher specs. */
  readonly cipherSpecs?: readonly number[];
  /** SSLv2-compatible form only. */
  readonly challenge?: string;
  readonly compressionMethods: readonly number[];
  readonly extensions: readonly TlsExtension[];
  readonly serverName: string | null;
  readonly supportedVersions: readonly number[] | null;
  readonly alpn: readonly string[] | null;
  readonly ja3: string;
  readonly ja4: string;
  readonly start: number;
  readonly end: number;
  readonly field: FieldNode;
  /** supported_groups values in wire order (TLS form; null when the extension is absent). */
  readonly supportedGroups?: readonly number[] | null;
  /** signature_algorithms values in wire order (null when the extension is absent). */
  readonly signatureAlgorithms?: readonly number[] | null;
  /** ec_point_formats values (null when the extension is absent). */
  readonly ecPointFormats?: readonly number[] | null;
  /** True when the bytes ended inside the message: fields are what was present. */
  readonly incomplete?: boolean;
}

export interface ServerHelloMessage {
  readonly type: 2;
  readonly name: 'ServerHello' | 'HelloRetryRequest';
  readonly version: number;
  readonly versionSpan: { readonly start: number; readonly end: number };
  readonly random: string;
  readonly sessionId: string;
  readonly cipherSuite: number;
  readonly compressionMethod: number;
  readonly extensions: readonly TlsExtension[];
  readonly selectedVersion: number | null;
  readonly ja3s: string;
  readonly start: number;
  readonly end: number;
  readonly field: FieldNode;
  /** The protocol chosen through ALPN (null when the extension is absent). */
  readonly alpn?: readonly string[] | null;
  /** True when the bytes ended inside the message: fields are what was present. */
  readonly incomplete?: boolean;
}

export interface OtherHandshakeMessage {
  readonly type: number;
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly field: FieldNode;
  /** Further decoded values, by name (issue 4 adds them). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** True when the bytes ended inside the message. */
  readonly incomplete?: boolean;
}

export type HandshakeMessage = ClientHelloMessage | ServerHelloMessage | OtherHandshakeMessage;

export interface TlsAlert {
  readonly level: number;
  readonly description: number;
  readonly name: string;
}

export interface TlsRecord {
  /** `tls`: 5-byte header; `sslv2`: SSLv2 2- or 3-byte header. */
  readonly format: 'tls' | 'sslv2';
  readonly contentType: number;
  /** Record-layer version (0x0002 for SSLv2 records). */
  readonly version: number;
  /** Declared length of the record body. */
  readonly length: number;
  /** Byte span of the whole record in the stream view (may end early when truncated). */
  readonly start: number;
  readonly end: number;
  /** True when the record body was not shown (openssl -msg header of an encrypted record). */
  readonly bodyNotShown?: boolean;
  /** True for decrypted inner content shown by the tool (no wire header). */
  readonly decrypted?: boolean;
  /** True when the body is encrypted (after ChangeCipherSpec, application_data): shown, not decoded. */
  readonly encrypted?: boolean;
  readonly messages: readonly HandshakeMessage[];
  readonly alert?: TlsAlert;
  readonly field: FieldNode;
}

export interface DecodedTlsStream {
  readonly records: readonly TlsRecord[];
  readonly problems: readonly TlsProblem[];
}
