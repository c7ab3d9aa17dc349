/**
 * TLS secrets written into a log (analysis/tlsSecrets.ts), for the editor features: found once
 * per analysis, explained on hover without their value, replaced by the "Redact secrets" action.
 */
import type { Analysis } from '../analysis/analyzeDocument';
import { findTlsSecrets, type TlsSecretSpan } from '../analysis/tlsSecrets';
import type { Reference } from './references';

const CACHE = new WeakMap<Analysis, readonly TlsSecretSpan[]>();

/** The TLS secrets of an analysis' text, in document order (cached beside the analysis). */
export function getTlsSecrets(analysis: Analysis): readonly TlsSecretSpan[] {
  let secrets = CACHE.get(analysis);
  if (!secrets) {
    secrets = findTlsSecrets(analysis.text, analysis.lines);
    CACHE.set(analysis, secrets);
  }
  return secrets;
}

/** The secret on a line, or undefined. */
export function tlsSecretOnLine(analysis: Analysis, line: number): TlsSecretSpan | undefined {
  const secrets = getTlsSecrets(analysis);
  let lo = 0;
  let hi = secrets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (secrets[mid].line === line) return secrets[mid];
    if (secrets[mid].line < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

const rfc = (num: number, section: string): Reference => ({ label: `RFC ${num} §${section}`, url: `https://www.rfc-editor.org/rfc/rfc${num}#section-${section}` });

/** What a secret is and why it matters, never its value: title, text, references. */
export function describeTlsSecret(secret: TlsSecretSpan): { title: string; about: string; refs: Reference[] } {
  const advice = 'Use the *Redact secrets* quick fix before sharing this file.';
  switch (secret.kind) {
    case 'master-key':
      return {
        title: 'Master-Key',
        about: `The master secret of this TLS 1.2 (or older) session, as openssl s_client prints it: with it, anyone holding a capture of the connection can decrypt all of it. ${advice}`,
        refs: [rfc(5246, '8.1')],
      };
    case 'resumption-psk':
      return {
        title: 'Resumption PSK',
        about: `The resumption secret of this TLS 1.3 session, as openssl s_client prints it: it keys the sessions resumed with its ticket, so their early data, and all of a resumption without (EC)DHE, can be decrypted from a capture. ${advice}`,
        refs: [rfc(8446, '4.6.1'), rfc(8446, '2.2')],
      };
    case 'password':
      return {
        title: secret.label,
        about:
          secret.label === 'passwordeval'
            ? `The command msmtp runs for the account's password, as msmtp --debug prints its configuration: it may hold the password itself (\`echo ...\`). ${advice}`
            : secret.label === 'pass'
              ? `The SMTP AUTH password of the account s-nail uses, which s-nail -vv prints in the clear before it connects. ${advice}`
              : `A password setting as the log prints it (msmtp itself prints \`*\`). ${advice}`,
        refs: [],
      };
    default:
      return {
        title: secret.label,
        about: `A line of an NSS key log (SSLKEYLOGFILE): a connection's client random and one of its secrets, with which tools such as Wireshark decrypt a capture of that connection. ${advice}`,
        refs: [{ label: 'RFC 9850', url: 'https://www.rfc-editor.org/rfc/rfc9850' }],
      };
  }
}
