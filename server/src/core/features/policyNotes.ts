/**
 * Hover on a `# smtptls-policy: mta-sts|dane|none` comment: which TLS policy the receiving domain publishes for the
 * sessions below it, and what the rules judge under it (rules/policyContext.ts, rules/checks/policy.ts).
 */
import type { Analysis } from '../analysis/analyzeDocument';
import { findPolicyDirectives } from '../rules/directives';
import { LineIndex } from '../text/lineIndex';
import type { TlsPolicy } from '../rules/types';
import { refRfc } from './references';
import type { PlacedNote } from './smtpNotes';

const ABOUT: Readonly<Record<TlsPolicy, Omit<PlacedNote, 'span'>>> = {
  'mta-sts': {
    title: 'The receiving domain publishes MTA-STS in enforce mode (for the sessions below)',
    about:
      'A sender honouring the policy delivers only over TLS, to an MX host whose certificate is valid for its name, unexpired and trusted. ' +
      '`policy-tls-required` reports an EHLO reply without STARTTLS, a refused STARTTLS, MAIL sent in the clear and a chain a tool could not trust; a certificate that does ' +
      'not cover the MX name, or is past its dates, is an error on port 25 too. In testing mode delivery goes on and failures are only reported: leave the comment out.',
    refs: [refRfc(8461, '4.2'), refRfc(8461, '5')],
  },
  dane: {
    title: 'The receiving domain publishes DANE TLSA records (for the sessions below)',
    about:
      'A client that found usable TLSA records for the MX host delivers only over TLS. `policy-tls-required` reports an EHLO reply without ' +
      'STARTTLS, a refused STARTTLS and MAIL sent in the clear. Whether the certificate\'s name and dates count depends on the TLSA records, which a log does not show.',
    refs: [refRfc(7672, '2.2'), refRfc(7672, '3.1')],
  },
  none: {
    title: 'No TLS policy for the sessions below',
    about: 'Opportunistic TLS: a sender may deliver in the clear when TLS is not offered. Lifts a `# smtptls-policy:` comment above, and the `smtpTls.policy` setting.',
    refs: [refRfc(7435)],
  },
};

/** The note for the `# smtptls-policy:` comment under `offset`, or null. */
export function describePolicyDirectiveAt(analysis: Analysis, offset: number): PlacedNote | null {
  const line = analysis.lines.lineAt(offset);
  const start = analysis.lines.lineStart(line);
  const end = analysis.lines.lineEnd(line);
  if (end - start > 200) return null;
  const text = analysis.text.slice(start, end);
  if (!text.includes('smtptls-policy')) return null;
  const [d] = findPolicyDirectives(text, new LineIndex(text));
  if (!d) return null;
  const at = text.indexOf('#');
  return { span: { start: start + at, end }, ...ABOUT[d.policy] };
}
