/**
 * Session-level STARTTLS rules (RFC 3207): what happens around the STARTTLS
 * command, its reply and the start of the handshake, plus AUTH and REQUIRETLS
 * before TLS and the submission-port recommendation.
 */
import type { ByteRunEvent, SmtpReplyEvent, TextSpan, TranscriptEvent } from '../../model/transcript';
import type { AnalyzedSession } from '../../analysis/analyzeDocument';
import { createSessionCache, type RuleCheck, type RuleContext } from '../ruleContext';
import type { RelatedLocation } from '../types';
import { describeStep, isTlsRecordText, listEhloKeywords, readPlaintextSmtp, type DialogueStep } from '../dialogue';
import { findEhloReply, getDialogue, isEhloReplyKnown } from './smtpDialogue';
import { documentSpanOfBytes } from '../../bytes/byteView';
import { firstNotBefore } from '../sites';

/** What a client byte run or gap is: TLS bytes, or SMTP text written as hex. */
type ClientActivity =
  | { kind: 'command'; index: number; step: DialogueStep }
  | { kind: 'plaintext'; index: number; run: ByteRunEvent; text: string }
  | { kind: 'tls'; index: number; span: TextSpan };

function isPlaintextRun(event: TranscriptEvent): event is ByteRunEvent {
  return event.kind === 'bytes' && event.role === 'stream' && readPlaintextSmtp(event) !== null;
}

/**
 * A session's client activity in event order, and for each position the next command sent
 * inside TLS (-1 when none): built once per session and rules run, so the checks that ask
 * "what did the client send after this STARTTLS" for each exchange stay linear.
 */
interface ClientActivityIndex {
  readonly activity: readonly ClientActivity[];
  readonly nextInTlsCommand: Int32Array;
}

const CLIENT_ACTIVITY = createSessionCache<ClientActivityIndex>();

function buildClientActivity(session: AnalyzedSession): ClientActivityIndex {
  const steps = new Map(getDialogue(session).steps.map((s) => [s.eventIndex, s]));
  const activity: ClientActivity[] = [];
  const events = session.session.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.kind === 'command') {
      const step = steps.get(i);
      // A TLS record a server log wrote as a command line: TLS bytes.
      if (!e.inTls && !e.dataLine && isTlsRecordText(e.verb)) activity.push({ kind: 'tls', index: i, span: { start: e.span.start, end: Math.min(e.span.end, e.span.start + 3) } });
      else if (step) activity.push({ kind: 'command', index: i, step });
    } else if (e.kind === 'bytes' && e.direction === 'client') {
      const lines = readPlaintextSmtp(e);
      if (lines && e.role === 'stream') activity.push({ kind: 'plaintext', index: i, run: e, text: lines.map((l) => l.text).find((t) => t.length > 0) ?? '' });
      else activity.push({ kind: 'tls', index: i, span: documentSpanOfBytes(e.view, 0, Math.min(5, e.view.bytes.length)) });
    } else if (e.kind === 'gap' && e.direction === 'client' && e.cause !== 'not-captured') {
      // (Elided TLS records are TLS; bytes a capture lost are not known to be.)
      activity.push({ kind: 'tls', index: i, span: e.span });
    } else if (e.kind === 'note' && e.note === 'tls-start') {
      activity.push({ kind: 'tls', index: i, span: e.span });
    }
  }
  const nextInTlsCommand = new Int32Array(activity.length + 1).fill(-1);
  for (let k = activity.length - 1; k >= 0; k--) {
    const a = activity[k];
    nextInTlsCommand[k] = a.kind === 'command' && a.step.command.inTls ? k : nextInTlsCommand[k + 1];
  }
  return { activity, nextInTlsCommand };
}

function indexClientActivity(session: AnalyzedSession): ClientActivityIndex {
  return CLIENT_ACTIVITY.get(session, buildClientActivity);
}

/** Position in the session's client activity of the first item after event index `from` (exclusive). */
function firstActivityAfter(activity: readonly ClientActivity[], from: number): number {
  return firstNotBefore(activity.length, (k) => activity[k].index <= from);
}

function describePlaintext(text: string): string {
  const verb = text.split(' ')[0].toUpperCase();
  if (verb === 'AUTH') return '"AUTH ..." (masked)';
  const t = text.replace(/[^\x20-\x7e]/g, '?');
  return `"${t.length > 40 ? t.slice(0, 37) + '...' : t}"`;
}

function activitySpan(a: ClientActivity): TextSpan {
  if (a.kind === 'command') return a.step.command.span;
  if (a.kind === 'plaintext') return documentSpanOfBytes(a.run.view, 0, a.run.view.bytes.length);
  return a.span;
}

interface StarttlsExchange {
  readonly session: AnalyzedSession;
  readonly step: DialogueStep;
  readonly reply: SmtpReplyEvent | null;
  readonly accepted: boolean;
  readonly related: RelatedLocation[];
}

function listExchanges(sessions: readonly AnalyzedSession[]): StarttlsExchange[] {
  const out: StarttlsExchange[] = [];
  for (const session of sessions) {
    for (const step of getDialogue(session).steps) {
      if (step.sasl || step.command.verb !== 'STARTTLS' || step.command.inTls) continue;
      const related: RelatedLocation[] = [{ span: step.command.span, message: 'STARTTLS issued here' }];
      if (step.reply) related.push({ span: step.reply.parts[0].span, message: `server replied ${step.reply.code} to STARTTLS` });
      out.push({ session, step, reply: step.reply, accepted: step.reply?.code === 220, related });
    }
  }
  return out;
}

export const checkStarttlsWithParameters: RuleCheck = (ctx) => {
  for (const x of listExchanges(ctx.input.sessions)) {
    const arg = x.step.command.argument;
    if (arg.trim() === '') continue;
    const start = x.step.command.span.end - arg.length;
    ctx.report({
      span: { start, end: x.step.command.span.end },
      message: `STARTTLS carries the parameter "${arg.slice(0, 40)}"; RFC 3207 §4 defines STARTTLS without parameters (a server answers 501).`,
      related: x.related.slice(1),
    });
  }
};

export const checkStarttlsUnexpectedReply: RuleCheck = (ctx) => {
  for (const x of listExchanges(ctx.input.sessions)) {
    const code = x.reply?.code;
    if (!x.reply || code === undefined || code === 220 || code === 454 || code === 501) continue;
    const legal = code === 421 || code === 500 || code === 502;
    ctx.report({
      span: x.reply.parts[0].span,
      severity: legal ? 'information' : undefined,
      message: legal
        ? `STARTTLS answered ${code}: a legal SMTP reply (${code === 421 ? 'service closing' : 'command not recognised or not implemented'}), but not one of RFC 3207 §4's 220, 454 or 501; TLS is not available here.`
        : `STARTTLS answered ${Number.isNaN(code) ? x.reply.parts[0].codeText : code}; RFC 3207 §4 defines 220 (go ahead), 454 (TLS not available) and 501 (syntax error) as replies.`,
      related: x.related.slice(0, 1),
    });
  }
};

export const checkCommandInjection: RuleCheck = (ctx) => {
  // Pipelined STARTTLS commands: what one exchange reports, an earlier one of the session may have
  // reported already, and only the first report of a place is kept (runRules dedupes by rule and
  // span). So each exchange starts where the earlier ones stopped: linear, not exchanges x commands.
  let session: AnalyzedSession | null = null;
  let covered = 0;
  for (const x of listExchanges(ctx.input.sessions)) {
    // A tool that prints no replies: PHPMailer waits for each, the 220 included.
    if (x.session.session.repliesNotShown) continue;
    const replyAt = x.step.replyIndex < 0 ? Infinity : x.step.replyIndex;
    const { activity } = indexClientActivity(x.session);
    if (x.session !== session) {
      session = x.session;
      covered = 0;
    }
    const from = firstActivityAfter(activity, x.step.eventIndex);
    // The skipped items were neither TLS nor after an earlier reply; if one comes after this reply, this exchange stops among them.
    if (covered > from && activity[covered - 1].index > replyAt) continue;
    for (let k = Math.max(from, covered); k < activity.length; k++, covered = k) {
      const a = activity[k];
      if (a.kind === 'tls' || a.index > replyAt) break;
      const what = a.kind === 'command' ? describeStep(a.step) : `${describePlaintext(a.text)} (plain SMTP text written as bytes)`;
      ctx.report({
        span: activitySpan(a),
        message:
          `${what} is sent after STARTTLS and before the ${x.accepted ? '220 reply' : 'reply to it'}; ` +
          'STARTTLS must be the last command of a pipelined group (RFC 2920 §3.1), and a server that buffers such input would run it inside TLS as if the client had sent it there (CVE-2011-0411; RFC 3207 §4.2, RFC 7457 §2.2).',
        related: x.related,
      });
    }
  }
};

export const checkPlaintextAfter220: RuleCheck = (ctx) => {
  for (const x of listExchanges(ctx.input.sessions)) {
    if (!x.accepted) continue;
    const { activity } = indexClientActivity(x.session);
    const first = activity[firstActivityAfter(activity, x.step.replyIndex)];
    if (!first || first.kind === 'tls') continue;
    if (first.kind === 'command' && first.step.command.inTls) continue;
    const what = first.kind === 'command' ? describeStep(first.step) : `${describePlaintext(first.text)} (plain SMTP text written as bytes)`;
    ctx.report({
      span: activitySpan(first),
      message: `The client sends ${what} in plaintext after the server's 220 to STARTTLS; RFC 3207 §4 requires the client to start the TLS handshake right away.`,
      related: x.related,
    });
  }
};

export const checkTlsWithout220: RuleCheck = (ctx) => {
  for (const session of ctx.input.sessions) {
    const exchanges = listExchanges([session]);
    const { activity } = indexClientActivity(session);
    const firstTls = activity.find((a) => a.kind === 'tls');
    if (!firstTls || firstTls.kind !== 'tls') continue;
    // The STARTTLS in force: the last one sent before the TLS bytes.
    const x = exchanges.filter((e) => e.step.eventIndex < firstTls.index).pop();
    const events = session.session.events;
    if (!x) {
      // A session whose start is not in the text may have sent STARTTLS before it.
      if (session.session.startMissing) continue;
      const smtpBefore = events.slice(0, firstTls.index).some((e) => (e.kind === 'command' || e.kind === 'reply') && !e.inTls);
      if (!smtpBefore || ctx.portOf(session) === 465) continue;
      ctx.report({ span: firstTls.span, message: 'The client sends TLS bytes in a plaintext SMTP session without STARTTLS; RFC 3207 §4 starts TLS only after STARTTLS is answered 220.' });
      continue;
    }
    if (x.accepted && x.step.replyIndex < firstTls.index) continue;
    const message =
      x.reply === null || x.step.replyIndex > firstTls.index
        ? 'The client sends TLS bytes right after STARTTLS, before the server answered it; RFC 3207 §4 lets the handshake start only after a 220 reply (the server may still refuse).'
        : `The client sends TLS bytes although the server answered STARTTLS with ${x.reply.code}; RFC 3207 §4 starts TLS only after 220, and a refused STARTTLS leaves the session in plaintext.`;
    ctx.report({ span: firstTls.span, message, related: x.related });
  }
};

export const checkResponseInjection: RuleCheck = (ctx) => {
  // Every scan from a 220 ends at the same place (the next command or server TLS bytes), so one that
  // starts inside a range scanned for an earlier exchange adds only places reported already, and
  // runRules keeps the first report of a place: skip it (linear on many 220 replies in a row).
  let session: AnalyzedSession | null = null;
  let coveredFrom = 0;
  let coveredTo = 0;
  for (const x of listExchanges(ctx.input.sessions)) {
    if (!x.accepted) continue;
    if (x.session !== session) {
      session = x.session;
      coveredFrom = coveredTo = 0;
    }
    const from = x.step.replyIndex + 1;
    if (from >= coveredFrom && from < coveredTo) continue;
    const events = x.session.session.events;
    let i = from;
    for (; i < events.length; i++) {
      const e = events[i];
      if (e.kind === 'command' || (e.kind === 'bytes' && e.direction === 'server' && !isPlaintextRun(e))) break;
      if (e.kind === 'gap' && e.direction === 'server') break;
      if (e.kind === 'reply' && !e.inTls) {
        ctx.report({
          span: e.parts[0].span,
          message: `The server sends "${e.parts[0].codeText} ..." after its 220 to STARTTLS and before the TLS handshake; RFC 3207 §4.2: anything received before TLS must be discarded, and a client that reads it as a TLS-protected reply is fooled (RFC 7457 §2.2).`,
          related: x.related,
        });
      } else if (e.kind === 'bytes' && e.direction === 'server' && isPlaintextRun(e)) {
        ctx.report({
          span: documentSpanOfBytes(e.view, 0, e.view.bytes.length),
          message: 'The server sends plain SMTP text after its 220 to STARTTLS and before the ServerHello; RFC 3207 §4.2: a client must discard everything received before TLS.',
          related: x.related,
        });
      }
    }
    coveredFrom = from;
    coveredTo = i;
  }
};

export const checkEhloNotReissued: RuleCheck = (ctx) => {
  for (const x of listExchanges(ctx.input.sessions)) {
    if (!x.accepted) continue;
    const { activity, nextInTlsCommand } = indexClientActivity(x.session);
    const next = activity[nextInTlsCommand[firstActivityAfter(activity, x.step.replyIndex)]];
    if (!next || next.kind !== 'command' || next.step.sasl) continue;
    const verb = next.step.command.verb;
    if (verb === 'EHLO' || verb === 'HELO' || verb === 'LHLO' || verb === 'QUIT') continue;
    ctx.report({
      span: next.step.command.span,
      message: `The first command inside TLS is ${describeStep(next.step)}, not EHLO; RFC 3207 §4.2: the client must forget what it learned before TLS and should greet again with EHLO.`,
      related: x.related,
    });
  }
};

export const checkReadvertised: RuleCheck = (ctx) => {
  for (const s of ctx.input.sessions) {
    for (const event of s.session.events) {
      if (event.kind !== 'reply' || !event.inTls || event.code !== 250 || event.parts.length < 2) continue;
      const i = listEhloKeywords(event).indexOf('STARTTLS');
      if (i < 0) continue;
      ctx.report({ span: event.parts[i + 1].span, message: 'The EHLO reply inside TLS lists STARTTLS again; RFC 3207 §4.2: a server must not offer STARTTLS once TLS is in place.' });
    }
    for (const step of getDialogue(s).steps) {
      if (step.sasl || step.command.verb !== 'STARTTLS' || !step.command.inTls) continue;
      ctx.report({ span: step.command.span, message: 'The client issues STARTTLS inside TLS; RFC 3207 §4.2 allows STARTTLS only once per session (a server answers 503).' });
    }
  }
};

/** An EHLO keyword that is STARTTLS overwritten by a middlebox (RFC 7457 §2.2), e.g. "XXXXXXXA". */
function isStrippedStarttls(keyword: string): boolean {
  return /^X{7}A$/i.test(keyword) || /^X{8}$/i.test(keyword);
}

export const checkStarttlsNotAdvertised: RuleCheck = (ctx) => {
  for (const s of ctx.input.sessions) {
    const d = getDialogue(s);
    for (const step of d.steps) {
      if (step.command.verb === 'EHLO' && step.reply) {
        step.reply.lines.forEach((line, i) => {
          const kw = line.trim().split(/\s+/)[0];
          if (i === 0 || !isStrippedStarttls(kw)) return;
          ctx.report({ span: step.reply!.parts[i].span, message: `EHLO keyword "${kw}" has the length of STARTTLS and looks like STARTTLS overwritten by a middlebox (STARTTLS stripping, RFC 7457 §2.2).` });
        });
      }
    }
    for (const x of listExchanges([s])) {
      if (s.session.repliesNotShown || !isEhloReplyKnown(s, x.step)) continue;
      const ehlo = findEhloReply(s, x.step);
      const greeted = d.greeting !== null || d.steps.some((st) => st !== x.step && st.eventIndex < x.step.eventIndex);
      if (!greeted) continue;
      if (ehlo && listEhloKeywords(ehlo).includes('STARTTLS')) continue;
      ctx.report({
        span: x.step.command.span,
        message: ehlo
          ? 'STARTTLS is sent although the EHLO reply did not list it; RFC 3207 §3, §4: a client uses STARTTLS only when the server advertises it.'
          : 'STARTTLS is sent without an EHLO reply that advertises it; RFC 3207 §3: the server announces STARTTLS in its EHLO reply.',
        related: ehlo ? [{ span: ehlo.parts[0].span, message: 'EHLO reply without STARTTLS' }, ...x.related.slice(1)] : x.related.slice(1),
      });
    }
  }
};

/** SASL mechanisms that send the password itself (RFC 4616 PLAIN; LOGIN, never standardised). */
const CLEARTEXT_MECHANISMS = new Set(['PLAIN', 'LOGIN']);

/**
 * Event index from which a session's commands are known to be in plaintext when not marked as sent in
 * TLS: 0, or in a session whose start is not in the text (TLS may have started before it), its first
 * STARTTLS (Infinity when none).
 */
function plaintextKnownFrom(session: AnalyzedSession): number {
  if (!session.session.startMissing) return 0;
  const first = getDialogue(session).steps.find((st) => !st.sasl && st.command.verb === 'STARTTLS');
  return first ? first.eventIndex : Infinity;
}

/**
 * What a finding on a command sent before TLS adds where the tool logs nothing of TLS that starts with the connection
 * (Mutt's `smtps://`) and the session sent no STARTTLS: the log cannot tell that the command was not inside TLS.
 */
function implicitTlsCaveat(session: AnalyzedSession): string {
  if (!session.session.implicitTlsNotShown || getDialogue(session).steps.some((st) => !st.sasl && st.command.verb === 'STARTTLS')) return '';
  return " The tool's log does not show TLS that starts with the connection (`smtps://`): if this one did, suppress the finding with that as the reason.";
}

export const checkAuthBeforeTls: RuleCheck = (ctx) => {
  for (const s of ctx.input.sessions) {
    if (ctx.portOf(s) === 465) continue;
    const from = plaintextKnownFrom(s);
    for (const step of getDialogue(s).steps) {
      if (step.sasl || step.command.verb !== 'AUTH' || step.command.inTls || step.eventIndex < from) continue;
      const mech = step.command.argument.trim().split(/\s+/)[0].toUpperCase();
      const cleartext = CLEARTEXT_MECHANISMS.has(mech);
      // Point at the verb and mechanism only: the span never covers the credentials.
      const span = { start: step.command.span.start, end: Math.min(step.command.span.end, step.command.span.start + 5 + mech.length) };
      ctx.report({
        span,
        severity: cleartext ? undefined : 'warning',
        message: cleartext
          ? `${describeStep(step)} before TLS: ${mech} sends the user name and password readable by anyone on the path; RFC 4954 §4 and RFC 4616 §5 want such mechanisms only under TLS (credentials masked here).${implicitTlsCaveat(s)}`
          : `${describeStep(step)} before TLS: the exchange is visible and can be replayed or downgraded; RFC 4954 §9 recommends TLS first.${implicitTlsCaveat(s)}`,
      });
    }
  }
};

export const checkRequiretlsBeforeTls: RuleCheck = (ctx) => {
  for (const s of ctx.input.sessions) {
    const from = plaintextKnownFrom(s);
    for (const step of getDialogue(s).steps) {
      if (step.sasl || step.command.verb !== 'MAIL' || step.command.inTls || step.eventIndex < from) continue;
      if (!/(^|\s)REQUIRETLS(\s|$)/i.test(step.command.argument)) continue;
      ctx.report({
        span: step.command.span,
        message: `${describeStep(step)} asks for REQUIRETLS outside TLS; RFC 8689 §2 allows the REQUIRETLS parameter only in a session protected by TLS.${implicitTlsCaveat(s)}`,
      });
    }
  }
};

export const checkSubmissionPreferImplicitTls: RuleCheck = (ctx: RuleContext) => {
  for (const x of listExchanges(ctx.input.sessions)) {
    if (ctx.portOf(x.session) !== 587) continue;
    ctx.report({
      span: x.step.command.span,
      message: 'STARTTLS on the submission port 587; RFC 8314 §3.3 recommends implicit TLS on port 465 for message submission, so no plaintext step can be stripped.',
    });
  }
};
