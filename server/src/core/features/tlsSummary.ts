/**
 * Short textual summaries of decoded TLS: what a dump holds, what a session
 * negotiated. Shared by the annotations (code actions), code lenses, inlay
 * hints and document symbols, so they all say the same thing.
 */
import { describeKeyIds, describeValidity } from '../tls/certificateFacts';
import type { CertificateSummary } from '../tls/x509Summary';
import type { Analysis, AnalyzedSession } from '../analysis/analyzeDocument';
import type { TlsEvent } from '../analysis/tlsStreams';
import type { ClientHelloMessage, HandshakeMessage, ServerHelloMessage, TlsRecord } from '../model/tls';
import type { Finding } from '../rules/types';
import { findRule } from '../rules/catalog';
import {
  describeVersion,
  hexOf,
  lookupAlertDescription,
  lookupCipherSpec,
  lookupCipherSuite,
  lookupCompressionMethod,
  lookupContentType,
  lookupExtensionType,
  lookupSupportedGroup,
  lookupVersion,
} from '../tls/registry';

export interface SessionTls {
  readonly clientHello: ClientHelloMessage | null;
  readonly serverHello: ServerHelloMessage | null;
  /** Version the server selected (supported_versions wins over server_version), or null. */
  readonly version: number | null;
  readonly cipherSuite: number | null;
  /** What a ServerHello the tool states field by field says, when none is decoded. */
  readonly statedHello: { readonly version: number; readonly cipherSuite: number } | null;
  /** Text of a tool's own "TLS started / connection established" line when no ServerHello is shown. */
  readonly statedByTool: string | null;
  /** First fatal alert, as "fatal handshake_failure". */
  readonly fatalAlert: string | null;
}

function isClientHello(m: HandshakeMessage): m is ClientHelloMessage {
  return m.type === 1 && 'form' in m;
}

function isServerHello(m: HandshakeMessage): m is ServerHelloMessage {
  return m.type === 2 && 'cipherSuite' in m;
}

/** The hellos, negotiated parameters and first fatal alert of a session. */
export function summarizeSessionTls(session: AnalyzedSession): SessionTls {
  let clientHello: ClientHelloMessage | null = null;
  let serverHello: ServerHelloMessage | null = null;
  let fatalAlert: string | null = null;
  for (const ev of session.tlsEvents) {
    for (const r of ev.records) {
      for (const m of r.messages) {
        if (!clientHello && isClientHello(m)) clientHello = m;
        else if (!serverHello && isServerHello(m) && m.name === 'ServerHello') serverHello = m;
      }
      if (!fatalAlert && r.alert && r.alert.level === 2) fatalAlert = r.alert.name;
    }
  }
  let statedByTool: string | null = null;
  let statedHello: { version: number; cipherSuite: number } | null = null;
  for (const e of session.session.events) {
    // A ServerHello a tool states field by field (tshark -V), where none is decoded: its version (supported_versions wins) and suite.
    if (!serverHello && !statedHello && e.kind === 'stated' && e.subject === 'server-hello' && e.cipherSuite !== undefined && e.version !== undefined) {
      statedHello = { version: e.supportedVersions?.length === 1 ? e.supportedVersions[0] : e.version, cipherSuite: e.cipherSuite };
    }
    // A fatal alert a log or tool states, where the bytes show none (a failed handshake told in words).
    if (!fatalAlert && e.kind === 'stated' && e.subject === 'alert' && e.alertLevel === 2 && e.alertDescription !== undefined) {
      fatalAlert = lookupAlertDescription(e.alertDescription).name;
    }
    if (e.kind === 'note' && e.note === 'tls-established') {
      statedByTool = e.text.trim();
      break;
    }
  }
  return {
    clientHello,
    serverHello,
    version: serverHello ? (serverHello.selectedVersion ?? serverHello.version) : null,
    cipherSuite: serverHello ? serverHello.cipherSuite : null,
    statedHello,
    statedByTool,
    fatalAlert,
  };
}

/**
 * "TLS 1.2 · TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", what the tool stated (its own line, or its
 * ServerHello's fields: "... (stated)"), or "no TLS handshake shown".
 */
export function formatNegotiated(tls: SessionTls): string {
  if (tls.version !== null && tls.cipherSuite !== null) {
    return `${lookupVersion(tls.version).name} · ${lookupCipherSuite(tls.cipherSuite).name}`;
  }
  if (tls.statedByTool) return tls.statedByTool.length > 80 ? `${tls.statedByTool.slice(0, 77)}...` : tls.statedByTool;
  if (tls.statedHello) return `${lookupVersion(tls.statedHello.version).name} · ${lookupCipherSuite(tls.statedHello.cipherSuite).name} (stated)`;
  if (tls.fatalAlert) return `no TLS: ${tls.fatalAlert} alert`;
  if (tls.clientHello) return 'no ServerHello shown';
  return 'no TLS handshake shown';
}

/** One-line name of a record: "Handshake: ClientHello", "Alert: fatal handshake_failure". */
export function formatRecordTitle(r: TlsRecord): string {
  if (r.alert) return `Alert: ${r.alert.name}`;
  if (r.messages.length > 0) return r.messages.map((m) => m.name).join(', ');
  const type = lookupContentType(r.contentType).name;
  if (r.encrypted) return `${type} (encrypted)`;
  return type;
}

const SUMMARY_TAG = 'smtptls:';

/** True when a line is one of our annotation headers (so an action is not offered twice). */
export function isAnnotationHeader(line: string): boolean {
  return line.startsWith(`# ${SUMMARY_TAG} `);
}

/**
 * The comment block that describes the records starting in one dump: message,
 * versions, suites with names, extensions, SNI, JA3/JA4 and the findings that
 * fall on the dump. Every line starts with "# ", which the readers skip.
 */
export function formatDumpAnnotation(event: TlsEvent, findings: readonly Finding[]): string[] {
  const out: string[] = [];
  const records = event.records;
  const head = records.map(formatRecordTitle).join('; ');
  out.push(`# ${SUMMARY_TAG} decoded ${head || 'bytes'}`);
  for (const r of records) {
    const rv = r.format === 'sslv2' ? 'SSLv2 record' : `record version ${describeVersion(r.version)}`;
    if (records.length > 1) out.push(`#   ${formatRecordTitle(r)} (${rv}, ${r.length} bytes)`);
    else out.push(`#   ${rv}, ${r.length} bytes${r.bodyNotShown ? ', body not shown' : ''}`);
    for (const m of r.messages) {
      if (isClientHello(m)) out.push(...formatClientHello(m));
      else if (isServerHello(m)) out.push(...formatServerHello(m));
    }
  }
  out.push(...formatFindingLines(findings));
  return out;
}

/** `#   finding: warning tls-certificate-weak-key (RFC 7525 §4.3)`, one per finding, for the annotations. */
function formatFindingLines(findings: readonly Finding[]): string[] {
  return findings.map((f) => {
    const ref = findRule(f.rule)?.references[0];
    return `#   finding: ${f.severity} ${f.rule}${ref ? ` (${ref.label})` : ''}`;
  });
}

const MAX_LISTED = 64;

function formatClientHello(m: ClientHelloMessage): string[] {
  const out: string[] = [];
  const form = m.form === 'sslv2' ? ' (SSLv2-compatible form)' : '';
  out.push(`#   ${m.form === 'sslv2' ? 'version' : 'client_version'}: ${describeVersion(m.version)}${form}`);
  if (m.sessionId) out.push(`#   session_id: ${m.sessionId.length / 2} bytes (resumption)`);
  if (m.supportedVersions) out.push(`#   supported_versions: ${m.supportedVersions.map((v) => lookupVersion(v).name).join(', ')}`);
  const suites = m.cipherSuites ?? [];
  const specs = m.cipherSpecs ?? [];
  if (m.cipherSuites) {
    out.push(`#   cipher_suites (${suites.length}):`);
    for (const s of suites.slice(0, MAX_LISTED)) out.push(`#     ${hexOf(s, 4)} ${lookupCipherSuite(s).name}`);
    if (suites.length > MAX_LISTED) out.push(`#     ... ${suites.length - MAX_LISTED} more`);
  }
  if (m.cipherSpecs) {
    out.push(`#   cipher_specs (${specs.length}):`);
    for (const s of specs.slice(0, MAX_LISTED)) out.push(`#     ${hexOf(s, 6)} ${lookupCipherSpec(s).name}`);
    if (specs.length > MAX_LISTED) out.push(`#     ... ${specs.length - MAX_LISTED} more`);
  }
  if (m.compressionMethods.length > 0) out.push(`#   compression_methods: ${m.compressionMethods.map((c) => lookupCompressionMethod(c).name).join(', ')}`);
  if (m.extensions.length > 0) out.push(`#   extensions (${m.extensions.length}): ${m.extensions.map((e) => e.name).join(', ')}`);
  if (m.serverName) out.push(`#   SNI: ${m.serverName}`);
  if (m.supportedGroups) out.push(`#   supported_groups: ${m.supportedGroups.map((g) => lookupSupportedGroup(g).name).join(', ')}`);
  if (m.alpn) out.push(`#   ALPN: ${m.alpn.join(', ')}`);
  out.push(`#   JA3: ${m.ja3}`);
  out.push(`#   JA4: ${m.ja4}`);
  if (m.incomplete) out.push('#   (the dump ends inside this message: fields are what was shown)');
  return out;
}

function formatServerHello(m: ServerHelloMessage): string[] {
  const out: string[] = [];
  out.push(`#   server_version: ${describeVersion(m.version)}`);
  if (m.selectedVersion !== null) out.push(`#   selected_version: ${describeVersion(m.selectedVersion)}`);
  out.push(`#   cipher_suite: ${hexOf(m.cipherSuite, 4)} ${lookupCipherSuite(m.cipherSuite).name}`);
  out.push(`#   compression_method: ${lookupCompressionMethod(m.compressionMethod).name}`);
  if (m.extensions.length > 0) out.push(`#   extensions (${m.extensions.length}): ${m.extensions.map((e) => lookupExtensionType(e.type).name).join(', ')}`);
  if (m.alpn) out.push(`#   ALPN: ${m.alpn.join(', ')}`);
  out.push(`#   JA3S: ${m.ja3s}`);
  return out;
}

/**
 * The comment block that describes a certificate a tool prints in PEM: who it names, who issued
 * it, its key, signature, validity and names, and the findings that fall on it.
 */
export function formatCertificateAnnotation(s: CertificateSummary, index: number | undefined, findings: readonly Finding[]): string[] {
  const out = [`# ${SUMMARY_TAG} certificate${index !== undefined ? ` ${index} of the chain` : ''} printed above: ${s.subject}`];
  out.push(`#   issuer: ${s.issuer}${s.selfSigned ? ' (self-signed)' : ''}`);
  out.push(`#   key: ${s.keyType}${s.namedCurve ? ` ${s.namedCurve}` : ''}${s.keyBits > 0 ? `, ${s.keyBits} bits` : ''}; signature: ${s.signatureAlgorithm}`);
  out.push(`#   valid: ${describeValidity(s)}`);
  if (s.subjectAltNames.length > 0) out.push(`#   names: ${s.subjectAltNames.join(', ')}`);
  out.push(`#   serial: ${s.serialNumber}`);
  const keyIds = describeKeyIds(s);
  if (keyIds) out.push(`#   key identifiers: ${keyIds}`);
  out.push(...formatFindingLines(findings));
  return out;
}

/** Findings whose span starts within [start, end) of the document. */
export function findFindingsIn(analysis: Analysis, start: number, end: number): Finding[] {
  return analysis.findings.filter((f) => f.span.start >= start && f.span.start < end);
}
