/**
 * The certificates a peer sends: tls-certificate-chain-order, tls-certificate-weak-key,
 * tls-certificate-weak-signature, tls-certificate-name-mismatch, tls-certificate-expired.
 */
import type { Severity, TlsPolicy } from '../types';
import type { RuleCheck } from '../ruleContext';
import { listCertificateChains, listSessionChains, type CertificateChainSite, type CertificateEntrySite } from '../certificateSites';
import { sessionVerifyErrors, type VerifyVerdict } from '../opensslVerdicts';
import { certificateCoversName } from '../../tls/hostnameMatch';
import { isSubmissionPort } from '../portContext';
import { isIpLiteral } from './helloContent';
import { findTimeDirectives } from '../directives';
import { resolveSessionTime } from '../sessionTime';
import { formatKeyId } from '../../tls/certificateFacts';
import { lookupCurveByName } from '../../tls/namedCurves';
import { MIN_EC_BITS, MIN_RSA_BITS } from '../keyStrength';
import { describeVerdictSubject } from '../../formats/postfixTlsFacts';


/** Signature algorithms whose hash is broken (MD2, MD5, SHA-1), by OID (RFC 8017 App. C, RFC 5758, RFC 3279). */
const WEAK_SIGNATURES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.2', 'MD2'],
  ['1.2.840.113549.1.1.4', 'MD5'],
  ['1.2.840.113549.1.1.5', 'SHA-1'],
  ['1.2.840.10045.4.1', 'SHA-1'],
  ['1.2.840.10040.4.3', 'SHA-1'],
  // sha1WithRSAEncryption as some old CAs wrote it (OIW).
  ['1.3.14.3.2.29', 'SHA-1'],
]);

/** "certificate 1 (CN=Example CA)": the position and subject of a certificate in its list. */
function nameOf(e: CertificateEntrySite, chain: CertificateChainSite): string {
  const whose = e.index === 0 ? `the ${chain.sender ?? 'sender'}'s certificate` : `certificate ${e.index} of the chain`;
  return `${whose} (${e.summary.subject || 'empty subject'})`;
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Why `next` is not the certificate that issued `issued`, or null when it is: its subject must be
 * the issuer's name (RFC 5280 §6.1.3 (a)(4)) and, where both certificates carry key identifiers,
 * its subjectKeyIdentifier must be the issued one's authorityKeyIdentifier (RFC 5280 §4.2.1.1):
 * a CA that changed keys keeps its name.
 */
function notIssuedBy(issued: CertificateEntrySite, next: CertificateEntrySite): string | null {
  if (next.summary.subject !== issued.summary.issuer) return `which was issued by ${issued.summary.issuer || 'an empty name'}`;
  const aki = issued.summary.authorityKeyId;
  const ski = next.summary.subjectKeyId;
  if (!aki || !ski || aki === ski) return null;
  return (
    `which names it as issuer but was signed by key ${formatKeyId(aki)} (its authorityKeyIdentifier), ` +
    `not by certificate ${next.index}'s key ${formatKeyId(ski)} (subjectKeyIdentifier): another key under the same name (RFC 5280 §4.2.1.1)`
  );
}

export const checkCertificateChainOrder: RuleCheck = (ctx) => {
  for (const chain of listCertificateChains(ctx.input)) {
    const list = chain.entries;
    for (let i = 0; i + 1 < list.length; i++) {
      const issued = list[i];
      const next = list[i + 1];
      const why = notIssuedBy(issued, next);
      if (why === null) continue;
      const rule = chain.tls13
        ? 'RFC 8446 §4.4.2 asks that each certificate be followed by the one that issued it (TLS 1.3 receivers must cope with other orders)'
        : 'RFC 5246 §7.4.2 requires each certificate to be followed by the one that directly certifies it';
      ctx.report({
        span: next.spanOf('subject'),
        message: `${capitalised(nameOf(next, chain))} follows ${nameOf(issued, chain)}, ${why}; ${rule}.`,
        severity: chain.tls13 ? 'warning' : undefined,
        related: [{ span: issued.spanOf('issuer'), message: `issuer of certificate ${issued.index}: ${issued.summary.issuer}` }],
      });
      break;
    }
  }
};

/** Whether a key is short by BCP 195, and what the rule asks for instead; null when it is not (or its size is unknown). */
function shortKey(keyType: string, keyBits: number): string | null {
  if (keyBits <= 0) return null;
  const rsaLike = keyType === 'RSA' || keyType === 'RSA-PSS' || keyType === 'DSA';
  const short = rsaLike ? keyBits < MIN_RSA_BITS : keyType === 'EC' && keyBits < MIN_EC_BITS;
  if (!short) return null;
  return rsaLike ? `${keyType} keys of at least ${MIN_RSA_BITS} bits` : `no curves under ${MIN_EC_BITS} bits`;
}

export const checkCertificateWeakKey: RuleCheck = (ctx) => {
  for (const chain of listCertificateChains(ctx.input)) {
    for (const e of chain.entries) {
      const { keyType, keyBits } = e.summary;
      const floor = shortKey(keyType, keyBits);
      if (floor === null) continue;
      ctx.report({
        span: e.spanOf('subjectPublicKeyInfo'),
        message: `${capitalised(nameOf(e, chain))} has a ${keyBits}-bit ${keyType} key; BCP 195 (RFC 7525 §4.3) asks for ${floor}.`,
      });
    }
  }
  // Where a session shows no certificate, the key a log says signed the handshake (Postfix's
  // `server-signature RSA-PSS (1024 bits)`) is that side's certificate key.
  for (const session of ctx.input.sessions) {
    if (listSessionChains(session, ctx.input.text).length > 0) continue;
    for (const event of session.session.events) {
      if (event.kind !== 'stated' || !event.signingKeys) continue;
      for (const key of event.signingKeys) {
        const curve = key.curve !== null ? lookupCurveByName(key.curve) : undefined;
        const keyType = key.algorithm === 'ECDSA' ? 'EC' : key.algorithm === 'RSA-PSS' ? 'RSA' : key.algorithm;
        const bits = key.bits ?? curve?.bits ?? 0;
        const floor = shortKey(keyType, bits);
        if (floor === null) continue;
        const size = key.curve !== null ? `${bits}-bit key on ${key.curve}` : `${bits}-bit ${keyType} key`;
        ctx.report({
          span: key.span,
          message: `The log states that the ${key.side} signed the handshake with a ${size} (${key.algorithm}), the key of its certificate; BCP 195 (RFC 7525 §4.3) asks for ${floor}.`,
        });
      }
    }
  }
};

export const checkCertificateWeakSignature: RuleCheck = (ctx) => {
  for (const chain of listCertificateChains(ctx.input)) {
    for (const e of chain.entries) {
      const hash = WEAK_SIGNATURES.get(e.summary.signatureAlgorithmOid);
      if (!hash || e.summary.selfSigned) continue;
      ctx.report({
        span: e.spanOf('signatureAlgorithm'),
        message:
          `${capitalised(nameOf(e, chain))} is signed by ${e.summary.issuer} with ${e.summary.signatureAlgorithm} (${hash}); ` +
          `${hash} collisions are practical, so the signature no longer proves the issuer; RFC 8446 §4.2.3 keeps SHA-1 certificate signatures for backward compatibility only.`,
      });
    }
  }
};

/**
 * Where the port makes a name mismatch more or less grave: the severity and the sentence that says why (RFC 7817 §3 for
 * submission); `stated`: a client that checked the name says so (its own policy, whatever the port).
 */
function nameMismatchContext(port: number | null, policy: TlsPolicy, stated = false): { severity: Severity | undefined; where: string } {
  if (isSubmissionPort(port)) return { severity: 'error', where: ` On submission port ${port} the client must check the name (RFC 7817 §3).` };
  if (policy === 'mta-sts') return { severity: 'error', where: ` ${MTA_STS_CERTIFICATE}` };
  if (policy === 'dane') return { severity: port === 25 ? 'information' : undefined, where: ` ${DANE_CERTIFICATE}` };
  if (port === 25) return { severity: 'information', where: stated ? '' : ' On port 25 relays usually encrypt without checking names, unless DANE or MTA-STS applies.' };
  return { severity: undefined, where: '' };
}

/** Why a certificate finding is an error under a domain's MTA-STS policy in enforce mode (a `# smtptls-policy:` comment or the setting). */
const MTA_STS_CERTIFICATE =
  "The domain publishes MTA-STS in enforce mode: the MX host's certificate must be valid for its name, unexpired and trusted, or senders do not deliver (RFC 8461 §4.2, §5).";
/** What DANE makes of a certificate's name and dates: it depends on the TLSA records, which a log does not show. */
const DANE_CERTIFICATE =
  'Under DANE whether this counts depends on the TLSA records, which the log does not show: DANE-EE(3) records check neither the name nor the dates (RFC 7672 §3.1).';

/** The severity of a certificate outside its validity period, and what a policy adds: an error on submission ports and under MTA-STS. */
function validityContext(port: number | null, policy: TlsPolicy): { severity: Severity | undefined; where: string } {
  if (isSubmissionPort(port)) return { severity: 'error', where: '' };
  if (policy === 'mta-sts') return { severity: 'error', where: ` ${MTA_STS_CERTIFICATE}` };
  return { severity: undefined, where: policy === 'dane' ? ` ${DANE_CERTIFICATE}` : '' };
}

/** X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH (s_client's `-verify_hostname`, `-verify_ip`). */
const NAME_RESULTS: ReadonlySet<number> = new Set([62, 64]);

export const checkCertificateNameMismatch: RuleCheck = (ctx) => {
  // Sessions whose server certificate is judged here against the name the client sent: a tool's verdict there says no more.
  const judged = new Set<CertificateChainSite['session']>();
  for (const chain of listCertificateChains(ctx.input)) {
    // An address literal in server_name is tls-sni-invalid's finding; no DNS name is asked for.
    if (chain.sender === 'client' || !chain.serverName || isIpLiteral(chain.serverName.name)) continue;
    const leaf = chain.entries[0];
    // A description that leaves out the subjectAltName (gnutls-cli's line) cannot say which names the certificate covers.
    if (leaf.index !== 0 || leaf.summary.subjectAltNamesUnread) continue;
    judged.add(chain.session);
    const coverage = certificateCoversName(chain.serverName.name, leaf.summary.subjectAltNames, leaf.summary.subject);
    if (coverage.covered) continue;
    const { severity, where } = nameMismatchContext(ctx.portOf(chain.session), ctx.policyOf(chain.session));
    const presented =
      coverage.from === 'subjectAltName'
        ? `its subjectAltName names ${coverage.presented.join(', ')}`
        : coverage.from === 'commonName'
          ? `it has no DNS name in a subjectAltName, and its common name is ${coverage.presented.join(', ')}`
          : 'it names no host at all';
    ctx.report({
      span: leaf.spanOf(coverage.from === 'subjectAltName' ? 'subjectAltName' : 'subject'),
      message: `The server's certificate does not cover "${chain.serverName.name}", the name the client sent in server_name: ${presented}.${where}`,
      severity,
      related: [chain.serverName.related],
    });
  }
  // Elsewhere, a tool's own verdict that the server's certificate does not cover the name it checked: PHP's and curl's,
  // which name it; Postfix's and s_client's (OpenSSL's result 62), whose name is their policy's or command line's.
  const verifyErrors = sessionVerifyErrors(ctx.input);
  ctx.input.sessions.forEach((session, k) => {
    if (judged.has(session)) return;
    const { severity, where } = nameMismatchContext(ctx.portOf(session), ctx.policyOf(session), true);
    for (const event of session.session.events) {
      if (event.kind !== 'stated' || event.verdict?.problem !== 'name-mismatch') continue;
      const v = event.verdict;
      const name = v.expectedName !== undefined ? `"${v.expectedName}", the name the client expected` : 'the name it was to match';
      ctx.report({
        span: v.reasonSpan,
        message: `${v.tool} states that the server's certificate does not cover ${name} ("${v.reason}"), a check that fails the handshake for a client that verifies.${where}`,
        severity,
      });
    }
    for (const v of verifyErrors[k]) {
      if (!NAME_RESULTS.has(v.code)) continue;
      const what = v.code === 62 ? 'the host name it was asked to verify (-verify_hostname)' : 'the IP address it was asked to verify (-verify_ip)';
      ctx.report({
        span: v.span,
        message: `openssl s_client states that the server's certificate${v.subject ? ` (${v.subject})` : ''} does not cover ${what} ("${v.reason}", verify error ${v.code}).${where}`,
        severity,
        ...(v.depthSpan ? { related: [{ span: v.depthSpan, message: `the certificate s_client verified at depth ${v.depth}` }] } : {}),
      });
    }
  });
};

/** "2026-11-30 08:13 UTC". */
function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const DAY = 24 * 60 * 60 * 1000;

/** "3 days", "1 day", "5 hours": how far apart two times are, roughly. */
function formatDistance(ms: number): string {
  const days = Math.floor(ms / DAY);
  if (days >= 1) return `${days.toLocaleString('en-US')} day${days === 1 ? '' : 's'}`;
  const hours = Math.max(1, Math.round(ms / (60 * 60 * 1000)));
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/** X509_V_ERR_CERT_NOT_YET_VALID, X509_V_ERR_CERT_HAS_EXPIRED (openssl's verify results). */
const NOT_YET_VALID = 9;
const HAS_EXPIRED = 10;
/** How a certificate finding says where the session's time comes from. */
const STATED_TIME = { tool: 'as the tool states it', log: 'the timestamp of its first log line', comment: 'from the `# smtptls-time:` line' } as const;

export const checkCertificateExpired: RuleCheck = (ctx) => {
  const directives = findTimeDirectives(ctx.input.text, ctx.input.lines);
  const verifyErrors = sessionVerifyErrors(ctx.input);
  for (const [k, session] of ctx.input.sessions.entries()) {
    const chains = listSessionChains(session, ctx.input.text);
    // Once per session: a session may show many chains (a file of PEM certificates, each a chain of its own).
    const when = chains.length > 0 ? resolveSessionTime(session, directives, ctx.input.settings.time ?? null) : null;
    if (!when) {
      // No certificate to judge, or none that can be dated: what the tools said when they verified them.
      reportStatedValidity(ctx, session, verifyErrors[k]);
      reportLoggedVerdicts(ctx, session);
      continue;
    }
    const { severity, where } = validityContext(ctx.portOf(session), ctx.policyOf(session));
    const stated = STATED_TIME[when.source];
    for (const chain of chains) {
      for (const e of chain.entries) {
        const notBefore = Date.parse(e.summary.notBefore);
        const notAfter = Date.parse(e.summary.notAfter);
        let what: string;
        if (when.time > notAfter) what = `expired on ${formatTime(notAfter)}, ${formatDistance(when.time - notAfter)} before`;
        else if (when.time < notBefore) what = `becomes valid only on ${formatTime(notBefore)}, ${formatDistance(notBefore - when.time)} after`;
        else continue;
        ctx.report({
          span: e.spanOf('validity'),
          message:
            `${capitalised(nameOf(e, chain))} ${what} the session (${formatTime(when.time)}, ${stated}); ` +
            `RFC 5280 §6.1.3 accepts a certificate only within its validity period.${where}`,
          severity,
          ...(when.span ? { related: [{ span: when.span, message: `the session's time: ${formatTime(when.time)}` }] } : {}),
        });
      }
    }
  }
};

/**
 * A session whose certificates cannot be judged (none shown, or no time): the verdicts Postfix,
 * posttls-finger or curl logged on a certificate's dates when they verified it
 * (`server certificate verification failed for mx[192.0.2.1]:25: certificate has expired`,
 * `SSL certificate verify result: certificate has expired (10)`).
 */
function reportLoggedVerdicts(ctx: Parameters<RuleCheck>[0], session: CertificateChainSite['session']): void {
  for (const event of session.session.events) {
    if (event.kind !== 'stated' || !event.verdict || event.verdict.problem === 'name-mismatch') continue;
    const v = event.verdict;
    const { severity, where } = validityContext(ctx.portOf(session), ctx.policyOf(session));
    const which = describeVerdictSubject(v, event.direction);
    const what = v.problem === 'expired' ? 'had expired' : 'was not yet valid';
    ctx.report({
      span: v.reasonSpan,
      message: `${v.tool} states that ${which} ${what} when it verified it during the session ("${v.reason}"); RFC 5280 §6.1.3 accepts a certificate only within its validity period.${where}`,
      severity,
    });
  }
}

/**
 * A session that shows no certificate to judge (s_client -brief), or none that can be dated: s_client's own verdict that a
 * certificate it verified had expired or was not yet valid, by its clock during the session. With
 * -quiet, s_client prints the same verdicts but nothing of the session: against a server that says
 * nothing (tried against s_server) the output holds no session, and nothing is judged.
 */
function reportStatedValidity(ctx: Parameters<RuleCheck>[0], session: CertificateChainSite['session'], verdicts: readonly VerifyVerdict[]): void {
  const { severity, where } = validityContext(ctx.portOf(session), ctx.policyOf(session));
  for (const v of verdicts) {
    if (v.code !== HAS_EXPIRED && v.code !== NOT_YET_VALID) continue;
    const which = v.depth === 0 ? "the server's certificate" : v.depth !== null ? `certificate ${v.depth} of the chain` : 'a certificate of the chain';
    const what = v.code === HAS_EXPIRED ? 'had expired' : 'was not yet valid';
    ctx.report({
      span: v.span,
      message:
        `openssl s_client states that ${which}${v.subject ? ` (${v.subject})` : ''} ${what} when it verified it during the session ` +
        `("${v.reason}", verify error ${v.code}); RFC 5280 §6.1.3 accepts a certificate only within its validity period.${where}`,
      severity,
      ...(v.depthSpan ? { related: [{ span: v.depthSpan, message: `the certificate s_client verified at depth ${v.depth}` }] } : {}),
    });
  }
}
