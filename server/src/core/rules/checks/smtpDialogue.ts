/**
 * SMTP rules that need the dialogue: smtp-reply-syntax, smtp-line-too-long,
 * smtp-bare-line-ending, smtp-command-order, smtp-unknown-command,
 * smtp-pipelining-not-advertised.
 */
import type { SmtpCommandEvent, SmtpReplyEvent, TextSpan, TranscriptEvent } from '../../model/transcript';
import type { AnalyzedSession } from '../../analysis/analyzeDocument';
import { createSessionCache, type RuleCheck, type RuleContext } from '../ruleContext';
import { buildDialogue, capitalize, describeStep, isTlsRecordText, listEhloKeywords, readPlaintextSmtp, type Dialogue, type DialogueStep } from '../dialogue';
import { documentSpanOfBytes, type ByteView } from '../../bytes/byteView';

const dialogues = createSessionCache<Dialogue>();

/** The dialogue of a session, built once per rules run. */
export function getDialogue(session: AnalyzedSession): Dialogue {
  return dialogues.get(session, (s) => buildDialogue(s.session));
}

function isReplyCode(codeText: string): boolean {
  return /^[0-9]{3}$/.test(codeText);
}

export const checkReplySyntax: RuleCheck = (ctx) => {
  for (const s of ctx.input.sessions) {
    for (const event of s.session.events) {
      if (event.kind !== 'reply') continue;
      const first = event.parts[0].codeText;
      for (const part of event.parts) {
        const span = part.span;
        if (!isReplyCode(part.codeText)) {
          ctx.report({ span, message: `Reply line "${part.codeText.slice(0, 20)}..." does not start with a three-digit code; RFC 5321 §4.2 requires a code followed by a space or "-".` });
        } else if (part.codeText[0] < '2' || part.codeText[0] > '5') {
          ctx.report({ span, message: `Reply code ${part.codeText} has first digit ${part.codeText[0]}; RFC 5321 §4.2.1 defines only 2, 3, 4 and 5.` });
        } else if (part.codeText !== first && isReplyCode(first)) {
          ctx.report({ span, message: `Line of a multi-line reply carries code ${part.codeText} but the reply began with ${first}; RFC 5321 §4.2.1 requires the same code on every line.` });
        } else if (part.separator === '' && part.text === '') {
          ctx.report({ span, severity: 'warning', message: `Reply ${part.codeText} has no text; RFC 5321 §4.2 expects a space and text after the code, although receivers should accept a bare code.` });
        }
      }
    }
  }
};

/** RFC 5321 §4.5.3.1.4-6 limits, CRLF included. */
const COMMAND_LIMIT = 512;
const REPLY_LIMIT = 512;
const TEXT_LIMIT = 1000;
/** RFC 4954 §3: the AUTH= parameter of MAIL FROM raises that command's limit by 500. */
const AUTH_PARAM_EXTRA = 500;
/** RFC 4954 §4: servers accept SASL responses of at least 12288 octets. */
const SASL_LIMIT = 12288;

interface WireLine {
  readonly span: TextSpan;
  readonly view?: ByteView;
  readonly lineEnding?: string;
}

/** Octets of the line's content: from its bytes when it was read from hex (its span then covers hex pairs), else from its text. */
function contentOctets(line: WireLine): number {
  if (!line.view) return line.span.end - line.span.start;
  return line.view.bytes.length - (line.lineEnding ?? '').length;
}

export const checkLineTooLong: RuleCheck = (ctx) => {
  for (const s of ctx.input.sessions) {
    const d = getDialogue(s);
    const steps = new Map(d.steps.map((st) => [st.command, st]));
    for (const event of s.session.events) {
      if (event.kind === 'command') {
        const len = contentOctets(event) + 2;
        const step = steps.get(event);
        let limit = event.dataLine && !step?.endOfData ? TEXT_LIMIT : COMMAND_LIMIT;
        let what = event.dataLine ? 'Message text line' : 'Command line';
        if (step?.sasl) {
          limit = SASL_LIMIT;
          what = 'SASL response line';
        } else if (event.verb === 'MAIL' && /\sAUTH=/i.test(event.argument)) {
          limit += AUTH_PARAM_EXTRA;
        }
        if (len <= limit) continue;
        const shown = step ? ` (${describeStep(step)})` : '';
        ctx.report({ span: event.span, message: `${what} is ${len} octets with CRLF${event.dataLine ? '' : shown}; the limit is ${limit} (RFC 5321 §4.5.3.1${event.dataLine ? '.6' : '.4'}${limit > COMMAND_LIMIT && !event.dataLine ? ', RFC 4954' : ''}).` });
      } else if (event.kind === 'reply') {
        for (const part of event.parts) {
          const len = contentOctets(part) + 2;
          if (len > REPLY_LIMIT) ctx.report({ span: part.span, message: `Reply line is ${len} octets with CRLF; RFC 5321 §4.5.3.1.5 limits reply lines to ${REPLY_LIMIT}.` });
        }
      }
    }
  }
};

export const checkBareLineEnding: RuleCheck = (ctx) => {
  const text = ctx.input.text;
  for (const s of ctx.input.sessions) {
    for (const event of s.session.events) {
      const wireLines: readonly WireLine[] = event.kind === 'command' ? [event] : event.kind === 'reply' ? event.parts : [];
      for (const line of wireLines) reportBareLineEndings(ctx, text, line);
      if (event.kind !== 'bytes') continue;
      const lines = readPlaintextSmtp(event);
      if (!lines) continue;
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i];
        if (l.ending === '\n' || l.ending === '\r') {
          const at = l.end;
          const name = l.ending === '\n' ? 'LF' : 'CR';
          const dataEnd = l.text === '.' ? ' (an end of data other than CRLF.CRLF, RFC 5321 §4.1.1.4)' : '';
          ctx.report({
            span: documentSpanOfBytes(event.view, at, at + 1),
            message: `Bare ${name} in SMTP text sent as bytes${dataEnd}; RFC 5321 §2.3.8 requires CRLF as the only line ending.`,
          });
        }
      }
    }
  }
};

const BARE_INSIDE = 'Bare CR inside an SMTP line; RFC 5321 §2.3.8 allows CR and LF only together as the line ending (a bare one enables SMTP smuggling).';

/**
 * A CR or LF inside a line, and a line that ended with LF alone. Lines read from
 * hex are judged by their bytes (their text span covers hex pairs and dump line
 * breaks); lines read as text by the characters under their span.
 */
function reportBareLineEndings(ctx: RuleContext, text: string, line: WireLine): void {
  if (!line.view) {
    const cr = text.slice(line.span.start, line.span.end).search(/[\r\n]/);
    if (cr >= 0) ctx.report({ span: { start: line.span.start + cr, end: line.span.start + cr + 1 }, message: BARE_INSIDE });
    return;
  }
  const bytes = line.view.bytes;
  const content = contentOctets(line);
  for (let i = 0; i < content; i++) {
    if (bytes[i] === 13 || bytes[i] === 10) {
      ctx.report({ span: documentSpanOfBytes(line.view, i, i + 1), message: BARE_INSIDE });
      return;
    }
  }
  if (line.lineEnding === '\n') {
    ctx.report({
      span: documentSpanOfBytes(line.view, bytes.length - 1, bytes.length),
      message: 'Bare LF ends an SMTP line sent as bytes; RFC 5321 §2.3.8 requires CRLF as the only line ending.',
    });
  }
}

/** Verbs of RFC 5321 and of registered SMTP extensions (RFC 3207 STARTTLS, RFC 4954 AUTH, RFC 3030 BDAT, RFC 1985 ETRN, RFC 2645 ATRN, RFC 2033 LHLO). */
const KNOWN_VERBS = new Set([
  'EHLO', 'HELO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'VRFY', 'EXPN', 'HELP', 'NOOP', 'QUIT',
  'STARTTLS', 'AUTH', 'BDAT', 'ETRN', 'ATRN', 'LHLO', 'SEND', 'SOML', 'SAML', 'TURN',
]);

export const checkUnknownCommand: RuleCheck = (ctx) => {
  for (const s of ctx.input.sessions) {
    for (const step of getDialogue(s).steps) {
      // (A TLS record written as a command line is starttls-tls-without-220's.)
      if (step.sasl || step.endOfData || KNOWN_VERBS.has(step.command.verb) || isTlsRecordText(step.command.verb)) continue;
      ctx.report({ span: step.command.span, message: `${capitalize(describeStep(step))} is not a command of RFC 5321 or of a registered SMTP extension; a server answers 500 (RFC 5321 §4.2.4).` });
    }
  }
};

const DATA_BEFORE_354 =
  'Message text sent before the 354 reply to DATA: the client must wait for 354 before sending the mail data (RFC 5321 §3.3, §4.1.1.4), ' +
  'and DATA must be the last command of a pipelined group (RFC 2920 §3.1).';

/** A line of message text (the lone "." that ends it included). */
function isMessageText(event: TranscriptEvent): event is SmtpCommandEvent {
  return event.kind === 'command' && event.dataLine === true;
}

/** True when a reply accepted the command (2xx), or when the capture has no reply for it. */
function isAccepted(step: DialogueStep): boolean {
  return step.reply === null || (step.reply.code >= 200 && step.reply.code < 300);
}

export const checkCommandOrder: RuleCheck = (ctx) => {
  for (const s of ctx.input.sessions) {
    // A session whose start is not in the text may have greeted, sent MAIL and RCPT before it.
    const before = s.session.startMissing === true;
    let helo = before;
    let mail = before;
    let rcpt = before ? 1 : 0;
    let quit: DialogueStep | null = null;
    // The last MAIL of the transaction, accepted or not: a RCPT pipelined with a refused one is not out of order.
    let lastMail: DialogueStep | null = null;
    const events = s.session.events;
    // The first message text line at or after an event index: DATA lines come in order, so one cursor walks the events once.
    let text = 0;
    for (const step of getDialogue(s).steps) {
      if (step.sasl) continue;
      const verb = step.command.verb;
      if (quit) {
        ctx.report({ span: step.command.span, message: `${capitalize(describeStep(step))} follows QUIT; after QUIT the session is over (RFC 5321 §4.1.1.10).`, related: [{ span: quit.command.span, message: 'QUIT sent here' }] });
        continue;
      }
      if (step.endOfData) {
        mail = false;
        rcpt = 0;
        lastMail = null;
        continue;
      }
      if (verb === 'EHLO' || verb === 'HELO' || verb === 'LHLO') {
        if (isAccepted(step)) helo = true;
        mail = false;
        rcpt = 0;
        lastMail = null;
      } else if (verb === 'MAIL') {
        if (!helo) ctx.report({ span: step.command.span, message: `${capitalize(describeStep(step))} comes before a successful EHLO/HELO${step.command.inTls ? ' in this TLS session (RFC 3207 §4.2: the client must start over)' : ''}; RFC 5321 §4.1.4 requires the greeting first.` });
        if (isAccepted(step)) mail = true;
        lastMail = step;
      } else if (verb === 'RCPT') {
        // A RCPT sent before the refusal of its MAIL came (pipelined, RFC 2920 §3.1), or logged by a server that offered PIPELINING, is not judged.
        const pipelined = lastMail !== null && (sentBeforeReply(lastMail, step) || (s.session.serverLogged === true && mayPipeline(s, step)));
        if (!mail && !pipelined) ctx.report({ span: step.command.span, message: `${capitalize(describeStep(step))} comes without an accepted MAIL; RFC 5321 §4.1.4 requires MAIL before RCPT.` });
        else if (mail && isAccepted(step)) rcpt++;
      } else if (verb === 'DATA' || verb === 'BDAT') {
        // In a server's log a DATA the client pipelined after its RCPTs looks sent after their replies
        // (the server logs each command when it reads it): where PIPELINING was offered, it may have been.
        const pipelined = step.waitingForRcpt || (s.session.serverLogged === true && mayPipeline(s, step));
        if (rcpt === 0 && !pipelined) ctx.report({ span: step.command.span, message: `${verb} without an accepted RCPT; RFC 5321 §4.1.4 requires at least one accepted recipient first (pipelined DATA excepted, RFC 2920 §3.1).` });
        if (verb === 'DATA' && step.reply && step.reply.code !== 354) {
          mail = false;
          rcpt = 0;
        }
        // Message text sent before the 354 that accepted this DATA. The reader marks lines sent ahead as
        // message text only when a 354 accepts their DATA (a refused DATA leaves them commands), and a
        // DATA without a reply in the capture is not judged.
        if (verb === 'DATA' && step.reply?.code === 354) {
          text = Math.max(text, step.eventIndex + 1);
          while (text < events.length && !isMessageText(events[text])) text++;
          const first = events[text];
          if (text < step.replyIndex && isMessageText(first)) {
            ctx.report({
              span: first.span,
              // (No line number: a chunk of a large document numbers its lines from its own start. Never the text itself.)
              message: DATA_BEFORE_354,
              related: [
                { span: step.command.span, message: 'DATA sent here' },
                { span: step.reply.parts[0].span, message: '354 reply here' },
              ],
            });
          }
        }
      } else if (verb === 'RSET') {
        mail = false;
        rcpt = 0;
        lastMail = null;
      } else if (verb === 'STARTTLS') {
        // RFC 3207 §4.2: after TLS the client must discard what it knew and greet again.
        if (step.reply?.code === 220) {
          helo = false;
          mail = false;
          rcpt = 0;
        }
      } else if (verb === 'QUIT') {
        quit = step;
      }
    }
  }
};

/** The EHLO reply in force at each step of a session, and after the last one: one pass per rules run. */
interface EhloReplies {
  readonly at: Map<DialogueStep, SmtpReplyEvent | null>;
  readonly after: SmtpReplyEvent | null;
  /**
   * In a session whose start is not in the text, the reply in force is unknown up to and including
   * the first EHLO, HELO, LHLO or accepted STARTTLS (event index; Infinity when none, -1 when the
   * start is in the text).
   */
  readonly unknownThrough: number;
}

const ehloReplies = createSessionCache<EhloReplies>();

function buildEhloReplies(session: AnalyzedSession): EhloReplies {
  const at = new Map<DialogueStep, SmtpReplyEvent | null>();
  let reply: SmtpReplyEvent | null = null;
  let unknownThrough = session.session.startMissing ? Infinity : -1;
  for (const st of getDialogue(session).steps) {
    if (!at.has(st)) at.set(st, reply);
    const verb = st.sasl ? '' : st.command.verb;
    const resets = verb === 'EHLO' || verb === 'HELO' || verb === 'LHLO' || (verb === 'STARTTLS' && st.reply?.code === 220);
    if (resets && unknownThrough === Infinity) unknownThrough = st.eventIndex;
    if (verb === 'EHLO' && st.reply && st.reply.code === 250) reply = st.reply;
    if (verb === 'HELO') reply = null;
    if (verb === 'STARTTLS' && st.reply?.code === 220) reply = null;
  }
  return { at, after: reply, unknownThrough };
}

/**
 * Whether the EHLO reply in force at a step is known: always, unless the session's start is not in
 * the text and no EHLO, HELO, LHLO or accepted STARTTLS came before the step (the EHLO before the
 * text may have advertised anything), or the reply is cut short (its last line says more lines
 * follow: a capture's snapshot length or lost bytes took the rest of its keywords).
 */
export function isEhloReplyKnown(session: AnalyzedSession, step: DialogueStep): boolean {
  if (step.eventIndex <= ehloReplies.get(session, buildEhloReplies).unknownThrough) return false;
  const reply = findEhloReply(session, step);
  return reply === null || reply.parts[reply.parts.length - 1].separator !== '-';
}

/** The EHLO reply in force at a step of the session's dialogue: the last answered EHLO before it on the same side of STARTTLS. */
export function findEhloReply(session: AnalyzedSession, step: DialogueStep): SmtpReplyEvent | null {
  const replies = ehloReplies.get(session, buildEhloReplies);
  const reply = replies.at.get(step);
  return reply === undefined ? replies.after : reply;
}

/** Whether `later` was sent before `earlier`'s reply came (or the capture has none): pipelined after it. */
function sentBeforeReply(earlier: DialogueStep, later: DialogueStep): boolean {
  return earlier.reply === null || earlier.replyIndex > later.eventIndex;
}

/** Whether the client may have pipelined at this step: the EHLO reply in force offers PIPELINING, or is not in the text. */
function mayPipeline(session: AnalyzedSession, step: DialogueStep): boolean {
  if (!isEhloReplyKnown(session, step)) return true;
  const ehlo = findEhloReply(session, step);
  return ehlo !== null && listEhloKeywords(ehlo).includes('PIPELINING');
}

export const checkPipeliningNotAdvertised: RuleCheck = (ctx) => {
  for (const s of ctx.input.sessions) {
    // A tool that prints no replies: nothing shows a command sent before the reply to the one before.
    if (s.session.repliesNotShown) continue;
    const steps = getDialogue(s).steps;
    // Where the first accepted STARTTLS is (Infinity: none).
    const tls = steps.find((st) => !st.sasl && st.command.verb === 'STARTTLS' && st.reply?.code === 220);
    const tlsFrom = tls ? tls.eventIndex : Infinity;
    for (const step of steps) {
      if (step.sasl || step.endOfData || !step.firstWaiting || !step.lastWaiting || mayPipeline(s, step.firstWaiting)) continue;
      const ehlo = findEhloReply(s, step.firstWaiting);
      const prev = step.lastWaiting;
      const first = step.firstWaiting;
      // No EHLO reply in force: none yet, or the one before STARTTLS, which TLS made void.
      const voidedByTls = !ehlo && first.eventIndex > tlsFrom;
      const why = ehlo
        ? 'the server did not advertise PIPELINING'
        : voidedByTls
          ? 'no EHLO reply since STARTTLS advertises PIPELINING (the one before STARTTLS no longer counts, RFC 3207 §4.2)'
          : 'no EHLO reply advertises PIPELINING';
      ctx.report({
        span: step.command.span,
        message: `${capitalize(describeStep(step))} is sent before the reply to ${describeStep(prev)}, but ${why}; without it a client must wait for each reply (RFC 2920 §3, RFC 5321 §2.1).`,
        related: ehlo ? [{ span: ehlo.parts[0].span, message: 'EHLO reply without PIPELINING' }] : undefined,
      });
    }
  }
};
