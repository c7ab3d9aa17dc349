/**
 * What a format reader produces from a document: sessions of SMTP lines and
 * hex-dumped bytes, each tied to its place in the document. Every reader
 * (C:/S: transcripts, openssl -msg, xxd, hexdump -C, hex streams, ...) emits
 * this one model; everything after reading (TLS decoding, rules, hover)
 * works on it and never on the raw format.
 *
 * Offsets are document offsets in UTF-16 code units; lines are 0-based.
 */
import type { ByteView } from '../bytes/byteView';
import type { CertificateSummary } from '../tls/certificateFacts';
import type { CertificateLayout } from '../tls/certificateLayout';

/** A part of a certificate (RFC 5280 §4.1): tbsCertificate's fields, the subjectAltName extension, the outer signature. */
export type CertificatePart = keyof CertificateLayout;

export type Direction = 'client' | 'server';

/** Where a piece of text sits in the document. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

export interface SmtpCommandEvent {
  readonly kind: 'command';
  readonly line: number;
  /** Upper-cased verb ("EHLO", "STARTTLS", "MAIL"); empty for an empty line. */
  readonly verb: string;
  /** Everything after the verb and its separating space, as written. */
  readonly argument: string;
  /** The command text without direction prefix and line ending. */
  readonly span: TextSpan;
  /** Inside TLS (swaks `~>`, lines after a handshake in openssl/gnutls output). */
  readonly inTls: boolean;
  /**
   * A line of message content sent after a 354 reply (up to and including the lone ".");
   * its verb and argument are then just the line split at the first space.
   */
  readonly dataLine?: boolean;
  /**
   * How the line ended on the wire, where the format shows it ('\r\n', '\n', '\r';
   * '' for a last line cut off without one). Absent when the format does not keep it.
   */
  readonly lineEnding?: string;
  /**
   * A client line inside an AUTH exchange (the answer to a 334 challenge): it carries
   * credentials; verb is '' and argument the line as written (never decoded).
   */
  readonly authPayload?: boolean;
  /**
   * Document span of the credentials in this line (AUTH initial response, or the whole
   * AUTH continuation line): mask it wherever the line is shown.
   */
  readonly secretSpan?: TextSpan;
  /** The bytes the line was read from, when the format shows it as hex (span then covers the hex pairs). */
  readonly view?: ByteView;
}

export interface SmtpReplyLine {
  readonly line: number;
  /** Reply text after the code and separator. */
  readonly text: string;
  /** The whole reply line without direction prefix and line ending. */
  readonly span: TextSpan;
  /** The three code digits as written ("250"); may be malformed. */
  readonly codeText: string;
  /** '-' continues the reply, ' ' or '' ends it. */
  readonly separator: string;
  /** RFC 3463 enhanced status code at the start of the text ("2.0.0"), when present. */
  readonly enhancedCode?: string;
  /** How the line ended on the wire, where the format shows it (see SmtpCommandEvent.lineEnding). */
  readonly lineEnding?: string;
  /** The bytes the line was read from, when the format shows it as hex (span then covers the hex pairs). */
  readonly view?: ByteView;
}

export interface SmtpReplyEvent {
  readonly kind: 'reply';
  /** Line of the first reply line. */
  readonly line: number;
  /** Code of the first line; NaN when it is not three digits. */
  readonly code: number;
  /** Reply text of each line (after "250-" / "250 "). */
  readonly lines: readonly string[];
  readonly parts: readonly SmtpReplyLine[];
  readonly inTls: boolean;
  /** Enhanced status code of the first line ("5.1.1"), when present. */
  readonly enhancedCode?: string;
}

/**
 * How the bytes of a run relate to the wire:
 * - `stream`: TCP payload as sent; consecutive runs of one direction join into one byte stream.
 * - `record-header-only`: a record header whose body the tool did not show as sent
 *   (openssl -msg prints the decrypted content of encrypted records instead).
 * - `decrypted`: plaintext content of an encrypted record, without record header
 *   (`contentType` says which content type it is).
 */
export type ByteRunRole = 'stream' | 'record-header-only' | 'decrypted';

export interface ByteRunEvent {
  readonly kind: 'bytes';
  readonly line: number;
  readonly endLine: number;
  readonly direction: Direction | null;
  readonly view: ByteView;
  /** Layout the bytes were read from: 'cs', 'openssl-msg', 'xxd', 'hexdump-C', 'hexstream', ... */
  readonly layout: string;
  readonly role: ByteRunRole;
  /** Content type stated by the tool for `decrypted` runs (22 handshake, 21 alert, ...). */
  readonly contentType?: number;
  /** Protocol version stated by the tool for `decrypted` runs (openssl -msg "TLS 1.3, Handshake": 0x0304). */
  readonly tlsVersion?: number;
}

/** Bytes that were on the wire but are not shown (`C: <1234 bytes of TLS records>`). */
export interface ByteGapEvent {
  readonly kind: 'gap';
  readonly line: number;
  readonly direction: Direction | null;
  /** Number of bytes left out, when the format says. */
  readonly length: number | null;
  readonly span: TextSpan;
  /**
   * Why the bytes are not shown, when the format says: 'not-captured' when the capture lost
   * them (`C: <1374 bytes not captured>`, as a capture import writes for a TCP hole), as
   * opposed to bytes a tool or writer chose to summarise (`C: <1234 bytes of TLS records>`,
   * where this stays absent).
   */
  readonly cause?: 'not-captured';
  /** The reason stated with a not-captured gap (`<N bytes not captured (reason)>`), when given. */
  readonly reason?: string;
  /** The layout of the dump that left the bytes out ('openssl-debug', as ByteRunEvent.layout), where the reader says. */
  readonly layout?: string;
}

/** What a redacted or masked credential is replaced with (features/credentials.ts; a reader's note on a credential printed in clear). */
export const CREDENTIAL_MASK = '********';

/** A fact the tool states in words: "TLS started", "<starts TLS negotiation>", a handshake finished, when the session started. */
export interface NoteEvent {
  readonly kind: 'note';
  readonly line: number;
  readonly note: 'tls-start' | 'tls-established' | 'connection-closed' | 'session-time' | 'other';
  readonly text: string;
  readonly span: TextSpan;
  /** For `connection-closed`: the side that closed, when the tool says (the other may still send). */
  readonly closedBy?: Direction;
  /**
   * For `session-time`: when the session took place, in ms since the epoch: when its TLS session started as the tool
   * states it (s_client's `Start Time:`), or the timestamp of the session's first log line (`fromLogLine`).
   */
  readonly time?: number;
  /** For `session-time`: the time is the timestamp of the session's first line in a log (an RFC 3339 syslog timestamp). */
  readonly fromLogLine?: true;
  /**
   * A credential the tool prints in clear beside what went on the wire (Net::SMTP's `(decoded) PASSWORD` during AUTH):
   * where it is. It is masked as the AUTH lines are (features/credentials.ts); the note's text has it masked already.
   */
  readonly credential?: TextSpan;
}

/**
 * TLS facts a tool states only in words (openssl -trace decode lines, gnutls-cli -d,
 * curl -v, swaks `=== TLS started with cipher`, postfix "TLS connection established",
 * tshark -V): no bytes stand behind them, so they carry `statedByTool: true` and the
 * document span of each value so that a rule can point at the words.
 */
export interface StatedEvent {
  readonly kind: 'stated';
  readonly line: number;
  readonly direction: Direction | null;
  readonly statedByTool: true;
  /**
   * What the statement is about: one record ('record', with its content when the tool
   * decodes it: 'client-hello', 'server-hello', 'alert', 'handshake'), or the outcome of
   * the handshake ('negotiated'), or a certificate the tool prints in PEM ('certificate'), or the
   * tool's verdict on a certificate it verified ('certificate-verdict'), or the key exchange's group
   * ('key-exchange', where the tool states it apart from the version and cipher).
   */
  readonly subject: 'record' | 'client-hello' | 'server-hello' | 'handshake' | 'alert' | 'negotiated' | 'certificate' | 'certificate-verdict' | 'key-exchange';
  /** The statement's lines, first to last. */
  readonly span: TextSpan;
  /** Short text of the statement's first line, for display. */
  readonly text: string;
  /** Record-layer version (TLSPlaintext.version) as stated: 0x0301. */
  readonly recordVersion?: number;
  readonly contentType?: number;
  /** Record or message length as stated. */
  readonly length?: number;
  readonly handshakeType?: number;
  /** client_version / server_version of a hello, or the negotiated version. */
  readonly version?: number;
  /** Version label the tool prints for its connection (curl's "TLSv1.3 (OUT)"): not a wire field. */
  readonly labelVersion?: number;
  readonly cipherSuites?: readonly number[];
  readonly cipherSuite?: number;
  /** Cipher name as the tool writes it ("TLS_AES_256_GCM_SHA384", "GNUTLS_AES_256_GCM_SHA384"). */
  readonly cipherName?: string;
  /**
   * The negotiated algorithms as GnuTLS describes them after the version (msmtp, gnutls-cli,
   * Exim): "(RSA)-(ARCFOUR-128)-(SHA1)", "(ECDHE-SECP256R1)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)".
   */
  readonly cipherAlgorithms?: string;
  readonly compressionMethods?: readonly number[];
  /** Extension type numbers in the order stated. */
  readonly extensions?: readonly number[];
  readonly supportedVersions?: readonly number[];
  readonly sessionIdLength?: number;
  readonly alertLevel?: number;
  readonly alertDescription?: number;
  /**
   * The alert is stated by an error message (OpenSSL's `SSL alert number 40`): the tool's own account
   * of the alert (a -trace record, the info callback's line), where there is one, is preferred.
   */
  readonly byError?: true;
  /** A ClientHello's server_name (host_name) as the tool states it. */
  readonly serverName?: string;
  /** The record is in the SSL 2.0 format (tshark's "SSLv2 Record Layer": an SSLv2-compatible hello). */
  readonly sslv2?: true;
  /**
   * For a 'certificate': its position in the chain the tool prints (s_client -showcerts's ` 1 s:` line),
   * when the tool says.
   */
  readonly certificateIndex?: number;
  /** For a 'certificate': the document span of each base64 line of its PEM body, in order (the DER is their decoding). */
  readonly base64Spans?: readonly TextSpan[];
  /** For a 'certificate' the tool prints field by field (tshark -V), not in PEM: what its words say. */
  readonly printed?: PrintedCertificate;
  /** For a 'negotiated': the keys that signed the handshake, as the log states them (Postfix's `server-signature RSA-PSS (2048 bits)`). */
  readonly signingKeys?: readonly StatedSigningKey[];
  /**
   * The key exchange's group as the tool states it (Postfix's `key-exchange DHE (1024 bits)`,
   * s_client's `Server Temp Key: DH, 1024 bits`), on a 'negotiated' statement or one of its own ('key-exchange').
   */
  readonly keyExchange?: StatedKeyExchange;
  /** For a 'certificate-verdict': what the tool found. */
  readonly verdict?: CertificateVerdict;
  /** Document span of each stated value, by field name ('version' -> the "0x303" text). */
  readonly valueSpans?: Readonly<Record<string, TextSpan>>;
}

/**
 * A key that signed the handshake, as a log states it: Postfix's `server-signature RSA-PSS (2048 bits)`,
 * `server-signature ECDSA (prime256v1)`. It is the key of that side's certificate.
 */
export interface StatedSigningKey {
  /** Whose key: the server's or the client's (a client certificate). */
  readonly side: Direction;
  /** The signature algorithm's name as written: 'RSA', 'RSA-PSS', 'ECDSA', 'DSA', 'ED25519'. */
  readonly algorithm: string;
  /** The key size the log states, or null when it names a curve or nothing. */
  readonly bits: number | null;
  /** The curve the log names (OpenSSL's short name: 'prime256v1'), or null. */
  readonly curve: string | null;
  /** The words `RSA-PSS (2048 bits)`. */
  readonly span: TextSpan;
}

/**
 * The group of the session's key exchange, as a tool states it: Postfix's `key-exchange DHE (1024 bits)`,
 * `key-exchange X25519`; s_client's `Server Temp Key: DH, 1024 bits`, `ECDH, prime256v1, 256 bits`.
 */
export interface StatedKeyExchange {
  /** As written: 'DHE', 'DH' (finite-field), 'ECDHE', 'ECDH', or a group's name ('X25519', 'secp384r1'). */
  readonly name: string;
  /** Whether the tool names a finite-field Diffie-Hellman exchange (DHE, DH, ffdhe*). */
  readonly finiteField: boolean;
  /** The size the tool states, or null. */
  readonly bits: number | null;
  /** The curve it names (OpenSSL's short name), or null. */
  readonly curve: string | null;
  /** The words stating it (`DHE (1024 bits)`). */
  readonly span: TextSpan;
}

/**
 * A tool's verdict on a certificate it verified during the session, where its verdict is all the
 * text shows of it: Postfix's `server certificate verification failed for mx[192.0.2.1]:25: certificate has expired`.
 */
export interface CertificateVerdict {
  /**
   * Who says so: 'Postfix' (its smtp client, smtpd), 'posttls-finger', curl and sendmail (OpenSSL's verify result), or PHP
   * (its streams' own check of the peer's name, as PHPMailer prints it), Nodemailer (Node.js's verdict, as it logs it), or Ruby
   * (OpenSSL's verify result, or Ruby's own check of the name, in its exception), or Jakarta Mail (Java's verdicts and its own
   * check of the name, in the exception an application prints), or Perl (IO::Socket::SSL's check of the name, in the message
   * a script dies with).
   */
  readonly tool: 'Postfix' | 'posttls-finger' | 'curl' | 'sendmail' | 'PHP' | 'Nodemailer' | 'Ruby' | 'Jakarta Mail' | 'Perl';
  /**
   * Whose certificate: the server's or the client's own, a CA certificate of the chain (Postfix's "CA"),
   * or one of the peer's chain, not said which (curl and sendmail state the chain's result).
   */
  readonly of: 'server' | 'client' | 'CA' | 'chain';
  /** Outside its validity period, or not covering the name the client expected (`name-mismatch`, with `expectedName`). */
  readonly problem: 'expired' | 'not-yet-valid' | 'name-mismatch';
  /** The reason in the tool's words, where they are in the document. */
  readonly reason: string;
  readonly reasonSpan: TextSpan;
  /** For `name-mismatch`: the name the client expected the certificate to cover, as the tool writes it. */
  readonly expectedName?: string;
}

/** A certificate as a tool prints its fields (tshark -V): the facts read from them, and where each part is. */
export interface PrintedCertificate {
  /** The tool whose words these are. */
  readonly tool: 'tshark -V' | 'gnutls-cli' | 'openssl x509 -text';
  readonly summary: CertificateSummary;
  /** The lines of each part the tool prints (a header line and its subtree). */
  readonly parts: Readonly<Partial<Record<CertificatePart, TextSpan>>>;
}

export type TranscriptEvent = SmtpCommandEvent | SmtpReplyEvent | ByteRunEvent | ByteGapEvent | NoteEvent | StatedEvent;

export interface TranscriptSession {
  /** Server port when the document states it (pcap, tshark, log lines), else null. */
  readonly port: number | null;
  readonly events: readonly TranscriptEvent[];
  /** First and last document line of the session. */
  readonly startLine: number;
  readonly endLine: number;
  /**
   * The text does not hold the session's start, as the format shows (a postfix process whose
   * first line here is no `connect from`: a log that begins mid-connection after rotation, or a
   * chunk cut inside a connection): the greeting, the EHLO reply, the TLS state and the commands
   * before the text are unknown, so rules that need them do not judge the first part.
   * Absent when the start is seen or the format cannot tell.
   */
  readonly startMissing?: true;
  /** The text ends before the session does, as the format shows (no `disconnect from`): its last bytes may be cut. */
  readonly endMissing?: true;
  /**
   * The lines are the server's log of the session (postfix smtpd): it logs each command when it reads
   * it, after answering the one before, so commands a client pipelined (RFC 2920) look sent one by one.
   */
  readonly serverLogged?: true;
  /**
   * The tool printed the client's lines only (PHPMailer's `SMTPDebug = 1`): a command without a reply here was
   * still answered before the next one, so nothing is known to be pipelined, and no EHLO reply is known.
   */
  readonly repliesNotShown?: true;
  /**
   * The tool logs nothing of TLS that starts with the connection (Mutt's and NeoMutt's `smtps://`): a session without
   * STARTTLS may have been inside TLS from its first byte. The rules that judge what went before TLS say so.
   */
  readonly implicitTlsNotShown?: true;
}

/** A problem found while reading the text (not while decoding TLS). */
export interface ReaderProblem {
  readonly rule: 'dump-malformed';
  readonly message: string;
  readonly span: TextSpan;
}

export interface Transcript {
  /**
   * Dominant format of the document: 'cs-transcript', 'openssl-msg', 'openssl-trace',
   * 'openssl-debug', 'swaks', 'gnutls-debug', 'curl-verbose', 'curl-trace',
   * 'curl-trace-ascii', 'python-smtplib', 'postfix-log', 'tshark-summary', 'tshark-x',
   * 'tcpdump-hex', 'tshark-follow-ascii', 'tshark-follow-hex', 'tshark-verbose', 'xxd',
   * 'hexdump-C', 'od', 'hexstream', 'keylog', 'fakeserver', 'text'.
   */
  readonly format: string;
  readonly sessions: readonly TranscriptSession[];
  readonly problems: readonly ReaderProblem[];
}
