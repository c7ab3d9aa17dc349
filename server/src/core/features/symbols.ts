/**
 * Document outline: sessions › phases (greeting, EHLO, STARTTLS, TLS
 * handshake with its messages, AUTH, mail transactions, QUIT). Names never
 * carry credentials: AUTH shows its mechanism only.
 */
import { readStatedCertificate } from '../formats/pemCertificates';
import { showsCertificateMessage } from '../rules/certificateSites';
import type { Analysis } from '../analysis/analyzeDocument';
import type { SmtpCommandEvent, SmtpReplyEvent, StatedEvent, TranscriptEvent } from '../model/transcript';
import { lookupHandshakeType } from '../tls/registry/handshakeTypes';
import { lookupContentType } from '../tls/registry/contentTypes';
import { pickStatedAlerts } from '../rules/sites';
import { formatNegotiated, formatRecordTitle, summarizeSessionTls } from './tlsSummary';
import { lookupAlertDescription } from '../tls/registry/alerts';

export type PhaseKind = 'session' | 'greeting' | 'ehlo' | 'starttls' | 'tls' | 'tls-message' | 'auth' | 'mail' | 'command' | 'data' | 'quit';

export interface OutlineSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: PhaseKind;
  /** 0-based first and last document line. */
  readonly startLine: number;
  readonly endLine: number;
  readonly children: readonly OutlineSymbol[];
}

interface MutablePhase {
  name: string;
  detail: string;
  kind: PhaseKind;
  startLine: number;
  endLine: number;
  children: MutablePhase[];
}

const MAX_TLS_CHILDREN = 200;
const MAX_DETAIL = 60;

function lastLineOf(reply: SmtpReplyEvent): number {
  return reply.parts.length > 0 ? reply.parts[reply.parts.length - 1].line : reply.line;
}

/** Statements of one record (not alerts, listed by their description, nor certificates). */
const STATED_RECORDS: ReadonlySet<StatedEvent['subject']> = new Set(['client-hello', 'server-hello', 'handshake', 'record']);

/** "ServerHello" for handshake type 2 (IANA's server_hello), else the record's content type; the tool's words when it states neither. */
function statedRecordTitle(e: StatedEvent): string {
  if (e.handshakeType !== undefined) {
    return lookupHandshakeType(e.handshakeType)
      .name.split('_')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('');
  }
  // A handshake record without a message type is an encrypted one (tshark's "Encrypted Handshake Message").
  if (e.contentType === 22) return 'handshake (encrypted)';
  if (e.contentType !== undefined) return lookupContentType(e.contentType).name;
  // tshark -V's record line names what it carries after the layer ("Application Data Protocol: Simple Mail Transfer Protocol").
  const layer = e.text.indexOf('Record Layer: ');
  return clip(layer >= 0 ? e.text.slice(layer + 'Record Layer: '.length) : e.text);
}

function clip(s: string): string {
  return s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL - 1)}…` : s;
}

/** The phases of one session, in document order. */
export function findSessionPhases(analysis: Analysis, sessionIndex: number): OutlineSymbol[] {
  const s = analysis.sessions[sessionIndex];
  const events = s.session.events;
  const phases: MutablePhase[] = [];
  const pending: MutablePhase[] = [];
  const tlsByEvent = new Map(s.tlsEvents.map((t) => [t.eventIndex, t]));
  /** The alerts stated in words, each once (a fatal alert told twice, by a log line and its error, is one). */
  const statedAlerts = new Set<TranscriptEvent>(pickStatedAlerts(events));
  /** The session shows a Certificate message decoded: the copies a tool prints in PEM are not listed again. */
  const decodedCertificates = showsCertificateMessage(s);
  /** The session shows TLS records decoded: the records a tool states in words are not listed as well. */
  const decodedRecords = s.tlsEvents.some((t) => t.records.length > 0);
  let mail: MutablePhase | null = null;
  let data: MutablePhase | null = null;
  let auth: MutablePhase | null = null;
  let tls: MutablePhase | null = null;
  let sawCommand = false;
  let dataOpen = false;
  let challenged = false;

  const extend = (p: MutablePhase, line: number): void => {
    if (line > p.endLine) p.endLine = line;
    if (line < p.startLine) p.startLine = line;
  };
  const open = (p: MutablePhase, into: MutablePhase[] = phases): MutablePhase => {
    into.push(p);
    return p;
  };
  /** The session's TLS phase, opened at `line` if there is none yet, and stretched over lines `line` to `last`. */
  const tlsPhase = (line: number, last: number): MutablePhase => {
    tls ??= open({ name: 'TLS handshake', detail: '', kind: 'tls', startLine: line, endLine: last, children: [] });
    extend(tls, last);
    return tls;
  };
  /** A message of the TLS phase, up to MAX_TLS_CHILDREN of them. */
  const addTlsChild = (phase: MutablePhase, name: string, detail: string, line: number, last: number): void => {
    if (phase.children.length < MAX_TLS_CHILDREN) phase.children.push({ name, detail, kind: 'tls-message', startLine: line, endLine: last, children: [] });
  };

  events.forEach((ev, i) => {
    if (ev.kind === 'command') {
      if (ev.dataLine) {
        if (data) extend(data, ev.line);
        if (mail) extend(mail, ev.line);
        return;
      }
      tls = null;
      sawCommand = true;
      if (auth && challenged) {
        // A line of the SASL exchange answering a 334: part of AUTH, never shown.
        challenged = false;
        extend(auth, ev.line);
        return;
      }
      auth = null;
      const phase = openCommandPhase(ev);
      if (phase.kind === 'mail' || phase.kind === 'data') {
        if (!mail || ev.verb === 'MAIL') mail = open({ name: 'Mail transaction', detail: '', kind: 'mail', startLine: ev.line, endLine: ev.line, children: [] });
        if (ev.verb === 'MAIL') mail.detail = clip(ev.argument.replace(/^FROM:\s*/i, 'from '));
        open(phase, mail.children);
        extend(mail, ev.line);
        if (phase.kind === 'data') data = phase;
      } else {
        mail = null;
        data = null;
        open(phase);
        if (phase.kind === 'auth') auth = phase;
      }
      pending.push(phase);
      return;
    }
    if (ev.kind === 'reply') {
      const last = lastLineOf(ev);
      if (!sawCommand && phases.length === 0) {
        open({ name: 'Greeting', detail: clip(`${ev.code} ${ev.lines[0] ?? ''}`), kind: 'greeting', startLine: ev.line, endLine: last, children: [] });
        return;
      }
      if (auth && ev.code === 334) {
        challenged = true;
        extend(auth, last);
        return;
      }
      if (auth) {
        auth.detail = `→ ${ev.code}`;
        extend(auth, last);
        auth = null;
        pending.shift();
        return;
      }
      if (data && dataOpen) {
        // The reply to the end of the message content.
        extend(data, last);
        if (mail) extend(mail, last);
        data.detail = `${data.detail} → ${ev.code}`;
        data = null;
        dataOpen = false;
        return;
      }
      const to = pending.shift();
      if (to) {
        extend(to, last);
        to.detail = to.detail ? `${to.detail} → ${ev.code}` : `→ ${ev.code}`;
        if (mail && to.kind !== 'mail' && to.kind !== 'data') mail = null;
        if (mail) extend(mail, last);
        if (to === data) {
          if (ev.code === 354) dataOpen = true;
          else data = null;
        }
      }
      return;
    }
    if (ev.kind === 'stated' && ev.subject === 'alert' && ev.alertDescription !== undefined) {
      if (!statedAlerts.has(ev)) return;
      // An alert a log or tool states in words (a failed handshake): in the TLS phase, as a decoded one is.
      const dir = ev.direction === 'client' ? 'C' : ev.direction === 'server' ? 'S' : '';
      addTlsChild(tlsPhase(ev.line, ev.line), `Alert: ${lookupAlertDescription(ev.alertDescription).name}`, `${dir} (stated)`.trim(), ev.line, ev.line);
      return;
    }
    if (ev.kind === 'stated' && ev.verdict) {
      // A tool's verdict on a certificate it verified (Postfix: `certificate has expired`), in the TLS phase.
      addTlsChild(tlsPhase(ev.line, ev.line), `Certificate verdict: ${ev.verdict.reason}`, `${ev.verdict.tool} (stated)`, ev.line, ev.line);
      return;
    }
    if (ev.kind === 'stated' && STATED_RECORDS.has(ev.subject) && !decodedRecords) {
      // A record a tool states in words (tshark -V, openssl -trace, curl -v), where no record is decoded.
      const dir = ev.direction === 'client' ? 'C' : ev.direction === 'server' ? 'S' : '';
      addTlsChild(tlsPhase(ev.line, ev.line), statedRecordTitle(ev), `${dir} (stated)`.trim(), ev.line, ev.line);
      return;
    }
    if (ev.kind === 'stated' && ev.subject === 'certificate') {
      // A certificate the tool prints in PEM, where no Certificate message is decoded (which is listed instead).
      if (decodedCertificates) return;
      const reading = readStatedCertificate(analysis.text, ev);
      if (!reading || !('summary' in reading)) return;
      const last = analysis.lines.lineAt(ev.span.end);
      const at = ev.certificateIndex !== undefined ? ` ${ev.certificateIndex}` : '';
      addTlsChild(tlsPhase(ev.line, last), `Certificate${at}: ${clip(reading.summary.subject)}`, 'S (printed)', ev.line, last);
      return;
    }
    if (ev.kind === 'bytes' || ev.kind === 'gap' || ev.kind === 'note') {
      const last = ev.kind === 'bytes' ? ev.endLine : ev.line;
      if (ev.kind === 'note' && ev.note !== 'tls-start' && ev.note !== 'tls-established') return;
      const phase = tlsPhase(ev.line, last);
      const t = tlsByEvent.get(i);
      if (t) {
        const dir = t.direction === 'client' ? 'C' : t.direction === 'server' ? 'S' : '';
        for (const r of t.records) addTlsChild(phase, formatRecordTitle(r), dir, ev.line, last);
      } else if (ev.kind === 'note') {
        phase.detail = clip(ev.text.trim());
      }
    }
  });
  const tlsSummary = formatNegotiated(summarizeSessionTls(s));
  for (const p of phases) if (p.kind === 'tls' && !p.detail) p.detail = tlsSummary;
  return phases;
}

function openCommandPhase(ev: SmtpCommandEvent): MutablePhase {
  const verb = ev.verb;
  const base = { startLine: ev.line, endLine: ev.line, children: [] as MutablePhase[], detail: '' };
  const inTls = ev.inTls ? ' (in TLS)' : '';
  switch (verb) {
    case 'EHLO':
    case 'HELO':
      return { ...base, name: `${verb} ${clip(ev.argument)}${inTls}`, kind: 'ehlo' };
    case 'STARTTLS':
      return { ...base, name: 'STARTTLS', kind: 'starttls' };
    case 'AUTH': {
      // Only the mechanism: an initial response is a credential.
      const mech = (/^\S+/.exec(ev.argument)?.[0] ?? '').toUpperCase();
      return { ...base, name: `AUTH ${mech}`.trim(), kind: 'auth' };
    }
    case 'MAIL':
      return { ...base, name: 'MAIL FROM', kind: 'mail', detail: '' };
    case 'RCPT':
      return { ...base, name: `RCPT ${clip(ev.argument.replace(/^TO:\s*/i, ''))}`, kind: 'mail' };
    case 'DATA':
    case 'BDAT':
      return { ...base, name: verb, kind: 'data' };
    case 'QUIT':
      return { ...base, name: 'QUIT', kind: 'quit' };
    default:
      return { ...base, name: clip(verb || '(empty line)'), kind: 'command' };
  }
}

/** The outline of a document: one symbol per session with its phases as children. */
export function computeDocumentSymbols(analysis: Analysis): OutlineSymbol[] {
  return analysis.sessions.map((s, i) => {
    const tls = summarizeSessionTls(s);
    const port = s.session.port !== null ? `port ${s.session.port} · ` : '';
    return {
      name: `Session ${i + 1}`,
      detail: `${port}${formatNegotiated(tls)}`,
      kind: 'session',
      startLine: s.session.startLine,
      endLine: s.session.endLine,
      children: findSessionPhases(analysis, i),
    };
  });
}

export interface FlatSymbol {
  readonly name: string;
  readonly kind: PhaseKind;
  readonly container: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** Symbols of one document flattened and filtered by a query (case-insensitive, letters in order), for workspace symbols. */
export function filterWorkspaceSymbols(symbols: readonly OutlineSymbol[], query: string, limit = 500): FlatSymbol[] {
  const out: FlatSymbol[] = [];
  const q = query.toLowerCase().replace(/\s+/g, '');
  const visit = (sym: OutlineSymbol, container: string): void => {
    if (out.length >= limit) return;
    if (matchesQuery(sym.name.toLowerCase(), q)) out.push({ name: sym.name, kind: sym.kind, container, startLine: sym.startLine, endLine: sym.endLine });
    for (const c of sym.children) visit(c, sym.name);
  };
  for (const s of symbols) visit(s, '');
  return out;
}

function matchesQuery(name: string, q: string): boolean {
  let k = 0;
  for (let i = 0; i < name.length && k < q.length; i++) if (name[i] === q[k]) k++;
  return k === q.length;
}
