/**
 * policy-tls-required: under a TLS policy the receiving domain publishes (a `# smtptls-policy:` comment or the setting;
 * rules/policyContext.ts), mail is delivered only over TLS. MTA-STS in enforce mode: a sender does not deliver to an MX
 * host that does not support STARTTLS or fails certificate validation (RFC 8461 §5); DANE: a client that found usable
 * TLSA records does not deliver without TLS (RFC 7672 §2.2). Judged in a session on a port other than the submission
 * ones (the policies are for relaying between MTAs) whose start is in the text:
 * - the server's EHLO reply outside TLS does not offer STARTTLS (senders honouring the policy cannot deliver);
 * - the server refuses STARTTLS;
 * - the client sends MAIL outside TLS (it delivers against the policy).
 */
import type { AnalyzedSession } from '../../analysis/analyzeDocument';
import { describeStep, listEhloKeywords } from '../dialogue';
import { isSubmissionPort } from '../portContext';
import { POLICY_NAMES } from '../policyContext';
import type { RuleCheck } from '../ruleContext';
import type { TlsPolicy } from '../types';
import { getDialogue, isEhloReplyKnown } from './smtpDialogue';

/** What the policy forbids, and where it says so. */
function requirement(policy: Exclude<TlsPolicy, 'none'>): string {
  return policy === 'mta-sts'
    ? 'under its MTA-STS policy in enforce mode a sender delivers only over TLS with a certificate valid for the MX host (RFC 8461 §5)'
    : 'under DANE a client that found usable TLSA records delivers only over TLS (RFC 7672 §2.2)';
}

function judged(session: AnalyzedSession, port: number | null): boolean {
  return !session.session.startMissing && !isSubmissionPort(port) && port !== 465;
}

export const checkPolicyTlsRequired: RuleCheck = (ctx) => {
  for (const s of ctx.input.sessions) {
    const policy = ctx.policyOf(s);
    if (policy === 'none' || !judged(s, ctx.portOf(s))) continue;
    const why = `the domain publishes ${POLICY_NAMES[policy]}: ${requirement(policy)}.`;
    let refused = false;
    for (const step of getDialogue(s).steps) {
      if (step.sasl || step.command.inTls) continue;
      const verb = step.command.verb;
      if ((verb === 'EHLO' || verb === 'HELO') && step.reply && step.reply.code === 250 && !s.session.repliesNotShown && isEhloReplyKnown(s, step)) {
        if (verb === 'EHLO' && listEhloKeywords(step.reply).includes('STARTTLS')) continue;
        ctx.report({
          span: step.reply.parts[0].span,
          message: `The server's ${verb} reply does not offer STARTTLS, yet ${why}`,
        });
      } else if (verb === 'STARTTLS' && step.reply && step.reply.code !== 220 && !refused) {
        refused = true;
        ctx.report({ span: step.reply.parts[0].span, message: `The server refuses STARTTLS (${step.reply.code}), yet ${why}` });
      } else if (verb === 'MAIL') {
        ctx.report({ span: step.command.span, message: `${describeStep(step)} is sent outside TLS, yet ${why}` });
        break;
      }
    }
  }
};
