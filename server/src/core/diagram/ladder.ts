/**
 * From an analysed session to the rows of a ladder (sequence) diagram: one
 * event per SMTP command, reply and TLS message (or message-less record: an
 * alert, ChangeCipherSpec, encrypted data), each with its document line and
 * span, its phase (before or inside TLS) and the findings that point into it;
 * plus the notes the tool wrote and the STARTTLS boundary.
 */
import { readStatedCertificate } from '../formats/pemCertificates';
import { describeSummary } from '../tls/certificate';
import type { Analysis, AnalyzedSession } from '../analysis/analyzeDocument';
import { documentSpanOfBytes } from '../bytes/byteView';
import type { ByteRunEvent, Direction, SmtpCommandEvent, StatedEvent, TextSpan, TranscriptEvent } from '../model/transcript';
import type { Severity } from '../rules/types';
import { describeReplyLines, maskCredential, previewBytes, summarizeCommand, summarizeMessage, summarizeRecordWithoutMessages, summarizeReply } from './eventLabels';
import { describeAlert } from '../tls/registry/alerts';
import { pickStatedAlerts } from '../rules/sites';
import { showsCertificateMessage } from '../rules/certificateSites';

export interface LadderFinding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly line: number;
}

export type LadderEventKind = 'command' | 'reply' | 'tls' | 'bytes' | 'gap' | 'content' | 'stated';

export interface LadderEvent {
  /** 0-based position in the diagram (top to bottom). */
  readonly id: number;
  readonly kind: LadderEventKind;
  /** Sender; null when the document does not say (a pasted dump). */
  readonly from: Direction | null;
  /** 0-based document line the event starts on. */
  readonly line: number;
  readonly label: string;
  /** Further text for the tooltip (every reply line, the record a message came in). */
  readonly detail: string;
  /** Document offsets of the event's own text or hex pairs. */
  readonly span: TextSpan;
  readonly inTlsPhase: boolean;
  /** Sent encrypted or not shown: drawn dashed. */
  readonly opaque: boolean;
  readonly findings: LadderFinding[];
}

export interface LadderNote {
  /** The note is drawn after the event with this id (-1: before the first). */
  readonly afterEventId: number;
  readonly line: number;
  readonly text: string;
  readonly kind: 'note' | 'starttls';
}

export interface Ladder {
  /** 0-based index of the session in the document, and how many there are. */
  readonly sessionIndex: number;
  readonly sessionCount: number;
  readonly startLine: number;
  readonly endLine: number;
  readonly events: readonly LadderEvent[];
  readonly notes: readonly LadderNote[];
  /** Id of the first event inside TLS, or null when TLS never starts. */
  readonly tlsStartId: number | null;
  /** Findings of the session that point at no event. */
  readonly unplaced: readonly LadderFinding[];
}

/** A span that may own a finding; smaller spans win. */
interface Owner {
  readonly span: TextSpan;
  readonly eventId: number;
}

const SHOWN_NOTES = new Set(['tls-start', 'tls-established', 'connection-closed']);

/** The ladder of session `sessionIndex` (0-based) of an analysis; an empty ladder when there is no such session. */
export function buildLadder(analysis: Analysis, sessionIndex: number): Ladder {
  const analyzed = analysis.sessions[sessionIndex];
  if (!analyzed) {
    return { sessionIndex, sessionCount: analysis.sessions.length, startLine: 0, endLine: 0, events: [], notes: [], tlsStartId: null, unplaced: [] };
  }
  const builder = new LadderBuilder(analysis, analyzed);
  builder.walk();
  return builder.finish(sessionIndex, analysis.sessions.length);
}

class LadderBuilder {
  private readonly events: LadderEvent[] = [];
  private readonly notes: LadderNote[] = [];
  private readonly owners: Owner[] = [];
  private tlsStartId: number | null = null;
  private sasl = false;
  /** Id of a STARTTLS command whose reply has not come yet. */
  private pendingStarttls: number | null = null;
  /** The alerts stated in words, each once (a fatal alert a log line and its error both state is one arrow). */
  private readonly statedAlerts: ReadonlySet<TranscriptEvent>;
  /** The session shows a Certificate message decoded: the copies a tool prints in PEM are not drawn again. */
  private readonly decodedCertificates: boolean;

  constructor(
    private readonly analysis: Analysis,
    private readonly analyzed: AnalyzedSession,
  ) {
    this.statedAlerts = new Set(pickStatedAlerts(analyzed.session.events));
    this.decodedCertificates = showsCertificateMessage(analyzed);
  }

  walk(): void {
    const { session, tlsEvents } = this.analyzed;
    const tlsByIndex = new Map<number, (typeof tlsEvents)[number][]>();
    for (const t of tlsEvents) {
      const list = tlsByIndex.get(t.eventIndex) ?? [];
      list.push(t);
      tlsByIndex.set(t.eventIndex, list);
    }
    const events = session.events;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (event.kind === 'command' && event.dataLine) {
        let j = i;
        while (j + 1 < events.length && isDataLine(events[j + 1])) j++;
        this.addContent(events.slice(i, j + 1) as SmtpCommandEvent[]);
        i = j;
        continue;
      }
      this.addEvent(event, i, tlsByIndex.get(i) ?? []);
    }
  }

  private addEvent(event: TranscriptEvent, index: number, tls: AnalyzedSession['tlsEvents']): void {
    // Something other than the reply follows STARTTLS: mark the boundary right after the command.
    const undecoded = event.kind === 'bytes' ? this.findUndecodedStream(index) : null;
    if (this.pendingStarttls !== null && event.kind !== 'reply' && (event.kind !== 'bytes' || tls.length > 0 || undecoded)) {
      this.noteAfter(this.pendingStarttls, event.line, 'STARTTLS sent; what follows came before its reply', 'starttls');
      this.pendingStarttls = null;
    }
    switch (event.kind) {
      case 'command':
        this.addCommand(event);
        return;
      case 'reply': {
        const span = { start: event.parts[0]?.span.start ?? 0, end: event.parts[event.parts.length - 1]?.span.end ?? 0 };
        this.push({ kind: 'reply', from: 'server', line: event.line, label: summarizeReply(event), detail: describeReplyLines(event), span, tls: event.inTls, opaque: false });
        // RFC 4954 §4: a 334 continues the exchange; any other reply ends it.
        if (event.code !== 334) this.sasl = false;
        if (this.pendingStarttls !== null) {
          // RFC 3207 §4: 220 means "ready to start TLS"; anything else refuses it.
          const verdict = event.code === 220 ? 'STARTTLS accepted' : 'STARTTLS not accepted';
          this.noteAfter(this.events.length - 1, event.line, `${verdict}: ${summarizeReply(event)}`, 'starttls');
          this.pendingStarttls = null;
        }
        return;
      }
      case 'bytes':
        for (const t of tls) this.addTlsEvent(t, index);
        if (undecoded) this.addUndecoded(event, undecoded);
        return;
      case 'gap': {
        const what = event.length === null ? 'bytes not shown' : `${event.length} bytes not shown`;
        this.push({ kind: 'gap', from: event.direction, line: event.line, label: `‹${what}›`, detail: '', span: event.span, tls: true, opaque: true });
        return;
      }
      case 'note':
        if (SHOWN_NOTES.has(event.note)) this.noteAfter(this.events.length - 1, event.line, event.text || event.note, 'note');
        if (event.note === 'tls-start' && this.tlsStartId === null) this.tlsStartId = this.events.length;
        return;
      default:
        this.addOther(event, index);
    }
  }

  private addCommand(event: SmtpCommandEvent): void {
    const label = summarizeCommand(event, this.sasl || isAuthPayload(event));
    const id = this.push({ kind: 'command', from: 'client', line: event.line, label, detail: '', span: event.span, tls: event.inTls, opaque: false });
    if (event.verb === 'AUTH') this.sasl = true;
    if (event.verb === 'STARTTLS') this.pendingStarttls = id;
  }

  /** Message content after DATA: one arrow for all its lines (the text itself is not the protocol). */
  private addContent(lines: readonly SmtpCommandEvent[]): void {
    const first = lines[0];
    const last = lines[lines.length - 1];
    const n = lines.length;
    this.push({
      kind: 'content',
      from: 'client',
      line: first.line,
      label: `message content (${n} line${n === 1 ? '' : 's'})`,
      detail: `lines ${first.line + 1}–${last.line + 1}`,
      span: { start: first.span.start, end: last.span.end },
      tls: first.inTls,
      opaque: false,
    });
  }

  private addTlsEvent(t: AnalyzedSession['tlsEvents'][number], index: number): void {
    const run = this.analyzed.session.events[index];
    const view = t.stream.view;
    const firstOfEvent = this.events.length;
    for (const record of t.records) {
      const recordSpan = documentSpanOfBytes(view, record.start, record.end);
      const recordWords = `${record.format === 'sslv2' ? 'SSLv2' : 'TLS'} record, ${record.length} bytes${record.decrypted ? ', decrypted content shown by the tool' : ''}`;
      const opaque = !!(record.encrypted || record.bodyNotShown);
      if (record.messages.length === 0) {
        const id = this.push({ kind: 'tls', from: t.direction, line: t.line, label: summarizeRecordWithoutMessages(record), detail: recordWords, span: recordSpan, tls: true, opaque });
        this.owners.push({ span: recordSpan, eventId: id });
        continue;
      }
      let firstId = -1;
      for (const message of record.messages) {
        const span = documentSpanOfBytes(view, message.start, message.end);
        const line = this.analysis.lines.lineAt(span.start);
        const id = this.push({ kind: 'tls', from: t.direction, line, label: summarizeMessage(message), detail: recordWords, span, tls: true, opaque: false });
        if (firstId < 0) firstId = id;
      }
      // A finding on the record header (its version, its length) belongs to the record's first message.
      this.owners.push({ span: recordSpan, eventId: firstId });
    }
    // A finding elsewhere in the dump lines (a malformed hex line) belongs to the first event drawn from them.
    if (run && run.kind === 'bytes' && this.events.length > firstOfEvent) {
      const runSpan = { start: this.analysis.lines.lineStart(run.line), end: this.analysis.lines.lineEnd(run.endLine) };
      this.owners.push({ span: runSpan, eventId: firstOfEvent });
    }
  }

  /** The stream that starts at run `index` when not one TLS record came out of it (plain text sent as bytes, noise). */
  private findUndecodedStream(index: number): AnalyzedSession['streams'][number] | null {
    const stream = this.analyzed.streams.find((s) => s.runIndices[0] === index);
    return stream && stream.decoded.records.length === 0 && stream.view.bytes.length > 0 ? stream : null;
  }

  /** Bytes that are not TLS still went over the wire: one arrow, with a printable preview unless it may hold credentials. */
  private addUndecoded(run: ByteRunEvent, stream: AnalyzedSession['streams'][number]): void {
    const bytes = stream.view.bytes;
    const text = previewBytes(bytes);
    // RFC 4954: an AUTH command (or any line of a SASL exchange) carries credentials; show nothing from there on.
    const auth = /AUTH\b/i.exec(text);
    const shown = this.sasl ? maskCredential(text.length) : auth ? `${text.slice(0, auth.index)}AUTH ${maskCredential(text.length - auth.index - 4)}` : text;
    const label = `${bytes.length} bytes, not TLS` + (shown ? `: "${shown}"` : '');
    const span = documentSpanOfBytes(stream.view, 0, bytes.length);
    this.push({ kind: 'bytes', from: stream.direction ?? run.direction, line: run.line, label, detail: '', span, tls: false, opaque: false });
  }

  /** Events of kinds this diagram does not know by name (facts a tool states in words, say). */
  private addOther(event: TranscriptEvent, index: number): void {
    const e = event as { kind: string; line?: unknown; direction?: unknown; text?: unknown; span?: unknown };
    if (e.kind !== 'stated' || typeof e.line !== 'number' || !isSpan(e.span)) return;
    const from = e.direction === 'client' || e.direction === 'server' ? e.direction : null;
    const text = typeof e.text === 'string' ? e.text : 'stated by the tool';
    // What a tool concluded (a certificate verdict, the key exchange's group) is no message on the wire: a note.
    const conclusion = event.kind === 'stated' && (event.subject === 'certificate-verdict' || event.subject === 'key-exchange');
    if (from === null || conclusion) {
      this.noteAfter(this.events.length - 1, e.line, text, 'note');
      return;
    }
    if (event.kind === 'stated' && event.subject === 'certificate') {
      this.addPrintedCertificate(event, index, from);
      return;
    }
    const alert = alertLabel(event);
    // An alert told again (pickStatedAlerts kept another statement of it): one arrow.
    if (alert && !this.statedAlerts.has(event)) return;
    this.push({ kind: 'stated', from, line: e.line, label: `${alert ?? text} (stated by the tool)`, detail: alert ? text : '', span: e.span, tls: true, opaque: true });
  }

  /**
   * A certificate the tool prints in PEM, where no Certificate message is decoded: one arrow per
   * chain (s_client -showcerts numbers its certificates 0, 1, 2...), named by the first certificate.
   */
  private addPrintedCertificate(event: StatedEvent, index: number, from: Direction): void {
    // tshark -V prints the certificates under their record, whose statement is already an arrow.
    if (this.decodedCertificates || event.printed || (event.certificateIndex ?? 0) > 0) return;
    const events = this.analyzed.session.events;
    let more = 0;
    for (let k = index + 1; k < events.length; k++) {
      const next = events[k];
      // The chain's certificates are read one after the other: anything else ends it (and the walk).
      if (next.kind !== 'stated' || next.subject !== 'certificate' || next.certificateIndex !== more + 1) break;
      more++;
    }
    const reading = readStatedCertificate(this.analysis.text, event);
    const summary = reading && 'summary' in reading ? reading.summary : null;
    const label = `Certificate: ${summary ? summary.subject : 'not a readable certificate'}${more > 0 ? ` and ${more} more` : ''} (printed by the tool)`;
    this.push({ kind: 'stated', from, line: event.line, label, detail: summary ? describeSummary(summary) : '', span: event.span, tls: true, opaque: true });
  }

  private push(e: { kind: LadderEventKind; from: Direction | null; line: number; label: string; detail: string; span: TextSpan; tls: boolean; opaque: boolean }): number {
    const id = this.events.length;
    if ((e.tls || e.kind === 'tls') && this.tlsStartId === null) this.tlsStartId = id;
    this.events.push({
      id,
      kind: e.kind,
      from: e.from,
      line: e.line,
      label: e.label,
      detail: e.detail,
      span: e.span,
      inTlsPhase: this.tlsStartId !== null,
      opaque: e.opaque,
      findings: [],
    });
    this.owners.push({ span: e.span, eventId: id });
    return id;
  }

  private noteAfter(afterEventId: number, line: number, text: string, kind: LadderNote['kind']): void {
    this.notes.push({ afterEventId, line, text, kind });
  }

  finish(sessionIndex: number, sessionCount: number): Ladder {
    const { session } = this.analyzed;
    if (this.pendingStarttls !== null) this.noteAfter(this.pendingStarttls, this.events[this.pendingStarttls].line, 'STARTTLS sent; no reply shown', 'starttls');
    this.pendingStarttls = null;
    // Stable sort: notes written out of order (the STARTTLS boundary) go to their place.
    const notes = this.notes.map((n, k) => ({ n, k })).sort((x, y) => x.n.afterEventId - y.n.afterEventId || x.k - y.k).map((x) => x.n);
    const unplaced = this.placeFindings();
    return {
      sessionIndex,
      sessionCount,
      startLine: session.startLine,
      endLine: session.endLine,
      events: this.events,
      notes,
      tlsStartId: this.tlsStartId,
      unplaced,
    };
  }

  /** Each finding goes to the event whose span contains its start (the smallest such span). */
  private placeFindings(): LadderFinding[] {
    const { session } = this.analyzed;
    const lines = this.analysis.lines;
    const unplaced: LadderFinding[] = [];
    for (const f of this.analysis.findings) {
      const line = lines.lineAt(f.span.start);
      if (line < session.startLine || line > session.endLine) continue;
      const finding: LadderFinding = { rule: f.rule, severity: f.severity, message: f.message, line };
      let best: Owner | null = null;
      for (const o of this.owners) {
        if (!containsOffset(o.span, f.span.start)) continue;
        if (!best || width(o.span) < width(best.span)) best = o;
      }
      if (best) this.events[best.eventId].findings.push(finding);
      else unplaced.push(finding);
    }
    return unplaced;
  }
}

function isDataLine(e: TranscriptEvent): boolean {
  return e.kind === 'command' && e.dataLine === true;
}

/** A reader may mark SASL continuation lines itself (authPayload); honour it when present. */
function isAuthPayload(e: SmtpCommandEvent): boolean {
  return (e as { authPayload?: unknown }).authPayload === true;
}

function isSpan(v: unknown): v is TextSpan {
  return !!v && typeof (v as TextSpan).start === 'number' && typeof (v as TextSpan).end === 'number';
}

function containsOffset(span: TextSpan, offset: number): boolean {
  return offset >= span.start && (offset < span.end || (span.start === span.end && offset === span.start));
}

function width(span: TextSpan): number {
  return span.end - span.start;
}

/** An alert a tool states in words, named as a decoded one is: `Alert: fatal unknown_ca (48)`; null for any other event. */
function alertLabel(event: TranscriptEvent): string | null {
  if (event.kind !== 'stated' || event.subject !== 'alert' || event.alertDescription === undefined) return null;
  return `Alert: ${describeAlert(event.alertDescription, event.alertLevel)}`;
}
