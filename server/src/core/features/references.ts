/** Links to RFC sections and IANA registries, as the hovers and annotations print them. */

export interface Reference {
  /** Short label: "RFC 5246 §7.4.1.2". */
  readonly label: string;
  readonly url: string;
}

/** A reference to an RFC, a section ("4.1.2") or an appendix ("E.2"). */
export function refRfc(num: number, section?: string): Reference {
  const base = `https://www.rfc-editor.org/rfc/rfc${num}`;
  if (!section) return { label: `RFC ${num}`, url: base };
  if (/^[A-Z]/.test(section)) return { label: `RFC ${num} App. ${section}`, url: `${base}#appendix-${section}` };
  return { label: `RFC ${num} §${section}`, url: `${base}#section-${section}` };
}

export const IANA_TLS_PARAMETERS: Reference = {
  label: 'IANA TLS parameters',
  url: 'https://www.iana.org/assignments/tls-parameters/tls-parameters.xhtml',
};

export const IANA_TLS_EXTENSIONS: Reference = {
  label: 'IANA TLS ExtensionType values',
  url: 'https://www.iana.org/assignments/tls-extensiontype-values/tls-extensiontype-values.xhtml',
};

export const IANA_SMTP_ENHANCED_CODES: Reference = {
  label: 'IANA SMTP enhanced status codes',
  url: 'https://www.iana.org/assignments/smtp-enhanced-status-codes/smtp-enhanced-status-codes.xhtml',
};

/** Markdown link for a reference. */
export function formatReferenceLink(ref: Reference): string {
  return `[${ref.label}](${ref.url})`;
}
