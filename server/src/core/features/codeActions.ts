/**
 * Code actions, keyed on the diagnostic code (the rule id) and re-checked
 * against the current text before any edit is proposed:
 * - "Annotate with decoded summary": a `# ` comment block under the dump;
 * - "Annotate with the certificate's summary": a `# ` comment block under a certificate printed in PEM;
 * - "Suppress <rule> here with a reason": a disable directive above the line;
 * - "Redact credentials": AUTH payloads replaced by a fixed mask;
 * - "Redact secrets": s_client's Master-Key and Resumption PSK, key log secrets, msmtp's password settings, replaced by the same mask;
 * - "Annotate session summary": a `# ` comment block at the session start.
 * Annotations are `# ` lines, which every reader skips, so an annotated file
 * re-analyses to the same findings.
 */
import type { Analysis } from '../analysis/analyzeDocument';
import type { TlsEvent } from '../analysis/tlsStreams';
import type { StatedEvent, TextSpan } from '../model/transcript';
import type { Finding } from '../rules/types';
import { CREDENTIAL_MASK, getCredentialSpans } from './credentials';
import { findSessionPhases } from './symbols';
import { getTlsSecrets } from './tlsSecretNotes';
import { findFindingsIn, formatCertificateAnnotation, formatDumpAnnotation, formatNegotiated, isAnnotationHeader, summarizeSessionTls } from './tlsSummary';
import { readStatedCertificate } from '../formats/pemCertificates';
import { findPemCertificateEvent } from './certificatePartNotes';

export interface TextEditItem {
  readonly span: TextSpan;
  readonly newText: string;
}

export type CodeActionKindName = 'quickfix' | 'refactor.rewrite' | 'source';

export interface CodeActionItem {
  readonly title: string;
  readonly kind: CodeActionKindName;
  /** Indices into the request's diagnostics that this action addresses. */
  readonly diagnostics: readonly number[];
  readonly edits: readonly TextEditItem[];
  readonly isPreferred?: boolean;
}

export interface DiagnosticRef {
  readonly code?: string | number;
  readonly span: TextSpan;
}

export interface CodeActionRequest {
  /** The selection or cursor. */
  readonly span: TextSpan;
  /** Diagnostics the editor sends with the request (its current ones for the range). */
  readonly diagnostics: readonly DiagnosticRef[];
}

/** Directive the rule engine honours: suppresses one rule on the next non-comment line. */
export const DISABLE_NEXT_LINE = 'smtptls-disable-next-line';
export const REASON_PLACEHOLDER = 'TODO say why this is expected';
const SESSION_SUMMARY_HEADER = '# smtptls: session summary';
const MAX_SUMMARY_LINES = 64;

export function computeCodeActions(analysis: Analysis, request: CodeActionRequest): CodeActionItem[] {
  const actions: CodeActionItem[] = [];
  const eol = detectLineEnding(analysis.text);
  // Each dump and each printed certificate is offered for annotation once: on its first finding, else at the cursor.
  const annotate = createAnnotationOffers(actions);
  const dumpTitle = 'Annotate with decoded summary';
  const certificateTitle = "Annotate with the certificate's summary";
  const annotateDump = (e: TlsEvent): TextEditItem | null => buildDumpAnnotation(analysis, e, eol);
  const annotateCertificate = (e: StatedEvent): TextEditItem | null => buildCertificateAnnotation(analysis, e, eol);
  request.diagnostics.forEach((d, i) => {
    if (typeof d.code !== 'string') return;
    // Re-check: the finding must still be there, at the same place, in this version of the text.
    const finding = analysis.findings.find((f) => f.rule === d.code && f.span.start === d.span.start && f.span.end === d.span.end);
    if (!finding) return;
    annotate(findPemCertificateEvent(analysis, finding.span.start), annotateCertificate, certificateTitle, i);
    annotate(findTlsEventAt(analysis, finding.span.start), annotateDump, dumpTitle, i);
    const suppress = buildSuppression(analysis, finding, eol);
    if (suppress) actions.push({ title: `Suppress ${finding.rule} here with a reason`, kind: 'quickfix', diagnostics: [i], edits: [suppress] });
  });
  // Dumps and certificates under the cursor without a finding can be annotated too.
  annotate(findTlsEventAt(analysis, request.span.start), annotateDump, dumpTitle, null);
  annotate(findPemCertificateEvent(analysis, request.span.start), annotateCertificate, certificateTitle, null);
  const redact = buildRedaction(analysis, request);
  if (redact) actions.push(redact);
  const redactSecrets = buildSecretRedaction(analysis, request);
  if (redactSecrets) actions.push(redactSecrets);
  const summary = buildSessionSummary(analysis, request.span, eol);
  if (summary) actions.push(summary);
  return actions;
}

/**
 * Offers an annotation of a thing (a dump, a printed certificate) once: as the quick fix of
 * finding `diagnostic`, or as a refactoring at the cursor (`null`).
 */
function createAnnotationOffers(actions: CodeActionItem[]) {
  const done = new Set<object>();
  return <K extends object>(thing: K | null, build: (k: K) => TextEditItem | null, title: string, diagnostic: number | null): void => {
    if (thing === null || done.has(thing)) return;
    const edit = build(thing);
    if (!edit) return;
    done.add(thing);
    actions.push(diagnostic === null ? { title, kind: 'refactor.rewrite', diagnostics: [], edits: [edit] } : { title, kind: 'quickfix', diagnostics: [diagnostic], edits: [edit] });
  };
}

function detectLineEnding(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text.charCodeAt(i - 1) === 13 ? '\r\n' : '\n';
}

/** The TLS event (records starting in one dump) whose dump covers a document offset. */
export function findTlsEventAt(analysis: Analysis, offset: number): TlsEvent | null {
  const line = analysis.lines.lineAt(offset);
  for (const s of analysis.sessions) {
    if (line < s.session.startLine || line > s.session.endLine) continue;
    for (const ev of s.tlsEvents) {
      const run = s.session.events[ev.eventIndex];
      if (run.kind === 'bytes' && run.line <= line && line <= run.endLine) return ev;
    }
  }
  return null;
}

function lineText(analysis: Analysis, line: number): string {
  return analysis.text.slice(analysis.lines.lineStart(line), analysis.lines.lineEnd(line));
}

/** Insert position at the start of `line` (or at the end of the text, after a line break, past the last line). */
function insertAt(analysis: Analysis, line: number, eol: string, lines: readonly string[]): TextEditItem {
  if (line < analysis.lines.lineCount && !(line === analysis.lines.lineCount - 1 && analysis.lines.lineStart(line) === analysis.text.length)) {
    const at = analysis.lines.lineStart(line);
    return { span: { start: at, end: at }, newText: lines.join(eol) + eol };
  }
  const end = analysis.text.length;
  const needsBreak = end > 0 && !/[\r\n]$/.test(analysis.text);
  return { span: { start: end, end }, newText: (needsBreak ? eol : '') + lines.join(eol) + eol };
}

function buildDumpAnnotation(analysis: Analysis, event: TlsEvent, eol: string): TextEditItem | null {
  const session = analysis.sessions.find((s) => s.tlsEvents.includes(event));
  const run = session?.session.events[event.eventIndex];
  if (!run || run.kind !== 'bytes' || event.records.length === 0) return null;
  // Re-check: the dump's first line must still hold hex, and no annotation may sit right under it already.
  if (!/[0-9a-fA-F]{2}/.test(lineText(analysis, run.line))) return null;
  const below = run.endLine + 1;
  if (below < analysis.lines.lineCount && isAnnotationHeader(lineText(analysis, below))) return null;
  const start = analysis.lines.lineStart(run.line);
  const end = analysis.lines.lineEnd(run.endLine);
  const lines = formatDumpAnnotation(event, findFindingsIn(analysis, start, end + 1));
  return insertAt(analysis, below, eol, lines);
}

function buildCertificateAnnotation(analysis: Analysis, event: StatedEvent, eol: string): TextEditItem | null {
  const reading = readStatedCertificate(analysis.text, event);
  if (!reading || !('summary' in reading)) return null;
  const below = analysis.lines.lineAt(event.span.end) + 1;
  // Re-check: no annotation may sit right under the block already.
  if (below < analysis.lines.lineCount && isAnnotationHeader(lineText(analysis, below))) return null;
  const lines = formatCertificateAnnotation(reading.summary, event.certificateIndex, findFindingsIn(analysis, event.span.start, event.span.end));
  return insertAt(analysis, below, eol, lines);
}

function buildSuppression(analysis: Analysis, finding: Finding, eol: string): TextEditItem | null {
  const line = analysis.lines.lineAt(finding.span.start);
  const above = line > 0 ? lineText(analysis, line - 1) : '';
  if (above.startsWith(`# ${DISABLE_NEXT_LINE} `) && above.split(/\s+/).includes(finding.rule)) return null;
  return insertAt(analysis, line, eol, [`# ${DISABLE_NEXT_LINE} ${finding.rule} -- ${REASON_PLACEHOLDER}`]);
}

function buildRedaction(analysis: Analysis, request: CodeActionRequest): CodeActionItem | null {
  const spans = getCredentialSpans(analysis);
  if (spans.length === 0) return null;
  const fromLine = analysis.lines.lineAt(request.span.start);
  const toLine = analysis.lines.lineAt(request.span.end);
  // Offered on an AUTH line or a line of its exchange (and for the auth-before-tls finding there).
  const touched = spans.filter((s) => s.line >= fromLine && s.line <= toLine);
  const authLines = new Set<number>();
  for (const s of spans) {
    const ev = analysis.sessions[s.sessionIndex].session.events[s.authEventIndex];
    if (ev.kind === 'command') authLines.add(ev.line);
  }
  let onAuthLine = false;
  for (let l = fromLine; l <= toLine && !onAuthLine; l++) onAuthLine = authLines.has(l);
  if (touched.length === 0 && !onAuthLine) return null;
  // Re-check each span: not already masked, and still base64 (a credential the tool printed decoded may hold any character).
  const edits: TextEditItem[] = [];
  for (const s of spans) {
    const text = analysis.text.slice(s.start, s.end);
    if (text === CREDENTIAL_MASK || text.trim() === '' || (!s.decoded && !/^[A-Za-z0-9+/=._-]+$/.test(text))) continue;
    edits.push({ span: { start: s.start, end: s.end }, newText: CREDENTIAL_MASK });
  }
  if (edits.length === 0) return null;
  const diagnostics = request.diagnostics.flatMap((d, i) => (d.code === 'auth-before-tls' ? [i] : []));
  return {
    title: `Redact credentials (${edits.length} AUTH payload${edits.length === 1 ? '' : 's'})`,
    kind: diagnostics.length > 0 ? 'quickfix' : 'refactor.rewrite',
    diagnostics,
    edits,
  };
}

/** On a line holding a TLS secret: every secret of the document replaced by the mask. */
function buildSecretRedaction(analysis: Analysis, request: CodeActionRequest): CodeActionItem | null {
  const fromLine = analysis.lines.lineAt(request.span.start);
  const toLine = analysis.lines.lineAt(request.span.end);
  const secrets = getTlsSecrets(analysis);
  if (!secrets.some((s) => s.line >= fromLine && s.line <= toLine)) return null;
  const edits: TextEditItem[] = secrets.map((s) => ({ span: { start: s.start, end: s.end }, newText: CREDENTIAL_MASK }));
  return { title: `Redact secrets (${edits.length} line${edits.length === 1 ? '' : 's'})`, kind: 'refactor.rewrite', diagnostics: [], edits };
}

function buildSessionSummary(analysis: Analysis, span: TextSpan, eol: string): CodeActionItem | null {
  const line = analysis.lines.lineAt(span.start);
  const session = analysis.sessions.find((s) => s.session.startLine === line);
  if (!session) return null;
  // Re-check: no summary block may sit in the comment lines right above the session already.
  for (let l = line - 1; l >= 0 && l >= line - MAX_SUMMARY_LINES; l--) {
    const t = lineText(analysis, l);
    if (!t.startsWith('#')) break;
    if (t.startsWith(SESSION_SUMMARY_HEADER)) return null;
  }
  // The block goes above the session, under any comment header the file has there.
  const lines = formatSessionSummary(analysis, analysis.sessions.indexOf(session));
  return { title: 'Annotate session summary', kind: 'refactor.rewrite', diagnostics: [], edits: [insertAt(analysis, line, eol, lines)] };
}

/** The `# ` comment block summarising one session: SMTP phases, TLS, negotiated parameters, findings. */
export function formatSessionSummary(analysis: Analysis, sessionIndex: number): string[] {
  const s = analysis.sessions[sessionIndex];
  const first = s.session.startLine + 1;
  const last = s.session.endLine + 1;
  const out = [`${SESSION_SUMMARY_HEADER} (lines ${first}-${last}${s.session.port !== null ? `, port ${s.session.port}` : ''})`];
  const phases = findSessionPhases(analysis, sessionIndex);
  // Phase names carry no credentials (AUTH shows its mechanism only).
  if (phases.length > 0) out.push(`#   phases: ${phases.map((p) => (p.detail && p.kind !== 'tls' ? `${p.name} ${p.detail}` : p.name)).join(', ')}`);
  const tls = summarizeSessionTls(s);
  if (tls.clientHello) {
    const offered = tls.clientHello.supportedVersions?.length ? tls.clientHello.supportedVersions : [tls.clientHello.version];
    out.push(`#   ClientHello offers: ${offered.map((v) => `0x${v.toString(16).padStart(4, '0')}`).join(', ')}${tls.clientHello.serverName ? `, SNI ${tls.clientHello.serverName}` : ''}`);
  }
  out.push(`#   negotiated: ${formatNegotiated(tls)}`);
  const start = analysis.lines.lineStart(s.session.startLine);
  const end = analysis.lines.lineEnd(s.session.endLine);
  const findings = findFindingsIn(analysis, start, end + 1);
  const counts = ['error', 'warning', 'information', 'hint'].map((sev) => `${findings.filter((f) => f.severity === sev).length} ${sev}`);
  out.push(`#   findings: ${findings.length} (${counts.join(', ')})`);
  for (const f of findings.slice(0, 20)) out.push(`#     line ${analysis.lines.lineAt(f.span.start) + 1}: ${f.severity} ${f.rule}`);
  if (findings.length > 20) out.push(`#     ... ${findings.length - 20} more`);
  return out;
}
