/**
 * Capture → transcript: reads frames, decodes link/IP/TCP, reassembles only the TCP
 * streams that carry SMTP, and writes each as a C:/S: transcript section that every
 * reader of the project understands. Streaming: frames are read in bounded chunks and a
 * finished (or the oldest running) session is written out as soon as it can be.
 */
import type { CaptureSource } from './captureSource';
import { BEGAN_BEFORE_CAPTURE, SESSION_MARKER } from '../formats/sessionMarker';
import { ProblemList, formatCaptureTime, type CaptureFileInfo, type CaptureProblem, type CapturedFrame } from './captureTypes';
import { decodeTcpSegment, isTcpSegment, TCP_ACK, TCP_SYN, type TcpSegment } from './ipTcp';
import { describeLinkType, locateNetworkLayer, isSupportedLinkType } from './linkLayer';
import { readCaptureFrames } from './readCapture';
import { SessionRenderer, looksLikeTlsStart, type Role, type TranscriptLine } from './sessionRenderer';
import { TcpConnection, type FrameRef, type Side, type StreamEvent } from './tcpReassembly';
import { mergeKeyLogs, parseKeyLog, summarizeKeyLogProblems, type KeyLog } from '../tls/decrypt/keyLogSecrets';

/** Ports where SMTP is expected (RFC 5321 25, RFC 8314 465 implicit TLS, RFC 6409 587, and the common 2525). */
export const KNOWN_SMTP_PORTS: ReadonlySet<number> = new Set([25, 465, 587, 2525]);
/** Port whose connections carry TLS from the first byte (RFC 8314 §3.3). */
export const IMPLICIT_TLS_PORT = 465;

/** Connections tracked at once; beyond this the oldest undecided or ignored ones are forgotten. */
const MAX_CONNECTIONS = 100_000;

export interface ImportOptions {
  /** Name shown in the transcript header (the file name). */
  readonly name?: string;
  /** Summarise encrypted TLS records (default true); false shows every byte. */
  readonly elideApplicationData?: boolean;
  /** Receives the transcript text as it is produced; without it the text is collected in `text`. */
  readonly write?: (chunk: string) => void;
  /** Keep the line → frames map (default true). */
  readonly sourceMap?: boolean;
  /**
   * Keep the description of every session in `sessions` (default: true, except when the text
   * streams to `write` without a source map: then sessions are only counted, so that memory
   * stays flat however many sessions a capture holds).
   */
  readonly sessionList?: boolean;
  /**
   * More ports that carry SMTP, beside 25, 465, 587 and 2525 (`--smtp-port`, the editor's
   * `smtpTls.capture.smtpPorts`): what a connection to them sends is read as SMTP from its first
   * byte, clear text or TLS (implicit TLS on a port of the site's choosing).
   */
  readonly smtpPorts?: readonly number[];
  /**
   * Secrets of NSS key logs (`--keylog`, the editor's `smtpTls.capture.keyLogFiles`): TLS records
   * they open are shown decrypted. A pcapng's Decryption Secrets Blocks add to them.
   */
  readonly keyLog?: KeyLog;
}

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface ImportedSession {
  /** 1-based, in the order the sessions appear in the transcript. */
  readonly index: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Why the stream was taken for SMTP. */
  readonly detectedBy: string;
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly firstTime: string;
  readonly lastTime: string;
  /** 0-based transcript lines of the section (header included). */
  readonly startLine: number;
  readonly endLine: number;
  readonly clientBytes: number;
  readonly serverBytes: number;
  readonly gaps: number;
  readonly gapBytes: number;
}

export interface ImportStats {
  frames: number;
  tcpSegments: number;
  /** Frames without a TCP segment, by reason ('not-ip', 'not-tcp', 'fragment', 'malformed', 'link-type'). */
  skipped: Record<string, number>;
  connections: number;
  smtpConnections: number;
  /** Encrypted TLS records shown decrypted with the key log, and those it did not open (both 0 without a key log). */
  decryptedRecords: number;
  undecryptedRecords: number;
  /** SMTP sessions with at least one record decrypted. */
  decryptedSessions: number;
  /** Key logs read from the capture's pcapng Decryption Secrets Blocks. */
  embeddedKeyLogs: number;
}

export interface ImportResult {
  /** The transcript (empty when it went to `options.write`). */
  readonly text: string;
  readonly lineCount: number;
  /** For each transcript line: [firstFrame, lastFrame], or [0, 0] for header, comment and blank lines. */
  readonly lineFrames: Int32Array;
  /** Every session in transcript order (empty when `sessionList` is off). */
  readonly sessions: readonly ImportedSession[];
  /** Number of SMTP sessions written (also when they are not listed). */
  readonly sessionCount: number;
  readonly problems: readonly CaptureProblem[];
  /** null when the input is not a capture. */
  readonly info: CaptureFileInfo | null;
  readonly stats: ImportStats;
  /** An error-level problem: the file could not be read completely (what was read is still there). */
  readonly failed: boolean;
}

interface Conn {
  readonly key: string;
  /** Endpoint of side 0 and side 1 (side 0 sent the first frame seen). */
  readonly ends: [Endpoint, Endpoint];
  readonly tcp: TcpConnection;
  state: 'undecided' | 'smtp' | 'ignored';
  clientSide: Side | null;
  detectedBy: string;
  session: SessionState | null;
  /** Close events that came before the first byte. */
  early: StreamEvent[];
  /** First and last frame of the connection (handshake included). */
  firstAt: FrameRef;
  lastAt: FrameRef;
}

interface SessionState {
  readonly number: number;
  readonly renderer: SessionRenderer;
  readonly conn: Conn;
  done: boolean;
  startLine: number;
}

function endpointText(e: Endpoint): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** Ports listed by number in the note on TLS connections that were not read as SMTP; more are counted. */
const MAX_LISTED_TLS_PORTS = 8;

/** First bytes of a server greeting (`220 ` / `220-`) or a client hello command. */
function classifyFirstPayload(b: Uint8Array): 'greeting' | 'hello' | null {
  if (b.length >= 4 && b[0] === 0x32 && b[1] === 0x32 && b[2] === 0x30 && (b[3] === 0x20 || b[3] === 0x2d)) return 'greeting';
  if (b.length >= 5 && b[4] === 0x20) {
    const verb = String.fromCharCode(b[0], b[1], b[2], b[3]).toUpperCase();
    if (verb === 'EHLO' || verb === 'HELO' || verb === 'LHLO') return 'hello';
  }
  return null;
}

/** `25, 465, 587 or 2525`. */
function listPorts(ports: readonly number[]): string {
  const sorted = [...ports].sort((a, b) => a - b);
  return sorted.length === 1 ? String(sorted[0]) : `${sorted.slice(0, -1).join(', ')} or ${sorted[sorted.length - 1]}`;
}

/**
 * What the import leaves out that may be SMTP: connections on other ports that start with a TLS
 * handshake (HTTPS, IMAPS, or SMTP over implicit TLS on a port of the site's choosing), and how
 * to read them as SMTP.
 */
function describeTlsOnOtherPorts(byPort: ReadonlyMap<number, number>): string | null {
  if (byPort.size === 0) return null;
  const ports = [...byPort.keys()].sort((a, b) => a - b);
  const listed = ports.slice(0, MAX_LISTED_TLS_PORTS).map((p) => {
    const n = byPort.get(p)!;
    return `port ${p} (${n} connection${n === 1 ? '' : 's'})`;
  });
  const more = ports.length > listed.length ? ` and ${ports.length - listed.length} more ports` : '';
  const first = ports[0];
  return `TLS from the first byte on ${listed.join(', ')}${more}, not read as SMTP; if it is SMTP over implicit TLS, read the capture with --smtp-port ${first} (editor setting smtpTls.capture.smtpPorts)`;
}

export class CaptureImporter {
  private readonly conns = new Map<string, Conn>();
  private readonly queue: SessionState[] = [];
  private readonly sessions: ImportedSession[] = [];
  private readonly chunks: string[] = [];
  private pendingText: string[] = [];
  private pendingSize = 0;
  private lineCount = 0;
  private lineFrames = new Int32Array(0);
  private sessionCount = 0;
  private readonly unsupportedLinks = new Set<number>();
  private fragmentWarned = false;
  private cutHeadersWarned = false;
  readonly problems = new ProblemList();
  readonly stats: ImportStats = { frames: 0, tcpSegments: 0, skipped: {}, connections: 0, smtpConnections: 0, decryptedRecords: 0, undecryptedRecords: 0, decryptedSessions: 0, embeddedKeyLogs: 0 };
  private readonly keepMap: boolean;
  private readonly keepSessions: boolean;
  private writtenSessions = 0;
  private readonly elide: boolean;
  private readonly smtpPorts: ReadonlySet<number>;
  private readonly givenPorts: ReadonlySet<number>;
  /** Connections on other ports that start with a TLS handshake, by server port (SMTP over implicit TLS looks like them). */
  private readonly tlsOnOtherPorts = new Map<number, number>();

  /** The key log given, with what the capture's Decryption Secrets Blocks add. */
  private keyLog: KeyLog | undefined;

  constructor(private readonly options: ImportOptions = {}) {
    this.keyLog = options.keyLog;
    this.givenPorts = new Set((options.smtpPorts ?? []).filter((p) => Number.isInteger(p) && p > 0 && p < 65536 && !KNOWN_SMTP_PORTS.has(p)));
    this.smtpPorts = new Set([...KNOWN_SMTP_PORTS, ...this.givenPorts]);
    this.keepMap = options.sourceMap !== false;
    this.keepSessions = options.sessionList ?? !(options.write && options.sourceMap !== true);
    this.elide = options.elideApplicationData !== false;
    if (this.keepMap) this.lineFrames = new Int32Array(2048);
  }

  run(source: CaptureSource): ImportResult {
    this.writeLines([{ text: `# smtptls import of ${this.options.name ?? 'a capture'}`, firstFrame: 0, lastFrame: 0 }]);
    const { info } = readCaptureFrames(source, (f) => this.addFrame(f), this.problems, (text, at) => this.addEmbeddedKeyLog(text, at));
    for (const conn of this.conns.values()) {
      conn.tcp.flush();
      if (conn.session) this.endSession(conn.session);
    }
    this.conns.clear();
    this.lastConn = null;
    this.pump();
    this.writeTrailer(info);
    this.flushText();
    const problems = [...this.problems.items];
    if (this.problems.suppressed > 0) problems.push({ severity: 'warning', message: `${this.problems.suppressed} more problems not listed` });
    return {
      text: this.options.write ? '' : this.chunks.join(''),
      lineCount: this.lineCount,
      lineFrames: this.lineFrames.subarray(0, this.keepMap ? this.lineCount * 2 : 0),
      sessions: this.sessions,
      sessionCount: this.writtenSessions,
      problems,
      info,
      stats: this.stats,
      failed: info === null || this.problems.hasError,
    };
  }

  private addEmbeddedKeyLog(text: string, at: number): void {
    const { keyLog, problems } = parseKeyLog(text);
    this.stats.embeddedKeyLogs++;
    const unread = summarizeKeyLogProblems(problems);
    if (unread) this.problems.add({ severity: 'warning', message: `the key log in the decryption secrets block at offset ${at}: ${unread}`, fileOffset: at });
    this.keyLog = this.keyLog ? mergeKeyLogs([this.keyLog, keyLog]) : keyLog;
  }

  private skip(reason: string): void {
    this.stats.skipped[reason] = (this.stats.skipped[reason] ?? 0) + 1;
  }

  private addFrame(f: CapturedFrame): void {
    this.stats.frames++;
    if (!isSupportedLinkType(f.linkType)) {
      if (!this.unsupportedLinks.has(f.linkType)) {
        this.unsupportedLinks.add(f.linkType);
        this.problems.add({ severity: 'warning', message: `frames with ${describeLinkType(f.linkType)} are not read (first: frame ${f.frame})`, frame: f.frame });
      }
      this.skip('link-type');
      return;
    }
    const net = locateNetworkLayer(f.linkType, f.data);
    if (!net) {
      this.skip('not-ip');
      return;
    }
    const seg = decodeTcpSegment(f.data, net.offset, net.ipVersion);
    if (!isTcpSegment(seg)) {
      this.skip(seg.skip);
      if (seg.skip === 'fragment' && !this.fragmentWarned) {
        this.fragmentWarned = true;
        this.problems.add({ severity: 'warning', message: `frame ${f.frame} is an IP fragment; IP fragments are not reassembled`, frame: f.frame });
      }
      // A snapshot length shorter than the headers (editcap -s 60, tcpdump -s 60): nothing of the
      // segment can be read, so say why the capture shows no SMTP (once per file).
      if (seg.skip === 'malformed' && f.data.length < f.originalLength && !this.cutHeadersWarned) {
        this.cutHeadersWarned = true;
        this.problems.add({
          severity: 'warning',
          message: `frame ${f.frame} was cut by the capture's snapshot length inside its IP/TCP headers (${f.data.length} of ${f.originalLength} bytes captured); frames cut like it are not read`,
          frame: f.frame,
        });
      }
      return;
    }
    this.stats.tcpSegments++;
    const at: FrameRef = { frame: f.frame, seconds: f.seconds, nanos: f.nanos };
    this.addSegment(seg, at);
    this.pump();
  }

  /** The connection of the previous segment: consecutive segments mostly share one (no key to build). */
  private lastConn: Conn | null = null;

  private findConn(seg: TcpSegment): { key: string; conn: Conn | undefined } {
    const last = this.lastConn;
    if (last) {
      const [e0, e1] = last.ends;
      if (
        (e0.port === seg.srcPort && e1.port === seg.dstPort && e0.address === seg.srcAddr && e1.address === seg.dstAddr) ||
        (e1.port === seg.srcPort && e0.port === seg.dstPort && e1.address === seg.srcAddr && e0.address === seg.dstAddr)
      ) {
        return { key: last.key, conn: last };
      }
    }
    const a = `${seg.srcAddr}|${seg.srcPort}`;
    const b = `${seg.dstAddr}|${seg.dstPort}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    return { key, conn: this.conns.get(key) };
  }

  private forgetConn(key: string): void {
    if (this.lastConn?.key === key) this.lastConn = null;
    this.conns.delete(key);
  }

  private addSegment(seg: TcpSegment, at: FrameRef): void {
    const found = this.findConn(seg);
    const key = found.key;
    let conn = found.conn;
    // A new SYN on a finished connection is a new connection on the same ports.
    if (conn && conn.tcp.finished && seg.flags & TCP_SYN && !(seg.flags & TCP_ACK)) {
      this.retire(conn);
      conn = undefined;
    }
    if (!conn) {
      // A bare ACK, FIN or RST of no connection known (the last ACK after both FINs, a capture
      // that starts mid-connection) opens none: the connection starts with a SYN or its first byte.
      if (!(seg.flags & TCP_SYN) && seg.payload.length === 0) return;
      if (this.conns.size >= MAX_CONNECTIONS) this.evict();
      conn = this.createConn(key, seg, at);
    }
    this.lastConn = conn;
    const side: Side = conn.ends[0].port === seg.srcPort && conn.ends[0].address === seg.srcAddr ? 0 : 1;
    if (conn.state === 'ignored') {
      if (seg.flags & 0x05) this.retire(conn);
      return;
    }
    if (conn.state === 'undecided' && seg.payload.length > 0 && !this.decide(conn, side, seg)) return;
    conn.lastAt = at;
    conn.tcp.addSegment(side, seg, at);
    if (conn.tcp.finished) this.retire(conn);
  }

  private createConn(key: string, seg: TcpSegment, at: FrameRef): Conn {
    this.stats.connections++;
    const ends: [Endpoint, Endpoint] = [
      { address: seg.srcAddr, port: seg.srcPort },
      { address: seg.dstAddr, port: seg.dstPort },
    ];
    const conn: Conn = {
      key,
      ends,
      tcp: new TcpConnection((e) => this.onStreamEvent(conn, e)),
      state: 'undecided',
      clientSide: null,
      detectedBy: '',
      session: null,
      early: [],
      firstAt: at,
      lastAt: at,
    };
    // A SYN tells the client; a known SMTP port on the other end tells SMTP.
    if (seg.flags & TCP_SYN) conn.clientSide = seg.flags & TCP_ACK ? 1 : 0;
    const serverSide = conn.clientSide === null ? null : conn.clientSide === 0 ? 1 : 0;
    const ports = this.smtpPorts;
    const knownSide = serverSide !== null ? (ports.has(ends[serverSide].port) ? serverSide : null)
      : ports.has(ends[1].port) ? 1 : ports.has(ends[0].port) ? 0 : null;
    if (knownSide !== null) {
      const port = ends[knownSide].port;
      conn.state = 'smtp';
      conn.clientSide = knownSide === 0 ? 1 : 0;
      conn.detectedBy = this.givenPorts.has(port) ? `port ${port}, given as an SMTP port` : `port ${port}`;
    }
    this.conns.set(key, conn);
    return conn;
  }

  /** Unknown port: the first payload decides (a 220 greeting from the server, EHLO/HELO/LHLO from the client). */
  private decide(conn: Conn, side: Side, seg: TcpSegment): boolean {
    const kind = classifyFirstPayload(seg.payload);
    if (kind === null) {
      conn.state = 'ignored';
      // A handshake record first: the sender is the client, the other end the server.
      if (seg.payload[0] === 22 && looksLikeTlsStart(seg.payload, 0)) {
        const port = conn.ends[side === 0 ? 1 : 0].port;
        this.tlsOnOtherPorts.set(port, (this.tlsOnOtherPorts.get(port) ?? 0) + 1);
      }
      return false;
    }
    conn.state = 'smtp';
    const isClient = kind === 'hello';
    conn.clientSide = isClient ? side : side === 0 ? 1 : 0;
    conn.detectedBy = isClient ? 'a HELO/EHLO from the client' : 'a 220 greeting from the server';
    return true;
  }

  private onStreamEvent(conn: Conn, e: StreamEvent): void {
    if (conn.state !== 'smtp') return;
    if (!conn.session) {
      // A session starts with its first byte (or gap): a handshake alone, or a stray ACK or FIN
      // after a session ended, is no session.
      if (e.kind === 'close') {
        if (conn.early.length < 2) conn.early.push(e);
        return;
      }
      this.startSession(conn);
    }
    conn.session!.renderer.addEvent(e.side === conn.clientSide ? 'client' : 'server', e);
  }

  private startSession(conn: Conn): void {
    this.stats.smtpConnections++;
    const number = ++this.sessionCount;
    // No SYN: the capture starts inside the connection (its greeting, EHLO, STARTTLS may be missing).
    const startMissing = conn.tcp.synSide === null;
    const renderer = new SessionRenderer({ elideApplicationData: this.elide, startMissing, ...(this.keyLog ? { keyLog: this.keyLog } : {}) });
    const clientSide = conn.clientSide ?? 0;
    const client = conn.ends[clientSide];
    const server = conn.ends[clientSide === 0 ? 1 : 0];
    renderer.addDirective('');
    renderer.addDirective(startMissing ? `${SESSION_MARKER} ${BEGAN_BEFORE_CAPTURE}` : SESSION_MARKER);
    renderer.addComment(`session ${number}: client ${endpointText(client)} -> server ${endpointText(server)} (SMTP recognised by ${conn.detectedBy})`);
    if (startMissing) renderer.addComment('the capture starts inside this connection (no SYN): what came before its first frame is not in it');
    if (server.port === IMPLICIT_TLS_PORT) renderer.addComment('port 465: implicit TLS, TLS from the first byte (RFC 8314)');
    renderer.addDirective(`# smtptls-port: ${server.port}`);
    // When the session took place (its first frame): certificates are judged valid or not at that time.
    // Simple Packet Blocks carry no time (read as 0): no such line then.
    if (conn.firstAt.seconds > 0) renderer.addDirective(`# smtptls-time: ${formatCaptureTime(conn.firstAt.seconds, conn.firstAt.nanos, 0).replace('.Z', 'Z')}`);
    renderer.noteFrame(conn.firstAt);
    const state: SessionState = { number, renderer, conn, done: false, startLine: -1 };
    conn.session = state;
    this.queue.push(state);
    for (const e of conn.early) renderer.addEvent(e.side === clientSide ? 'client' : 'server', e);
    conn.early = [];
  }

  private endSession(s: SessionState): void {
    if (s.done) return;
    s.done = true;
    const r = s.renderer;
    r.noteFrame(s.conn.lastAt);
    r.finish();
    const sum = r.summary;
    const tcp = s.conn.tcp.stats;
    this.stats.decryptedRecords += sum.decryptedRecords;
    this.stats.undecryptedRecords += sum.undecryptedRecords;
    if (sum.decryptedRecords > 0) this.stats.decryptedSessions++;
    r.addComment(
      `session ${s.number}: frames ${sum.firstFrame}-${sum.lastFrame}, first ${SessionRenderer.describeTime(sum.firstTime)}, last ${SessionRenderer.describeTime(sum.lastTime)}; ` +
        `${sum.clientBytes} bytes from the client, ${sum.serverBytes} from the server` +
        (sum.gaps > 0 ? `; ${sum.gaps} gap${sum.gaps === 1 ? '' : 's'} (${sum.gapBytes} bytes not captured)` : '') +
        (tcp.retransmittedBytes > 0 ? `; ${tcp.retransmittedBytes} bytes retransmitted` : '') +
        (tcp.outOfOrderSegments > 0 ? `; ${tcp.outOfOrderSegments} segment${tcp.outOfOrderSegments === 1 ? '' : 's'} out of order` : '') +
        (sum.decryptedRecords > 0 ? `; ${sum.decryptedRecords} TLS record${sum.decryptedRecords === 1 ? '' : 's'} decrypted with the key log` : '') +
        (sum.undecryptedRecords > 0 ? `; ${sum.undecryptedRecords} encrypted record${sum.undecryptedRecords === 1 ? '' : 's'} the key log does not open` : ''),
    );
  }

  private retire(conn: Conn): void {
    if (conn.session) this.endSession(conn.session);
    this.forgetConn(conn.key);
  }

  /** Forgets connections to stay bounded: ignored and undecided ones first, then the oldest. */
  private evict(): void {
    let n = 0;
    for (const conn of this.conns.values()) {
      if (conn.state !== 'smtp') {
        this.forgetConn(conn.key);
        if (++n >= MAX_CONNECTIONS / 10) return;
      }
    }
    for (const conn of this.conns.values()) {
      conn.tcp.flush();
      this.retire(conn);
      if (++n >= MAX_CONNECTIONS / 10) return;
    }
  }

  /** Writes out the oldest session's new lines, and every finished session in order behind it. */
  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0];
      const lines = head.renderer.lines;
      if (head.startLine < 0) head.startLine = this.lineCount;
      if (lines.length > 0) {
        this.writeLines(lines);
        // Written lines need not be kept.
        lines.length = 0;
      }
      if (!head.done) break;
      this.queue.shift();
      this.writtenSessions++;
      if (!this.keepSessions) continue;
      const sum = head.renderer.summary;
      const c = head.conn.clientSide ?? 0;
      this.sessions.push({
        index: head.number,
        client: head.conn.ends[c],
        server: head.conn.ends[c === 0 ? 1 : 0],
        detectedBy: head.conn.detectedBy,
        firstFrame: sum.firstFrame,
        lastFrame: sum.lastFrame,
        firstTime: sum.firstTime ? formatCaptureTime(sum.firstTime.seconds, sum.firstTime.nanos, 9) : '',
        lastTime: sum.lastTime ? formatCaptureTime(sum.lastTime.seconds, sum.lastTime.nanos, 9) : '',
        startLine: head.startLine,
        endLine: this.lineCount - 1,
        clientBytes: sum.clientBytes,
        serverBytes: sum.serverBytes,
        gaps: sum.gaps,
        gapBytes: sum.gapBytes,
      });
    }
  }

  /** What the importer holds right now (tests: per-session state is released once written). */
  get liveState(): { readonly connections: number; readonly queuedSessions: number; readonly listedSessions: number } {
    return { connections: this.conns.size, queuedSessions: this.queue.length, listedSessions: this.sessions.length };
  }

  private writeTrailer(info: CaptureFileInfo | null): void {
    const lines: TranscriptLine[] = [];
    const add = (t: string): void => {
      lines.push({ text: `# ${t}`, firstFrame: 0, lastFrame: 0 });
    };
    lines.push({ text: '', firstFrame: 0, lastFrame: 0 });
    if (info) {
      const links = [...new Set(info.linkTypes)].map(describeLinkType).join(', ') || 'no interface';
      add(`capture: ${info.format}, ${info.byteOrder}, ${info.timePrecision}, ${links}; ${info.frames} frames, ${this.stats.tcpSegments} TCP segments, ` +
        `${this.stats.smtpConnections} SMTP session${this.stats.smtpConnections === 1 ? '' : 's'} of ${this.stats.connections} TCP connection${this.stats.connections === 1 ? '' : 's'}`);
    }
    const tlsNote = describeTlsOnOtherPorts(this.tlsOnOtherPorts);
    if (info && this.stats.smtpConnections === 0) {
      add(`no SMTP found: no stream on port ${listPorts([...this.smtpPorts])}, and none starting with a 220 greeting or EHLO/HELO${tlsNote ? `; ${tlsNote}` : ''}`);
    } else if (tlsNote) {
      add(tlsNote);
    }
    if (this.keyLog) add(this.describeDecryption());
    for (const p of this.problems.items) add(`${p.severity}: ${p.message}`);
    if (this.problems.suppressed > 0) add(`${this.problems.suppressed} more problems not listed`);
    this.writeLines(lines);
  }

  /** What the key log did, for the trailer. */
  private describeDecryption(): string {
    const st = this.stats;
    const from = [this.options.keyLog ? 'the key log given' : '', st.embeddedKeyLogs > 0 ? `${st.embeddedKeyLogs} decryption secrets block${st.embeddedKeyLogs === 1 ? '' : 's'} of the capture` : ''].filter((x) => x).join(' and ');
    return `key log (${from}, secrets of ${this.keyLog!.size} connection${this.keyLog!.size === 1 ? '' : 's'}): ${st.decryptedSessions} SMTP session${st.decryptedSessions === 1 ? '' : 's'} decrypted, ` +
      `${st.decryptedRecords} TLS record${st.decryptedRecords === 1 ? '' : 's'} decrypted, ${st.undecryptedRecords} encrypted record${st.undecryptedRecords === 1 ? '' : 's'} not opened`;
  }

  private writeLines(lines: readonly TranscriptLine[]): void {
    for (const l of lines) {
      const count = l.count ?? 1;
      if (this.keepMap) {
        const needed = (this.lineCount + count) * 2;
        if (this.lineFrames.length < needed) {
          const grown = new Int32Array(Math.max(needed, this.lineFrames.length * 2));
          grown.set(this.lineFrames);
          this.lineFrames = grown;
        }
        for (let i = this.lineCount; i < this.lineCount + count; i++) {
          this.lineFrames[i * 2] = l.firstFrame;
          this.lineFrames[i * 2 + 1] = l.lastFrame;
        }
      }
      this.lineCount += count;
      this.pendingText.push(l.text, '\n');
      this.pendingSize += l.text.length + 1;
    }
    if (this.pendingSize > 65536) this.flushText();
  }

  private flushText(): void {
    if (this.pendingText.length === 0) return;
    const chunk = this.pendingText.join('');
    this.pendingText = [];
    this.pendingSize = 0;
    if (this.options.write) this.options.write(chunk);
    else this.chunks.push(chunk);
  }
}

/** Imports a capture into transcript text; never throws on any bytes. */
export function importCapture(source: CaptureSource, options: ImportOptions = {}): ImportResult {
  return new CaptureImporter(options).run(source);
}

export { looksLikeTlsStart, type Role };
