/**
 * Transcript → pcap: every session of a transcript becomes one synthetic TCP connection
 * (3-way handshake, the bytes of each side with correct sequence and acknowledgment
 * numbers, FIN exchange) on the session's port (25 by default), so Wireshark's SMTP
 * dissector follows the STARTTLS hand-off and decodes the TLS records.
 *
 * SMTP lines are sent as written plus CR LF; consecutive lines of one side with no blank
 * line between them form one segment (as a capture import writes segments). Bytes the
 * transcript leaves out (`<N bytes ...>`) become a jump in the sequence numbers, which
 * Wireshark shows as "previous segment not captured". Credentials (AUTH initial responses
 * and answers to 334 challenges) are masked with `*` unless asked for.
 */
import { findTimeDirectives } from '../rules/directives';
import { LineIndex } from '../text/lineIndex';
import { DocumentLines } from '../formats/documentLines';
import type { Direction, Transcript, TranscriptEvent } from '../model/transcript';
import { concatBytes } from '../bytes/concatBytes';
import { PcapWriter } from './pcapWriter';

export interface ExportOptions {
  /** Keep AUTH payloads as written (default: each character replaced by `*`). */
  readonly includeCredentials?: boolean;
  /** Server port for sessions whose port the transcript does not state (default 25). */
  readonly defaultPort?: number;
  /**
   * Time of the first frame, microseconds since the epoch. Default: each session's `# smtptls-time:`
   * comment where it has one, else 0 (1970-01-01T00:00:00Z): the transcript does not say when the
   * session took place, and a time of 0 says "unknown" to the import, which then judges no
   * certificate's validity by it (a made-up date would).
   */
  readonly startMicros?: number;
}

export interface ExportResult {
  readonly pcap: Uint8Array;
  readonly sessions: number;
  readonly frames: number;
  /** Things that could not be put on the wire (decrypted content, lines with unknown direction). */
  readonly notes: readonly string[];
}

/** Payload bytes per segment: a 1500-byte Ethernet MTU minus IPv4 and TCP headers. */
const MSS = 1460;
const CLIENT_IP = [192, 0, 2, 1] as const;
const SERVER_IP = [192, 0, 2, 2] as const;
const FIRST_CLIENT_PORT = 49152;
const STEP_MICROS = 1000;
const TWO_32 = 4294967296;

type Piece = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'skip'; length: number };

interface Segment {
  direction: Direction;
  pieces: Piece[];
  /** Last document line of the segment, to join the next line only when nothing stands between. */
  endLine: number;
}

function encodeLine(s: string): Uint8Array {
  return new TextEncoder().encode(s + '\r\n');
}

function maskCredentials(s: string): string {
  return '*'.repeat(s.length);
}

/** Which way bytes without a stated direction went: a TLS ServerHello/SSLv2 server hello is the server's. */
function guessDirection(bytes: Uint8Array): Direction {
  if (bytes.length > 5 && bytes[0] === 0x16 && bytes[5] === 2) return 'server';
  return 'client';
}

export function exportTranscriptToPcap(transcript: Transcript, text: string, options: ExportOptions = {}): ExportResult {
  const doc = new DocumentLines(text);
  const writer = new PcapWriter();
  const notes: string[] = [];
  let time = options.startMicros ?? 0;
  let frames = 0;
  let sessions = 0;
  // A session's `# smtptls-time:` (a capture import writes one from its first frame) dates its frames: a round trip keeps it.
  const dates = options.startMicros === undefined && text.includes('smtptls-time') ? findTimeDirectives(text, new LineIndex(text)) : [];
  let dated = -1;

  for (const [index, session] of transcript.sessions.entries()) {
    const segments = collectSegments(session.events, doc, text, options.includeCredentials === true, notes, index + 1);
    if (segments.length === 0) continue;
    sessions++;
    // The last comment at or before the session's last line (sessions come in document order).
    while (dated + 1 < dates.length && dates[dated + 1].line <= session.endLine) dated++;
    // Never back in time: frames stay in order.
    if (dated >= 0) time = Math.max(time, dates[dated].time * 1000);
    const serverPort = session.port ?? options.defaultPort ?? 25;
    const startsWithTls = session.events.find((e) => e.kind === 'command' || e.kind === 'reply' || (e.kind === 'bytes' && e.role === 'stream'))?.kind === 'bytes';
    if (startsWithTls && serverPort !== 465) {
      notes.push(`session ${index + 1} starts with TLS bytes and no SMTP dialogue: Wireshark decodes it with Decode As TLS (tshark -d tcp.port==${serverPort},tls)`);
    }
    const clientPort = FIRST_CLIENT_PORT + (index % 16000);
    // Fixed initial sequence numbers keep the output reproducible.
    const isn = { client: 0x10000000 + index * 0x1000, server: 0x20000000 + index * 0x1000 };
    const next = { client: (isn.client + 1) % TWO_32, server: (isn.server + 1) % TWO_32 };
    const send = (from: Direction, flags: number, seq: number, payload: Uint8Array): void => {
      const fromClient = from === 'client';
      writer.addTcpFrame({
        srcIp: fromClient ? CLIENT_IP : SERVER_IP,
        dstIp: fromClient ? SERVER_IP : CLIENT_IP,
        srcPort: fromClient ? clientPort : serverPort,
        dstPort: fromClient ? serverPort : clientPort,
        seq,
        ack: flags & 0x10 ? next[fromClient ? 'server' : 'client'] : 0,
        flags,
        payload,
        timeMicros: time,
      });
      time += STEP_MICROS;
      frames++;
    };
    const empty = new Uint8Array(0);
    send('client', 0x02, isn.client, empty);
    next.client = (isn.client + 1) % TWO_32;
    send('server', 0x12, isn.server, empty);
    send('client', 0x10, next.client, empty);
    for (const seg of segments) {
      const from = seg.direction;
      for (const run of joinPieces(seg.pieces)) {
        if (run.kind === 'skip') {
          next[from] = (next[from] + run.length) % TWO_32;
          // The peer acknowledges the bytes not shown, so readers (and Wireshark) see the hole right here.
          const to: Direction = from === 'client' ? 'server' : 'client';
          send(to, 0x10, next[to], empty);
          continue;
        }
        for (let off = 0; off < run.bytes.length; off += MSS) {
          const chunk = run.bytes.subarray(off, Math.min(run.bytes.length, off + MSS));
          send(from, 0x18, next[from], chunk);
          next[from] = (next[from] + chunk.length) % TWO_32;
        }
      }
    }
    // Orderly close: client FIN, server FIN, client ACK.
    send('client', 0x11, next.client, empty);
    next.client = (next.client + 1) % TWO_32;
    send('server', 0x11, next.server, empty);
    next.server = (next.server + 1) % TWO_32;
    send('client', 0x10, next.client, empty);
    time += 1e6;
  }
  return { pcap: writer.toBytes(), sessions, frames, notes };
}

function collectSegments(events: readonly TranscriptEvent[], doc: DocumentLines, text: string, includeCredentials: boolean, notes: string[], sessionNumber: number): Segment[] {
  const segments: Segment[] = [];
  let inAuth = false;
  let skippedDecrypted = 0;
  const add = (direction: Direction, line: number, endLine: number, piece: Piece): void => {
    const last = segments[segments.length - 1];
    if (last && last.direction === direction && !hasBreakBetween(doc, last.endLine, line)) {
      last.pieces.push(piece);
      last.endLine = endLine;
      return;
    }
    segments.push({ direction, pieces: [piece], endLine });
  };
  let skippedInTls = 0;
  for (const e of events) {
    if ((e.kind === 'command' || e.kind === 'reply') && e.inTls) {
      // Lines the tool shows decrypted were encrypted on the wire: there are no such bytes to send.
      skippedInTls++;
      continue;
    }
    if (e.kind === 'command') {
      let line = commandText(e, text);
      if (!includeCredentials) {
        if (inAuth && !e.dataLine) line = maskCredentials(line);
        else if (e.verb === 'AUTH') line = line.replace(/^(\S+\s+\S+\s+)(\S.*)$/, (_m, head: string, secret: string) => head + maskCredentials(secret));
      }
      inAuth = false;
      add('client', e.line, e.line, { kind: 'bytes', bytes: encodeLine(line) });
    } else if (e.kind === 'reply') {
      for (const part of e.parts) add('server', part.line, part.line, { kind: 'bytes', bytes: encodeLine(text.slice(part.span.start, part.span.end)) });
      inAuth = e.code === 334;
    } else if (e.kind === 'bytes') {
      if (e.role !== 'stream') {
        skippedDecrypted++;
        continue;
      }
      add(e.direction ?? guessDirection(e.view.bytes), e.line, e.endLine, { kind: 'bytes', bytes: e.view.bytes });
    } else if (e.kind === 'gap') {
      if (e.length !== null && e.length > 0 && e.direction !== null) add(e.direction, e.line, e.line, { kind: 'skip', length: e.length });
    }
  }
  if (skippedInTls > 0) notes.push(`session ${sessionNumber}: ${skippedInTls} SMTP lines shown decrypted inside TLS left out (encrypted on the wire)`);
  if (skippedDecrypted > 0) notes.push(`session ${sessionNumber}: ${skippedDecrypted} decrypted or header-only dumps left out (they were not on the wire as shown)`);
  return segments;
}

/** The command line as written (verb case kept). */
function commandText(e: Extract<TranscriptEvent, { kind: 'command' }>, text: string): string {
  const written = text.slice(e.span.start, e.span.end);
  const expected = e.argument === '' ? e.verb : `${e.verb} ${e.argument}`;
  // A span over hex pairs (a line read from a dump) does not hold the line itself.
  return written.toUpperCase().startsWith(e.verb) ? written : expected;
}

/** Whether a blank line stands between lines a and b (comments do not separate). */
function hasBreakBetween(doc: DocumentLines, a: number, b: number): boolean {
  for (let i = a + 1; i < b && i < doc.count; i++) if (doc.isBlank(i)) return true;
  return false;
}

/** Joins adjacent byte pieces into one payload (one segment on the wire); skips stay apart. */
function joinPieces(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  let run: Uint8Array[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    out.push({ kind: 'bytes', bytes: concatBytes(run) });
    run = [];
  };
  for (const p of pieces) {
    if (p.kind === 'bytes') run.push(p.bytes);
    else {
      flush();
      out.push(p);
    }
  }
  flush();
  return out;
}
