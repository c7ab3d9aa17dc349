/**
 * policy-tls-required: under a TLS policy the receiving domain publishes (a `# smtptls-policy:` comment or the setting;
 * rules/policyContext.ts), mail is delivered only over TLS. MTA-STS in enforce mode: a sender does not deliver to an MX
 * host that does not support STARTTLS or fails certificate validation (RFC 8461 §5); DANE: a client that found usable
 * TLSA records does not deliver without TLS (RFC 7672 §2.2). Judged in a session on a port other than the submission
 * ones (the policies are for relaying between MTAs), the first three where the session's start is in the text:
 * - the server's EHLO reply outside TLS does not offer STARTTLS (senders honouring the policy cannot deliver);
 * - the server refuses STARTTLS;
 * - the client sends MAIL outside TLS (it delivers against the policy);
 * - under MTA-STS, which also asks for a certificate that chains to a trusted root (RFC 8461 §4.2): the tool states the
 *   TLS connection untrusted (Postfix's and posttls-finger's `Untrusted TLS connection established`, `Anonymous` for no
 *   certificate) or s_client's verification of the chain failed for want of a trusted issuer (verify errors 2, 18-21,
 *   24, 27, 28). DANE does not rest on that trust (a DANE-EE(3) record pins the certificate itself).
 */
import type { AnalyzedSession } from '../../analysis/analyzeDocument';
import { describeStep, listEhloKeywords } from '../dialogue';
import { isSubmissionPort } from '../portContext';
import { POLICY_NAMES } from '../policyContext';
import type { RuleCheck, RuleContext } from '../ruleContext';
import type { TlsPolicy } from '../types';
import { getDialogue, isEhloReplyKnown } from './smtpDialogue';
import { sessionVerifyErrors, type VerifyVerdict } from '../opensslVerdicts';

/** What the policy forbids, and where it says so. */
function requirement(policy: Exclude<TlsPolicy, 'none'>): string {
  return policy === 'mta-sts'
    ? 'a sender that honours it delivers only over TLS, with a certificate valid for the MX host (RFC 8461 §5)'
    : 'a client that found usable TLSA records delivers only over TLS (RFC 7672 §2.2)';
}

/** OpenSSL's verify results that say the chain does not lead to a trusted root: no issuer found, self-signed, untrusted or rejected. */
const UNTRUSTED_RESULTS: ReadonlySet<number> = new Set([2, 18, 19, 20, 21, 24, 27, 28]);
/** How Postfix's SMTP client and posttls-finger name a connection to a server whose chain did not verify, or that sent no certificate (smtpd's `... established from` is about its client). */
const UNTRUSTED_CONNECTION = /^(Untrusted|Anonymous) TLS connection established to /;

const MTA_STS_TRUST = 'MTA-STS (enforce): a sender delivers only to an MX host whose certificate chains to a root it trusts (RFC 8461 §4.2, §5).';

export const checkPolicyTlsRequired: RuleCheck = (ctx) => {
  const verifyErrors = ctx.input.text.includes('verify error:num=') ? sessionVerifyErrors(ctx.input) : null;
  ctx.input.sessions.forEach((s, k) => {
    const policy = ctx.policyOf(s);
    // Policies are for relaying between MTAs: not judged on the submission ports.
    if (policy === 'none' || isSubmissionPort(ctx.portOf(s))) return;
    // The dialogue's start must be in the text: before it the server may have offered STARTTLS, and TLS may be up.
    if (!s.session.startMissing) reportDialogue(ctx, s, `the domain publishes ${POLICY_NAMES[policy]}: ${requirement(policy)}.`);
    if (policy === 'mta-sts') reportUntrusted(ctx, s, verifyErrors?.[k] ?? []);
  });
};

/** A session's dialogue outside TLS: an EHLO reply without STARTTLS, a refused STARTTLS, the first MAIL (`why`: what the policy asks). */
function reportDialogue(ctx: RuleContext, s: AnalyzedSession, why: string): void {
  let refused = false;
  for (const step of getDialogue(s).steps) {
    if (step.sasl || step.command.inTls) continue;
    const verb = step.command.verb;
    // A HELO reply lists no extensions: after HELO only the client's MAIL in the clear is a finding.
    if (verb === 'EHLO' && step.reply && step.reply.code === 250 && !s.session.repliesNotShown && isEhloReplyKnown(s, step)) {
      if (listEhloKeywords(step.reply).includes('STARTTLS')) continue;
      ctx.report({ span: step.reply.parts[0].span, message: `The server's EHLO reply does not offer STARTTLS, yet ${why}` });
    } else if (verb === 'STARTTLS' && step.reply && step.reply.code !== 220 && !refused) {
      refused = true;
      ctx.report({ span: step.reply.parts[0].span, message: `The server refuses STARTTLS (${step.reply.code}), yet ${why}` });
    } else if (verb === 'MAIL') {
      ctx.report({ span: step.command.span, message: `${describeStep(step)} is sent outside TLS, yet ${why}` });
      return;
    }
  }
}

/** Under MTA-STS: what the log states of a chain that did not lead to a trusted root (`verifyErrors`: s_client's, of this session). */
function reportUntrusted(ctx: RuleContext, s: AnalyzedSession, verifyErrors: readonly VerifyVerdict[]): void {
  for (const e of s.session.events) {
    if (e.kind !== 'note' || e.note !== 'tls-established') continue;
    const m = UNTRUSTED_CONNECTION.exec(e.text);
    if (!m) continue;
    const what = m[1] === 'Untrusted' ? 'its certificate chain did not verify' : 'the server sent no certificate';
    ctx.report({ span: { start: e.span.start, end: e.span.start + m[1].length }, message: `The log states the TLS connection ${m[1]} (${what}), yet the domain publishes ${MTA_STS_TRUST}` });
  }
  const untrusted = verifyErrors.find((v) => UNTRUSTED_RESULTS.has(v.code));
  if (untrusted) {
    ctx.report({
      span: untrusted.span,
      message: `openssl s_client could not verify the server's chain ("${untrusted.reason}", verify error ${untrusted.code}), yet the domain publishes ${MTA_STS_TRUST}`,
    });
  }
}
