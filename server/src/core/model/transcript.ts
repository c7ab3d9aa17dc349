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
}

/** Bytes that were on the wire but are not shown (`C: <1234 bytes of TLS records>`). */
export interface ByteGapEvent {
  readonly kind: 'gap';
  readonly line: number;
  readonly direction: Direction | null;
  /** Number of bytes left out, when the format says. */
  readonly length: number | null;
  readonly span: TextSpan;
}

/** A fact the tool states in words: "TLS started", "<starts TLS negotiation>", a handshake finished. */
export interface NoteEvent {
  readonly kind: 'note';
  readonly line: number;
  readonly note: 'tls-start' | 'tls-established' | 'connection-closed' | 'other';
  readonly text: string;
  readonly span: TextSpan;
}

export type TranscriptEvent = SmtpCommandEvent | SmtpReplyEvent | ByteRunEvent | ByteGapEvent | NoteEvent;

export interface TranscriptSession {
  /** Server port when the document states it (pcap, tshark, log lines), else null. */
  readonly port: number | null;
  readonly events: readonly TranscriptEvent[];
  /** First and last document line of the session. */
  readonly startLine: number;
  readonly endLine: number;
}

/** A problem found while reading the text (not while decoding TLS). */
export interface ReaderProblem {
  readonly rule: 'dump-malformed';
  readonly message: string;
  readonly span: TextSpan;
}

export interface Transcript {
  /** Dominant format of the document ('cs-transcript', 'openssl-msg', 'xxd', 'hexdump-C', 'od', 'hexstream', 'text'). */
  readonly format: string;
  readonly sessions: readonly TranscriptSession[];
  readonly problems: readonly ReaderProblem[];
}
