/**
 * Does a certificate cover a host name (RFC 6125 §6.4, as RFC 7817 §3 applies it to mail)?
 * The DNS names of the subjectAltName are the presented identifiers; only when there is
 * none does the subject's common name count. A wildcard is accepted only as the whole
 * leftmost label (`*.example.com`), standing for exactly one label. Comparison ignores
 * ASCII case and a trailing dot; international names are compared as written (A-labels).
 */

/** What the certificate presents and whether it covers the name. */
export interface NameCoverage {
  readonly covered: boolean;
  /** The identifiers compared: the DNS names, or the common names when there are none. */
  readonly presented: readonly string[];
  readonly from: 'subjectAltName' | 'commonName' | 'none';
}

function normalise(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** One presented DNS identifier against the reference name. */
export function matchesPresentedName(reference: string, presented: string): boolean {
  const ref = normalise(reference);
  const pat = normalise(presented);
  if (pat.length === 0 || ref.length === 0) return false;
  if (!pat.startsWith('*.')) return ref === pat;
  // RFC 6125 §6.4.3: the wildcard is the whole leftmost label and matches one label only.
  const rest = pat.slice(1);
  const dot = ref.indexOf('.');
  if (dot <= 0) return false;
  // Never a wildcard over a single remaining label ("*.com").
  if (!rest.slice(1).includes('.')) return false;
  return ref.slice(dot) === rest;
}

/** The values of `CN=` in an RFC 4514 distinguished name text (escaped commas kept). */
export function commonNamesOf(dn: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[,+]\s*)CN=((?:[^,+\\]|\\.)*)/g;
  for (let m = re.exec(dn); m !== null; m = re.exec(dn)) out.push(m[1].replace(/\\(.)/g, '$1').trim());
  return out;
}

/**
 * Whether a certificate with these subjectAltNames ("DNS:mx.example.test", as x509Summary
 * lists them) and this subject covers `host`.
 */
export function certificateCoversName(host: string, subjectAltNames: readonly string[], subject: string): NameCoverage {
  const dns = subjectAltNames.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4));
  if (dns.length > 0) return { covered: dns.some((d) => matchesPresentedName(host, d)), presented: dns, from: 'subjectAltName' };
  const cns = commonNamesOf(subject);
  if (cns.length > 0) return { covered: cns.some((d) => matchesPresentedName(host, d)), presented: cns, from: 'commonName' };
  return { covered: false, presented: [], from: 'none' };
}
