/**
 * The SMTP dialogue of a session as the rules see it: each client line paired
 * with the reply that answers it (replies come in order, RFC 5321 §4.1 and
 * RFC 2920 §3), which commands were still unanswered when a line was sent
 * (pipelining), SASL response lines (after a 334 reply, RFC 4954 §4) and the
 * end-of-data line. Also: byte runs that are plain SMTP text rather than TLS.
 */
import type { ByteRunEvent, SmtpCommandEvent, SmtpReplyEvent, TranscriptSession } from '../model/transcript';

export interface DialogueStep {
  readonly command: SmtpCommandEvent;
  readonly eventIndex: number;
  /** The reply that answers this line (null when the capture has none). */
  reply: SmtpReplyEvent | null;
  replyIndex: number;
  /**
   * Lines sent earlier and not yet answered when this one was sent (pipelining): how many, the
   * oldest and the newest of them, and whether one is a RCPT. Kept as these four, not as a list:
   * a list per line is quadratic on a session of unanswered lines.
   */
  readonly waitingCount: number;
  readonly firstWaiting: DialogueStep | null;
  readonly lastWaiting: DialogueStep | null;
  readonly waitingForRcpt: boolean;
  /** A SASL response line (answering a 334 challenge), not a command. */
  readonly sasl: boolean;
  /** The lone "." that ends message content. */
  readonly endOfData: boolean;
}

export interface Dialogue {
  readonly steps: readonly DialogueStep[];
  /**
   * The first reply, when it comes before any client line (null in a session whose start is not in
   * the text: replies before its first client line answer lines sent before the text and pair with none).
   */
  readonly greeting: SmtpReplyEvent | null;
}

export function buildDialogue(session: TranscriptSession): Dialogue {
  const steps: DialogueStep[] = [];
  // Unanswered lines: steps[head..] of those sent so far (replies answer in order), RCPTs among them.
  let head = 0;
  let pendingRcpt = 0;
  let greeting: SmtpReplyEvent | null = null;
  let sawAny = false;
  // The last answered line got a 334: the next client line is a SASL response.
  let saslNext = false;
  session.events.forEach((event, eventIndex) => {
    if (event.kind === 'command') {
      const endOfData = event.dataLine === true && event.verb === '.' && event.argument === '';
      if (event.dataLine && !endOfData) return;
      sawAny = true;
      const waitingCount = steps.length - head;
      // (A line the reader took for credentials is one whatever came before: it is never shown.)
      const sasl = !endOfData && ((saslNext && waitingCount === 0) || event.authPayload === true);
      const step: DialogueStep = {
        command: event,
        eventIndex,
        reply: null,
        replyIndex: -1,
        waitingCount,
        firstWaiting: waitingCount > 0 ? steps[head] : null,
        lastWaiting: waitingCount > 0 ? steps[steps.length - 1] : null,
        waitingForRcpt: pendingRcpt > 0,
        sasl,
        endOfData,
      };
      steps.push(step);
      if (event.verb === 'RCPT') pendingRcpt++;
      saslNext = false;
      return;
    }
    if (event.kind !== 'reply') return;
    if (!sawAny && session.startMissing) return;
    if (!sawAny && steps.length === 0 && greeting === null) {
      greeting = event;
      sawAny = true;
      return;
    }
    sawAny = true;
    if (head === steps.length) return;
    const step = steps[head++];
    if (step.command.verb === 'RCPT') pendingRcpt--;
    step.reply = event;
    step.replyIndex = eventIndex;
    saslNext = event.code === 334 && (step.sasl || step.command.verb === 'AUTH');
  });
  return { steps, greeting };
}

/** Upper-cased EHLO keywords of a reply (every line after the first), e.g. "STARTTLS", "PIPELINING", "AUTH". */
export function listEhloKeywords(reply: SmtpReplyEvent): string[] {
  return reply.lines.slice(1).map((l) => l.trim().split(/\s+/)[0].toUpperCase());
}

/** The text of a client line safe to print: AUTH payloads and SASL responses are never shown. */
export function describeStep(step: DialogueStep): string {
  if (step.sasl) return 'a SASL response (masked)';
  return describeCommand(step.command);
}

export function describeCommand(command: SmtpCommandEvent): string {
  const verb = printable(command.verb);
  if (command.verb === 'AUTH') {
    const [mech, ...rest] = command.argument.trim().split(/\s+/);
    return `"AUTH${mech ? ' ' + printable(mech).slice(0, 20) : ''}${rest.length > 0 ? ' <initial response masked>' : ''}"`;
  }
  const arg = printable(command.argument);
  const text = arg ? `${verb} ${arg}` : verb;
  if (text === '') return 'an empty line';
  return `"${text.length > 60 ? text.slice(0, 57) + '...' : text}"`;
}

/**
 * Whether a line read as a command starts like a TLS record (content type 20-23, version 3.x): a
 * ClientHello a server log wrote as command text (Exim's `SMTP<<`, after a refused STARTTLS).
 */
export function isTlsRecordText(text: string): boolean {
  const type = text.charCodeAt(0);
  return type >= 20 && type <= 23 && text.charCodeAt(1) === 3 && text.charCodeAt(2) <= 4;
}

/** `s` with its first letter upper-case, to start a sentence with a described command ("an empty line"). */
export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A line of plain SMTP text found in bytes (a command or reply written as hex). */
export interface PlaintextLine {
  readonly text: string;
  /** Byte offsets [start, end) of the line without its ending. */
  readonly start: number;
  readonly end: number;
  /** The bytes that end the line: "\r\n", "\n", "\r", or "" at the end of the run. */
  readonly ending: string;
}

/**
 * Reads a byte run as SMTP text when it is one: printable ASCII (and TAB) in lines
 * ended by CR/LF, starting with a letter or digit. TLS records never qualify (their
 * first byte is a content type 20-24 or, for SSLv2, has the high bit set).
 */
export function readPlaintextSmtp(run: ByteRunEvent): PlaintextLine[] | null {
  const b = run.view.bytes;
  if (b.length < 3) return null;
  const c0 = b[0];
  const alnum = (c0 >= 0x30 && c0 <= 0x39) || (c0 >= 0x41 && c0 <= 0x5a) || (c0 >= 0x61 && c0 <= 0x7a);
  if (!alnum) return null;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c !== 9 && c !== 10 && c !== 13 && (c < 0x20 || c > 0x7e)) return null;
  }
  const lines: PlaintextLine[] = [];
  let start = 0;
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c === 13 || c === 10) {
      const crlf = c === 13 && b[i + 1] === 10;
      const ending = crlf ? '\r\n' : c === 13 ? '\r' : '\n';
      lines.push({ text: readLatin1(b.subarray(start, i)), start, end: i, ending });
      i += ending.length;
      start = i;
      continue;
    }
    i++;
  }
  if (start < b.length) lines.push({ text: readLatin1(b.subarray(start)), start, end: b.length, ending: '' });
  return lines;
}

function readLatin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}
