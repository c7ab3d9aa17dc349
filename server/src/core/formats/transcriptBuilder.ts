/**
 * Collects what the format readers find, in document order, into sessions,
 * problems and a format vote; groups SMTP reply lines into reply events.
 */
import type {
  ByteRunEvent,
  NoteEvent,
  ReaderProblem,
  SmtpCommandEvent,
  SmtpReplyEvent,
  SmtpReplyLine,
  Transcript,
  TranscriptEvent,
  TranscriptSession,
} from '../model/transcript';
import type { ProblemSink } from './hexTokens';
import { isKnownVerb } from './smtpLines';

/** The least allowance of bytes "*" lines of hex dumps may stand for, whatever the document's size. */
const REPEATED_BYTES_MIN = 1 << 16;

/** At most this many problems are kept per document (garbage must not flood the editor). */
export const MAX_PROBLEMS = 1000;

/** Format ids a Transcript can carry. */
export type FormatId =
  | 'cs-transcript'
  | 'openssl-msg'
  | 'openssl-trace'
  | 'openssl-debug'
  | 'swaks'
  | 'gnutls-debug'
  | 'curl-verbose'
  | 'curl-trace'
  | 'curl-trace-ascii'
  | 'python-smtplib'
  | 'postfix-log'
  | 'exim-debug'
  | 'exim-mainlog'
  | 'posttls-finger'
  | 'msmtp-debug'
  | 'sendmail-verbose'
  | 'sendmail-log'
  | 's-nail'
  | 'phpmailer'
  | 'nodemailer'
  | 'ruby-net-smtp'
  | 'jakarta-mail'
  | 'perl-net-smtp'
  | 'mutt'
  | 'tcpdump-ascii'
  | 'tshark-summary'
  | 'tshark-x'
  | 'tcpdump-hex'
  | 'tshark-follow-ascii'
  | 'tshark-follow-hex'
  | 'tshark-verbose'
  | 'xxd'
  | 'hexdump-C'
  | 'od'
  | 'hexstream'
  | 'keylog'
  | 'fakeserver'
  | 'telnet-session'
  | 'text';

interface MutableReply {
  kind: 'reply';
  line: number;
  code: number;
  lines: string[];
  parts: SmtpReplyLine[];
  inTls: boolean;
  enhancedCode?: string;
}

interface SessionDraft {
  /** Reply lines being grouped into one reply event. */
  reply: MutableReply | null;
  /** Server port stated by the format for this session (TCP headers), else null. */
  port: number | null;
  /** A STARTTLS command was answered by a 220 reply: what follows is the TLS phase. */
  afterStarttls: boolean;
  /** The server sent a 334 challenge: the client's next line carries credentials. */
  inAuth: boolean;
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
  /** The text does not hold the session's start / end (TranscriptSession.startMissing, endMissing). */
  startMissing: boolean;
  endMissing: boolean;
  /** TranscriptSession.serverLogged. */
  serverLogged: boolean;
  /** TranscriptSession.repliesNotShown: the reader said so, and no reply came since. */
  repliesNotShown: boolean;
  /** TranscriptSession.implicitTlsNotShown. */
  implicitTlsNotShown: boolean;
  /** A client line was added (with startMissing: the first one may answer a 334 before the text). */
  commandSeen: boolean;
  /** Index in `events` of the last DATA command, and of a lone "." the client sent after it before any 354 (-1: none). */
  dataAt: number;
  earlyDotAt: number;
  /** Event indices of the client lines not answered yet, oldest first from `waitingHead` (replies answer in order). */
  waiting: number[];
  waitingHead: number;
  /** Event indices of lone "." lines read as commands (a message's end sent before its 354), not yet taken, and of the DATA before each (-1: none). */
  dots: number[];
  dotData: number[];
  dotsHead: number;
}

function newSession(): SessionDraft {
  return {
    reply: null,
    port: null,
    afterStarttls: false,
    inAuth: false,
    events: [],
    startLine: -1,
    endLine: -1,
    sawReply: false,
    lastVerb: '',
    closed: false,
    tlsSeen: false,
    inData: false,
    startMissing: false,
    endMissing: false,
    serverLogged: false,
    repliesNotShown: false,
    implicitTlsNotShown: false,
    commandSeen: false,
    dataAt: -1,
    earlyDotAt: -1,
    waiting: [],
    waitingHead: 0,
    dots: [],
    dotData: [],
    dotsHead: 0,
  };
}

/** Where the credentials of an AUTH command line start: after "AUTH MECH " (RFC 4954 section 4 initial response). */
function initialResponseStart(argument: string): number {
  const sp = argument.indexOf(' ');
  if (sp < 0) return -1;
  let p = sp;
  while (p < argument.length && argument.charCodeAt(p) === 32) p++;
  return p < argument.length ? p : -1;
}

/**
 * In a session whose start is not in the text, client lines before any reply that end with a lone
 * "." are the rest of message text begun before the text (a capture started during DATA): the
 * server answers nothing until the end of data (RFC 5321 §4.1.1.4), and "." alone is no command.
 * When no reply comes at all and no "." either (a capture, or a ring buffer's file, that starts
 * and ends inside one message), the client lines are message text as soon as one of them is no
 * command: a server answers every command line, an unknown one with 500 (RFC 5321 §4.2.4).
 * They become message text lines (a first one taken for the answer to an AUTH challenge included).
 */
function inferLeadingMessageText(events: TranscriptEvent[]): TranscriptEvent[] {
  let end = -1;
  let notCommand = false;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.kind === 'reply') return events.slice();
    if (e.kind !== 'command' || e.dataLine) continue;
    if (e.verb === '.' && e.argument === '') {
      end = i;
      break;
    }
    if (!isKnownVerb(e.verb)) notCommand = true;
  }
  if (end < 0 && notCommand) end = events.length - 1;
  if (end < 0) return events.slice();
  return events.map((e, i) => {
    if (i > end || e.kind !== 'command' || e.dataLine) return e;
    // (Without authPayload and secretSpan: text, not credentials.)
    const { kind, line, verb, argument, span, inTls, lineEnding, view } = e;
    return { kind, line, verb, argument, span, inTls, dataLine: true, ...(lineEnding !== undefined ? { lineEnding } : {}), ...(view ? { view } : {}) };
  });
}

/** The session a draft became; an exact-size copy of the events (the grown list has spare room). */
/**
 * openssl s_client run with -msg and -debug together prints every record twice: -msg's view (each
 * record, with the content of encrypted ones decrypted) and -debug's BIO dumps of the same bytes. A
 * session holding both keeps -msg's; -debug's runs, and the gaps its dumps left, would repeat them
 * (a second ClientHello, judged as one that is not the first). SMTP lines read from -debug's dumps stay.
 */
function dropShadowedDebugDumps(events: TranscriptEvent[]): TranscriptEvent[] {
  let msg = false;
  let debug = false;
  for (const e of events) {
    if (e.kind !== 'bytes') continue;
    if (e.layout === 'openssl-msg') msg = true;
    else if (e.layout === 'openssl-debug') debug = true;
  }
  if (!msg || !debug) return events;
  return events.filter((e) => !((e.kind === 'bytes' || e.kind === 'gap') && e.layout === 'openssl-debug'));
}

function finishSession(s: SessionDraft, port: number | null): TranscriptSession {
  const events = dropShadowedDebugDumps(s.startMissing ? inferLeadingMessageText(s.events) : s.events.slice());
  const session = { port, events, startLine: s.startLine, endLine: s.endLine };
  if (!s.startMissing && !s.endMissing && !s.serverLogged && !s.repliesNotShown && !s.implicitTlsNotShown) return session;
  return {
    ...session,
    ...(s.startMissing ? { startMissing: true } : {}),
    ...(s.endMissing ? { endMissing: true } : {}),
    ...(s.serverLogged ? { serverLogged: true } : {}),
    ...(s.repliesNotShown ? { repliesNotShown: true } : {}),
    ...(s.implicitTlsNotShown ? { implicitTlsNotShown: true } : {}),
  };
}

export class TranscriptBuilder implements ProblemSink {
  private readonly sessions: SessionDraft[] = [];
  private current: SessionDraft = newSession();
  /** Sessions running side by side (postfix PIDs, TCP connections), by the reader's key. */
  private readonly keyed = new Map<string, SessionDraft>();
  private currentKey = '';
  private readonly problems: ReaderProblem[] = [];
  /** The document, to recover the case of a credential line; null when not given. */
  private readonly text: string | null;
  private readonly votes = new Map<FormatId, number>();
  private readonly portHints: { line: number; port: number }[] = [];

  /** Bytes "*" lines of hex dumps have stood for so far (allowRepeatedBytes). */
  private repeatedBytes = 0;

  constructor(text?: string) {
    this.text = text ?? null;
  }

  /**
   * Whether a hex dump's "*" line may stand for `count` more bytes: in all, at most as many as the
   * document has characters (at least 64 KiB), so that no offset a dump states makes the reader
   * allocate more than the document's size. Counts them when it may.
   */
  allowRepeatedBytes(count: number): boolean {
    const allowance = Math.max(REPEATED_BYTES_MIN, this.text?.length ?? 0);
    if (count > allowance - this.repeatedBytes) return false;
    this.repeatedBytes += count;
    return true;
  }

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

  /** The current session began before the text (TranscriptSession.startMissing). */
  markStartMissing(): void {
    this.current.startMissing = true;
  }

  /** The current session's lines are the server's log of it (TranscriptSession.serverLogged). */
  markServerLogged(): void {
    this.current.serverLogged = true;
  }

  /** The current session's tool prints the client's lines only, as far as the text shows: until a reply comes (TranscriptSession.repliesNotShown). */
  markRepliesNotShown(): void {
    this.current.repliesNotShown = true;
  }

  /** The current session's tool logs nothing of TLS that starts with the connection (TranscriptSession.implicitTlsNotShown). */
  markImplicitTlsNotShown(): void {
    this.current.implicitTlsNotShown = true;
  }

  /** The current session is inside message text (after a 354 reply before the text): client lines are text up to a lone ".". */
  markInData(): void {
    this.current.inData = true;
  }

  /**
   * Every session still open at the end of the text goes on after it (the text ends at a forced cut):
   * the current one and those of other keys (TCP connections, postfix processes) not closed.
   */
  markOpenSessionsEndMissing(): void {
    for (const draft of [this.current, ...this.keyed.values()]) {
      if (draft.events.length > 0 && !draft.closed) draft.endMissing = true;
    }
  }

  /** The current session goes on after the text, or its end was not logged (TranscriptSession.endMissing). */
  markEndMissing(): void {
    this.current.endMissing = true;
  }

  /**
   * Makes the session of `key` current (a postfix PID, a TCP connection): sessions of
   * different keys interleave in the document but never share events. The key '' is
   * the default session.
   */
  selectSession(key: string): void {
    if (key === this.currentKey) return;
    this.keyed.set(this.currentKey, this.current);
    const next = this.keyed.get(key);
    if (next) {
      this.current = next;
    } else {
      this.current = newSession();
      this.keyed.set(key, this.current);
    }
    this.currentKey = key;
  }

  /** Ends the current session (a new connection starts with the same key). */
  endSession(): void {
    this.startSession();
    this.keyed.set(this.currentKey, this.current);
  }

  /** The server port of the current session, from the packet headers. */
  setPort(port: number): void {
    if (port > 0 && port < 65536) this.current.port = port;
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

  /**
   * The note that dates the session, from the timestamp of its first line: added without ending a reply being
   * read (a multi-line greeting goes on on the next lines).
   */
  addSessionTime(event: NoteEvent): void {
    const s = this.current;
    s.events.push(event);
    if (s.startLine < 0) s.startLine = event.line;
    if (event.line > s.endLine) s.endLine = event.line;
  }

  addBytes(event: ByteRunEvent): void {
    if (event.view.bytes.length > 0) this.add(event);
  }

  addCommand(event: SmtpCommandEvent): void {
    const s = this.current;
    if (event.dataLine) {
      this.add(event);
      if (event.argument === '' && event.verb === '.') {
        s.inData = false;
        s.waiting.push(s.events.length - 1);
      }
      return;
    }
    const leading = s.startMissing && !s.commandSeen && !s.sawReply;
    s.commandSeen = true;
    // RFC 4954 section 4: the client's answer to a 334 challenge is credentials (or "*"). In a session
    // whose start is not in the text, a first line that is no command may answer a 334 sent before it.
    if (s.inAuth || (leading && !isKnownVerb(event.verb))) {
      s.inAuth = false;
      this.add({ ...event, verb: '', argument: this.writtenText(event), authPayload: true, secretSpan: event.span });
      s.waiting.push(s.events.length - 1);
      return;
    }
    if (event.verb === 'AUTH') {
      const at = initialResponseStart(event.argument);
      if (at >= 0) {
        const secretSpan = this.spanOfTail(event, event.argument.length - at);
        this.add(secretSpan ? { ...event, secretSpan } : event);
      } else {
        this.add(event);
      }
    } else {
      this.add(event);
    }
    s.waiting.push(s.events.length - 1);
    if (event.verb === 'DATA' && event.argument === '') {
      s.dataAt = s.events.length - 1;
      s.earlyDotAt = -1;
    } else if (event.verb === '.' && event.argument === '') {
      if (s.dataAt >= 0 && s.earlyDotAt < 0) s.earlyDotAt = s.events.length - 1;
      s.dots.push(s.events.length - 1);
      s.dotData.push(s.dataAt);
    }
    s.lastVerb = event.verb;
    if (event.verb === 'QUIT') s.closed = true;
  }

  /** The client line (event index) the reply just closed answers, in order; -1 when none waits (a greeting). */
  private takeAnswered(s: SessionDraft): number {
    if (s.waitingHead >= s.waiting.length) return -1;
    const answered = s.waiting[s.waitingHead++];
    if (s.waitingHead === s.waiting.length) {
      s.waiting.length = 0;
      s.waitingHead = 0;
    }
    return answered;
  }

  /**
   * A 354 to a DATA whose whole message, up to its lone ".", the client sent before it (a client
   * that does not wait for 354, as openssl s_client fed by printf; the capture shows its lines
   * first): those lines were message text, as the server read them, and no message text follows.
   * The DATA is the line the 354 answers (`answered`, replies in order: with several messages sent
   * ahead, each 354 its own DATA); when that is no DATA (lines the text lacks), the last DATA.
   */
  private markEarlyMessageText(s: SessionDraft, answered: number): boolean {
    let dataAt = s.dataAt;
    let dotAt = s.earlyDotAt;
    const a = answered >= 0 ? s.events[answered] : null;
    if (a && a.kind === 'command' && !a.dataLine && a.verb === 'DATA' && a.argument === '') {
      // The first "." sent after it (those before it ended earlier messages, or were commands).
      while (s.dotsHead < s.dots.length && s.dots[s.dotsHead] < answered) s.dotsHead++;
      const dot = s.dotsHead < s.dots.length ? s.dots[s.dotsHead] : -1;
      // Its message when no other DATA came between (else the pairing is not sure: the last DATA, as without it).
      if (dot < 0 || s.dotData[s.dotsHead] === answered) {
        dataAt = answered;
        dotAt = dot;
      }
    }
    if (dataAt < 0 || dotAt < 0) return false;
    for (let i = dataAt + 1; i <= dotAt; i++) {
      const e = s.events[i];
      if (e.kind !== 'command' || e.dataLine) continue;
      // (Without authPayload and secretSpan: text, not credentials.)
      const { kind, line, verb, argument, span, inTls, lineEnding, view } = e;
      s.events[i] = { kind, line, verb, argument, span, inTls, dataLine: true, ...(lineEnding !== undefined ? { lineEnding } : {}), ...(view ? { view } : {}) };
    }
    // Message text gets no reply: only its "." waits for one (the lines after the DATA answered come first).
    while (s.waitingHead < s.waiting.length && s.waiting[s.waitingHead] > dataAt && s.waiting[s.waitingHead] < dotAt) s.waitingHead++;
    while (s.dotsHead < s.dots.length && s.dots[s.dotsHead] <= dotAt) s.dotsHead++;
    if (s.dotsHead === s.dots.length) {
      s.dots.length = 0;
      s.dotData.length = 0;
      s.dotsHead = 0;
    }
    if (s.dataAt === dataAt) {
      s.dataAt = -1;
      s.earlyDotAt = -1;
    }
    return true;
  }

  /** The command line as written (the verb keeps its case), from its bytes or the document. */
  private writtenText(event: SmtpCommandEvent): string {
    const v = event.view;
    const length = event.verb.length + (event.argument === '' ? 0 : 1 + event.argument.length);
    if (v && v.bytes.length >= length) {
      let out = '';
      for (let k = 0; k < length; k++) out += String.fromCharCode(v.bytes[k]);
      return out;
    }
    if (!v && this.text !== null && event.span.end - event.span.start === length) return this.text.slice(event.span.start, event.span.end);
    return event.argument === '' ? event.verb : `${event.verb} ${event.argument}`;
  }

  /** Document span of the last `chars` characters of a command (through its bytes when read from hex). */
  private spanOfTail(event: SmtpCommandEvent, chars: number): { start: number; end: number } | null {
    if (chars <= 0) return null;
    const v = event.view;
    if (v) {
      // The view holds the line with its ending; the content is its first verb+argument bytes.
      const contentLength = event.verb.length + 1 + event.argument.length;
      const from = contentLength - chars;
      if (from < 0 || contentLength > v.offsets.length) return null;
      return { start: v.offsets[from], end: v.offsets[contentLength - 1] + 2 };
    }
    if (event.span.end - event.span.start < chars) return null;
    return { start: event.span.end - chars, end: event.span.end };
  }

  /** Adds one reply line; lines after a `NNN-` line join the same reply event. */
  addReplyLine(part: SmtpReplyLine, inTls: boolean): void {
    const open = this.current.reply;
    if (open && open.parts[open.parts.length - 1].separator === '-') {
      open.parts.push(part);
      open.lines.push(part.text);
      if (part.line > this.current.endLine) this.current.endLine = part.line;
    } else {
      this.closeReply();
      const code = /^[0-9]{3}$/.test(part.codeText) ? Number(part.codeText) : NaN;
      const s = this.current;
      // A 220 starts a new connection unless it answers STARTTLS; once STARTTLS was accepted and TLS
      // bytes followed, no further 220 belongs to the same connection (the server never greets again).
      const tlsUnderway = s.afterStarttls && s.tlsSeen;
      if (code === 220 && s.events.length > 0 && (s.closed || tlsUnderway || (s.sawReply && s.lastVerb !== 'STARTTLS'))) this.startSession();
      const reply: MutableReply = { kind: 'reply', line: part.line, code, lines: [part.text], parts: [part], inTls };
      if (part.enhancedCode !== undefined) reply.enhancedCode = part.enhancedCode;
      this.add(reply as SmtpReplyEvent);
      this.current.reply = reply;
      this.current.sawReply = true;
      this.current.repliesNotShown = false;
    }
    if (part.separator !== '-') this.closeReply();
  }

  /** Ends the reply being grouped (a command or other event came between). */
  closeReply(): void {
    const s = this.current;
    const r = s.reply;
    if (!r) return;
    s.reply = null;
    if (r.code === 221) s.closed = true;
    // A server sends nothing during message text but the reply to its end: any other reply ends it
    // (curl --trace does not show the "." it sends after the text).
    // (Only DATA gets a 354: a refused DATA leaves the lines after it commands, as the server read them.)
    const answered = this.takeAnswered(s);
    s.inData = r.code === 354 && !this.markEarlyMessageText(s, answered);
    s.inAuth = r.code === 334;
    if (r.code === 220 && s.lastVerb === 'STARTTLS') s.afterStarttls = true;
  }

  private startSession(): void {
    this.closeReply();
    if (this.current.events.length > 0) this.sessions.push(this.current);
    this.current = newSession();
  }

  build(): Transcript {
    this.keyed.set(this.currentKey, this.current);
    for (const draft of this.keyed.values()) {
      this.current = draft;
      this.closeReply();
      if (draft.events.length > 0) this.sessions.push(draft);
    }
    this.sessions.sort((a, b) => a.startLine - b.startLine);
    const sessions: TranscriptSession[] = [];
    // Readers add hints line by line; sorted (stable) so that one cursor walks them once.
    const hints = this.portHints.sort((a, b) => a.line - b.line);
    let hint = 0;
    let prevEnd = -1;
    for (const s of this.sessions) {
      let port: number | null = s.port;
      if (port !== null) {
        sessions.push(finishSession(s, port));
        prevEnd = Math.max(prevEnd, s.endLine);
        continue;
      }
      // The first hint after the previous session's end, if it lies within this session.
      while (hint < hints.length && hints[hint].line <= prevEnd) hint++;
      if (hint < hints.length && hints[hint].line <= s.endLine) port = hints[hint].port;
      sessions.push(finishSession(s, port));
      prevEnd = Math.max(prevEnd, s.endLine);
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
