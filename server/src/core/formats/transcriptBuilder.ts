/**
 * Collects what the format readers find, in document order, into sessions,
 * problems and a format vote; groups SMTP reply lines into reply events.
 */
import type {
  ByteRunEvent,
  ReaderProblem,
  SmtpCommandEvent,
  SmtpReplyEvent,
  SmtpReplyLine,
  Transcript,
  TranscriptEvent,
  TranscriptSession,
} from '../model/transcript';
import type { ProblemSink } from './hexTokens';

/** At most this many problems are kept per document (garbage must not flood the editor). */
export const MAX_PROBLEMS = 1000;

/** Format ids a Transcript can carry. */
export type FormatId = 'cs-transcript' | 'openssl-msg' | 'xxd' | 'hexdump-C' | 'od' | 'hexstream' | 'text';

interface MutableReply {
  kind: 'reply';
  line: number;
  code: number;
  lines: string[];
  parts: SmtpReplyLine[];
  inTls: boolean;
}

interface SessionDraft {
  events: TranscriptEvent[];
  startLine: number;
  endLine: number;
  /** Any reply seen yet (a later 220 then is a new greeting unless it answers STARTTLS). */
  sawReply: boolean;
  lastVerb: string;
  /** QUIT, 221 or a closed connection was seen. */
  closed: boolean;
  /** TLS bytes, a gap or a TLS-start note was seen in a C:/S: transcript. */
  tlsSeen: boolean;
  /** Between a 354 reply and the client's lone ".". */
  inData: boolean;
}

function newSession(): SessionDraft {
  return { events: [], startLine: -1, endLine: -1, sawReply: false, lastVerb: '', closed: false, tlsSeen: false, inData: false };
}

export class TranscriptBuilder implements ProblemSink {
  private readonly sessions: SessionDraft[] = [];
  private current: SessionDraft = newSession();
  private reply: MutableReply | null = null;
  private readonly problems: ReaderProblem[] = [];
  private readonly votes = new Map<FormatId, number>();
  private readonly portHints: { line: number; port: number }[] = [];

  report(start: number, end: number, message: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ rule: 'dump-malformed', message, span: { start, end } });
  }

  /** Counts `lines` document lines as read in `format` (the most lines wins). */
  vote(format: FormatId, lines: number): void {
    this.votes.set(format, (this.votes.get(format) ?? 0) + lines);
  }

  addPortHint(line: number, port: number): void {
    if (port > 0 && port < 65536) this.portHints.push({ line, port });
  }

  /** The session state readers consult (TLS seen, DATA mode). */
  get session(): Readonly<SessionDraft> {
    return this.current;
  }

  markTlsSeen(): void {
    this.current.tlsSeen = true;
  }

  add(event: TranscriptEvent): void {
    if (event.kind !== 'reply') this.closeReply();
    const s = this.current;
    s.events.push(event);
    const last = event.kind === 'bytes' ? event.endLine : event.line;
    if (s.startLine < 0) s.startLine = event.line;
    if (last > s.endLine) s.endLine = last;
    if (event.kind === 'note' && event.note === 'connection-closed') s.closed = true;
  }

  addBytes(event: ByteRunEvent): void {
    if (event.view.bytes.length > 0) this.add(event);
  }

  addCommand(event: SmtpCommandEvent): void {
    const s = this.current;
    this.add(event);
    if (event.dataLine) {
      if (event.argument === '' && event.verb === '.') s.inData = false;
      return;
    }
    s.lastVerb = event.verb;
    if (event.verb === 'QUIT') s.closed = true;
  }

  /** Adds one reply line; lines after a `NNN-` line join the same reply event. */
  addReplyLine(part: SmtpReplyLine, inTls: boolean): void {
    const open = this.reply;
    if (open && open.parts[open.parts.length - 1].separator === '-') {
      open.parts.push(part);
      open.lines.push(part.text);
      if (part.line > this.current.endLine) this.current.endLine = part.line;
    } else {
      this.closeReply();
      const code = /^[0-9]{3}$/.test(part.codeText) ? Number(part.codeText) : NaN;
      const s = this.current;
      if (code === 220 && s.events.length > 0 && (s.closed || (s.sawReply && s.lastVerb !== 'STARTTLS'))) this.startSession();
      const reply: MutableReply = { kind: 'reply', line: part.line, code, lines: [part.text], parts: [part], inTls };
      this.add(reply as SmtpReplyEvent);
      this.reply = reply;
      this.current.sawReply = true;
    }
    if (part.separator !== '-') this.closeReply();
  }

  /** Ends the reply being grouped (a command or other event came between). */
  closeReply(): void {
    const r = this.reply;
    if (!r) return;
    this.reply = null;
    if (r.code === 221) this.current.closed = true;
    if (r.code === 354) this.current.inData = true;
  }

  private startSession(): void {
    this.closeReply();
    if (this.current.events.length > 0) this.sessions.push(this.current);
    this.current = newSession();
  }

  build(): Transcript {
    this.closeReply();
    if (this.current.events.length > 0) this.sessions.push(this.current);
    const sessions: TranscriptSession[] = [];
    let prevEnd = -1;
    for (const s of this.sessions) {
      let port: number | null = null;
      for (const h of this.portHints) {
        if (h.line > prevEnd && h.line <= s.endLine) {
          port = h.port;
          break;
        }
      }
      sessions.push({ port, events: s.events, startLine: s.startLine, endLine: s.endLine });
      prevEnd = s.endLine;
    }
    let format: FormatId = 'text';
    let best = 0;
    for (const [f, n] of this.votes) {
      if (n > best) {
        best = n;
        format = f;
      }
    }
    return { format, sessions, problems: this.problems };
  }
}
