/**
 * Where rule checks find what they judge: every TLS record and hello of a
 * document with its session, the run it starts in, and the STARTTLS exchange
 * before it; field lookups in decoded trees; related locations.
 */
import { documentSpanOfBytes } from '../bytes/byteView';
import type { StatedEvent, TextSpan, TranscriptEvent } from '../model/transcript';
import type { ClientHelloMessage, FieldNode, HandshakeMessage, ServerHelloMessage, TlsRecord } from '../model/tls';
import type { AnalyzedSession } from '../analysis/analyzeDocument';
import type { TlsEvent, TlsStream } from '../analysis/tlsStreams';
import type { StarttlsContext } from '../analysis/starttlsContext';
import { TLS_1_3, describeVersion } from '../tls/registry/versions';
import { cipherSuiteByName } from '../tls/registry/cipherNames';
import type { RelatedLocation } from './types';
import { createSessionCache } from './ruleContext';

export interface RecordSite {
  readonly session: AnalyzedSession;
  readonly event: TlsEvent;
  readonly record: TlsRecord;
  readonly starttls: StarttlsContext | null;
}

export interface MessageSite<M extends HandshakeMessage> extends RecordSite {
  readonly message: M;
}

export type ClientHelloSite = MessageSite<ClientHelloMessage>;
export type ServerHelloSite = MessageSite<ServerHelloMessage>;

export function isClientHello(m: HandshakeMessage): m is ClientHelloMessage {
  return m.type === 1 && 'form' in m;
}

export function isServerHello(m: HandshakeMessage): m is ServerHelloMessage {
  return m.type === 2 && 'cipherSuite' in m && m.name === 'ServerHello';
}

/**
 * A session's records and hellos in document order, built once per session and
 * shared by every check: checks that ask "the hello this answers" or "is this a
 * TLS 1.3 session" for each record stay linear on sessions with many records.
 */
interface SessionIndex {
  readonly records: readonly RecordSite[];
  readonly clientHellos: readonly ClientHelloSite[];
  readonly serverHellos: readonly ServerHelloSite[];
  readonly tls13: boolean;
}

/** Indexes of the rules run under way; dropped when it ends (see forgetRunCaches). */
const SESSION_INDEX = createSessionCache<SessionIndex>();

function indexSession(session: AnalyzedSession): SessionIndex {
  return SESSION_INDEX.get(session, buildSessionIndex);
}

function buildSessionIndex(session: AnalyzedSession): SessionIndex {
  const records: RecordSite[] = [];
  const clientHellos: ClientHelloSite[] = [];
  const serverHellos: ServerHelloSite[] = [];
  let tls13 = false;
  for (const event of session.tlsEvents) {
    for (const record of event.records) {
      const starttls = session.starttls[event.eventIndex] ?? null;
      records.push({ session, event, record, starttls });
      for (const m of record.messages) {
        // Literals, not `{ ...site, message }`: V8 gives every spread copy a map of its own.
        if (isClientHello(m)) clientHellos.push({ session, event, record, starttls, message: m });
        else if (isServerHello(m)) {
          serverHellos.push({ session, event, record, starttls, message: m });
          if (negotiatedVersion(m) === TLS_1_3) tls13 = true;
        }
      }
    }
  }
  return { records, clientHellos, serverHellos, tls13 };
}

/** Binary search: the first index in [0, length) for which `before` is false (`before` holds on a prefix). */
export function firstNotBefore(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first site whose event comes after `eventIndex` (sites are in event order). */
function firstAfterEvent(sites: readonly RecordSite[], eventIndex: number): number {
  return firstNotBefore(sites.length, (i) => sites[i].event.eventIndex <= eventIndex);
}

/** Every decoded record of the sessions, in document order per session. */
export function* listRecords(sessions: readonly AnalyzedSession[]): Generator<RecordSite> {
  for (const session of sessions) yield* indexSession(session).records;
}

export function* listClientHellos(sessions: readonly AnalyzedSession[]): Generator<ClientHelloSite> {
  for (const session of sessions) yield* indexSession(session).clientHellos;
}

export function* listServerHellos(sessions: readonly AnalyzedSession[]): Generator<ServerHelloSite> {
  for (const session of sessions) yield* indexSession(session).serverHellos;
}

/**
 * A TLS version a tool states was negotiated (swaks, gnutls-cli, msmtp, curl -v, postfix and Exim logs,
 * s_client's session block), or the version of a ServerHello it states in words (openssl -trace,
 * tshark -V, gnutls-cli -d), in a session whose ServerHello is not decoded.
 */
export interface StatedNegotiationSite {
  readonly session: AnalyzedSession;
  readonly event: StatedEvent;
  readonly version: number;
  /** The version's text where the tool states it (else the whole statement). */
  readonly span: TextSpan;
  /** The statement is a ServerHello's (its selected version), not the tool's word on the outcome. */
  readonly fromServerHello: boolean;
}

/**
 * Each negotiated version a tool states, once per session (s_client prints its session block again
 * for each TLS 1.3 ticket; openssl -trace shows the ServerHello before it), in the sessions without a
 * decoded ServerHello (where there is one, the rules judge its bytes, and the statement would only
 * repeat it). A stated ServerHello's version is its supported_versions where the tool states that
 * extension, else server_version (0x0303 in a TLS 1.3 ServerHello, so a TLS 1.3 session whose
 * extension is not stated never reads as older than TLS 1.2).
 */
export function* listStatedNegotiations(sessions: readonly AnalyzedSession[]): Generator<StatedNegotiationSite> {
  for (const session of sessions) {
    if (indexSession(session).serverHellos.length > 0) continue;
    const seen = new Set<number>();
    for (const event of session.session.events) {
      if (event.kind !== 'stated') continue;
      let version: number | undefined;
      let span: TextSpan | undefined;
      if (event.subject === 'negotiated') {
        version = event.version;
        span = event.valueSpans?.version;
      } else if (event.subject === 'server-hello') {
        const selected = event.supportedVersions?.length === 1 ? event.supportedVersions[0] : undefined;
        version = selected ?? event.version;
        span = selected === undefined ? event.valueSpans?.version : undefined;
      }
      if (version === undefined || seen.has(version)) continue;
      seen.add(version);
      yield { session, event, version, span: span ?? event.span, fromServerHello: event.subject === 'server-hello' };
    }
  }
}

/**
 * The highest version a ClientHello a tool states in words offers (the highest of its supported_versions
 * where the tool states that extension, GREASE aside, else client_version), once per session and
 * version, in the sessions without a decoded ClientHello.
 */
export interface StatedOfferedVersionSite {
  readonly session: AnalyzedSession;
  readonly event: StatedEvent;
  readonly version: number;
  /** client_version's text when that is the version, else the statement. */
  readonly span: TextSpan;
}

export function* listStatedOfferedVersions(sessions: readonly AnalyzedSession[]): Generator<StatedOfferedVersionSite> {
  let seen = new Set<number>();
  let last: AnalyzedSession | null = null;
  for (const { session, event } of listStatedClientHellos(sessions)) {
    if (session !== last) {
      seen = new Set<number>();
      last = session;
    }
    const listed = event.supportedVersions && event.supportedVersions.length > 0;
    const version = listed ? highestRealVersion(event.supportedVersions!) : event.version;
    if (version === undefined || version === 0 || seen.has(version)) continue;
    seen.add(version);
    yield { session, event, version, span: (!listed && event.valueSpans?.version) || event.span };
  }
}

/**
 * The negotiated suite as a tool states it, in a session whose ServerHello is not decoded: a
 * suite the statement identifies (a code, as openssl -trace and tshark -V print the
 * ServerHello's; or a name IANA, OpenSSL or GnuTLS gives it), each once per session; or, where
 * no statement identifies one, the algorithms GnuTLS's description names (msmtp, Exim, gnutls-cli
 * without -d 4), each once per session.
 */
export interface StatedSelectionSite {
  readonly session: AnalyzedSession;
  readonly event: StatedEvent;
  /** The suite's code; undefined for a description of algorithms. */
  readonly code: number | undefined;
  /** What the tool wrote: a name (GNUTLS_RSA_ARCFOUR_128_SHA1), the code's text, or the algorithms ((RSA)-(ARCFOUR-128)-(SHA1)). */
  readonly stated: string;
  readonly span: TextSpan;
}

export function* listStatedSelections(sessions: readonly AnalyzedSession[]): Generator<StatedSelectionSite> {
  for (const session of sessions) {
    if (indexSession(session).serverHellos.length > 0) continue;
    const codes = new Set<number>();
    const described: StatedSelectionSite[] = [];
    const seenDescriptions = new Set<string>();
    for (const event of session.session.events) {
      if (event.kind !== 'stated') continue;
      if (event.subject === 'server-hello' && event.cipherSuite !== undefined) {
        if (codes.has(event.cipherSuite)) continue;
        codes.add(event.cipherSuite);
        yield { session, event, code: event.cipherSuite, stated: `0x${event.cipherSuite.toString(16).padStart(4, '0')}`, span: event.valueSpans?.cipherSuite ?? event.span };
      }
      if (event.subject !== 'negotiated') continue;
      const code = event.cipherName ? cipherSuiteByName(event.cipherName) : undefined;
      if (code !== undefined && !codes.has(code)) {
        codes.add(code);
        yield { session, event, code, stated: event.cipherName!, span: event.valueSpans?.cipherName ?? event.span };
      }
      const algorithms = event.cipherAlgorithms;
      if (algorithms && !seenDescriptions.has(algorithms)) {
        seenDescriptions.add(algorithms);
        described.push({ session, event, code: undefined, stated: algorithms, span: event.valueSpans?.cipherAlgorithms ?? event.span });
      }
    }
    if (codes.size === 0) yield* described;
  }
}

/** A ClientHello a tool states in words with its suites (gnutls-cli -d 4's Keeping lines, openssl -trace, tshark -V), in a session with no decoded ClientHello. */
export interface StatedOfferSite {
  readonly session: AnalyzedSession;
  readonly event: StatedEvent;
  readonly suites: readonly number[];
}

export function* listStatedOffers(sessions: readonly AnalyzedSession[]): Generator<StatedOfferSite> {
  for (const { session, event } of listStatedClientHellos(sessions)) {
    if (event.cipherSuites && event.cipherSuites.length > 0) yield { session, event, suites: event.cipherSuites };
  }
}

/** A ClientHello a tool states in words (openssl -trace, tshark -V, gnutls-cli -d), in a session with no decoded ClientHello (there the bytes are judged). */
export interface StatedClientHelloSite {
  readonly session: AnalyzedSession;
  readonly event: StatedEvent;
}

export function* listStatedClientHellos(sessions: readonly AnalyzedSession[]): Generator<StatedClientHelloSite> {
  for (const session of sessions) {
    if (indexSession(session).clientHellos.length > 0) continue;
    for (const event of session.session.events) {
      if (event.kind === 'stated' && event.subject === 'client-hello') yield { session, event };
    }
  }
}

/** An alert a tool states in words (openssl -trace, tshark -V, gnutls-cli -d, curl -v), with its level and description. */
export interface StatedAlertSite {
  readonly session: AnalyzedSession;
  readonly event: StatedEvent;
  readonly level: number;
  readonly description: number;
}

/**
 * The alerts a session's events state (with their description), each once: a fatal alert ends the
 * connection, so further statements of the same fatal alert from the same side tell it again (OpenSSL's
 * info callback line and its error, an -trace record and s_client's error line): one is kept, an error's
 * only when nothing else states it. In event order. The rule, the outline and the diagram show these.
 */
export function pickStatedAlerts(events: readonly TranscriptEvent[]): StatedEvent[] {
  const stated: StatedEvent[] = [];
  const fatal = new Map<string, StatedEvent>();
  for (const event of events) {
    if (event.kind !== 'stated' || event.subject !== 'alert' || event.alertDescription === undefined) continue;
    stated.push(event);
    if (event.alertLevel !== 2) continue;
    const key = `${event.direction}:${event.alertDescription}`;
    const first = fatal.get(key);
    if (!first || (first.byError && !event.byError)) fatal.set(key, event);
  }
  return stated.filter((event) => event.alertLevel !== 2 || fatal.get(`${event.direction}:${event.alertDescription}`) === event);
}

/**
 * Each alert stated with its level and description (pickStatedAlerts; one whose level the tool does not
 * say is not judged), in the sessions where no decoded record carries an alert (there the bytes are judged).
 */
export function* listStatedAlerts(sessions: readonly AnalyzedSession[]): Generator<StatedAlertSite> {
  for (const session of sessions) {
    if (indexSession(session).records.some((r) => r.record.alert)) continue;
    for (const event of pickStatedAlerts(session.session.events)) {
      if (event.alertLevel !== undefined) yield { session, event, level: event.alertLevel, description: event.alertDescription! };
    }
  }
}

/** The first record of the session that carries a ClientHello, or null. */
export function findFirstClientHelloRecord(session: AnalyzedSession): TlsRecord | null {
  return indexSession(session).clientHellos[0]?.record ?? null;
}

/**
 * For each position in a session's records, the next record (index, or -1) that can answer a
 * hello: the next server record, the next record of unknown direction, and the next one of
 * unknown direction in a stream other than that one's. Built once per session and rules run.
 */
interface AnswerIndex {
  readonly server: Int32Array;
  readonly unknown: Int32Array;
  readonly unknownOther: Int32Array;
}

const ANSWER_INDEX = createSessionCache<AnswerIndex>();

function buildAnswerIndex(session: AnalyzedSession): AnswerIndex {
  const records = indexSession(session).records;
  const n = records.length;
  const server = new Int32Array(n + 1).fill(-1);
  const unknown = new Int32Array(n + 1).fill(-1);
  const unknownOther = new Int32Array(n + 1).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    const event = records[i].event;
    server[i] = event.direction === 'server' ? i : server[i + 1];
    if (event.direction !== null) {
      unknown[i] = unknown[i + 1];
      unknownOther[i] = unknownOther[i + 1];
    } else {
      unknown[i] = i;
      const next = unknown[i + 1];
      unknownOther[i] = next >= 0 && records[next].event.stream === event.stream ? unknownOther[i + 1] : next;
    }
  }
  return { server, unknown, unknownOther };
}

/**
 * The other side's first TLS record after the hello's event: a server record, or, when directions
 * are unknown, a record of another stream. Null when the session has none.
 */
export function findServerAnswer(hello: RecordSite): RecordSite | null {
  const records = indexSession(hello.session).records;
  const answers = ANSWER_INDEX.get(hello.session, buildAnswerIndex);
  const from = firstAfterEvent(records, hello.event.eventIndex);
  const u = answers.unknown[from];
  const unknown = u >= 0 && records[u].event.stream === hello.event.stream ? answers.unknownOther[from] : u;
  const server = answers.server[from];
  const first = server < 0 ? unknown : unknown < 0 ? server : Math.min(server, unknown);
  return first >= 0 ? records[first] : null;
}

/** The ClientHello a ServerHello answers: the last one before it in the same session. */
export function findAnsweredClientHello(site: RecordSite): ClientHelloSite | null {
  const hellos = indexSession(site.session).clientHellos;
  const { eventIndex, stream } = site.event;
  // Hellos of earlier events all come before. An event holds the records of one run of one stream, in
  // stream order, so among the hellos of the same event those before the record form a prefix.
  const i = firstNotBefore(firstAfterEvent(hellos, eventIndex), (k) => {
    const ch = hellos[k];
    return ch.event.eventIndex < eventIndex || ch.record.start < site.record.start || ch.event.stream !== stream;
  });
  return i > 0 ? hellos[i - 1] : null;
}

/** The version a ServerHello negotiates: supported_versions when present (RFC 8446 §4.2.1), else server_version. */
export function negotiatedVersion(sh: ServerHelloMessage): number {
  return sh.selectedVersion ?? sh.version;
}

/** The versions a ClientHello offers: supported_versions when present, else client_version. */
export function offeredVersions(ch: ClientHelloMessage): readonly number[] {
  return ch.supportedVersions && ch.supportedVersions.length > 0 ? ch.supportedVersions : [ch.version];
}

/** The highest real (non-GREASE) version a ClientHello offers. */
export function highestOfferedVersion(ch: ClientHelloMessage): number {
  return highestRealVersion(offeredVersions(ch));
}

/** The highest of a list of versions, GREASE values (0x?a?a) and non-TLS values aside; 0 when none is left. */
export function highestRealVersion(versions: readonly number[]): number {
  let best = 0;
  for (const v of versions) if ((v & 0x0f0f) !== 0x0a0a && v > best && v <= 0x03ff) best = v;
  return best;
}

/** True when the session negotiated TLS 1.3 (a ServerHello selecting 0x0304). */
export function isTls13Session(session: AnalyzedSession): boolean {
  return indexSession(session).tls13;
}

/** Document span of bytes [start, end) of the record's stream. */
export function spanOfBytes(site: RecordSite, start: number, end: number): TextSpan {
  return documentSpanOfBytes(site.event.stream.view, start, end);
}

/** Depth-first search for the first field with this name. */
export function findField(node: FieldNode, name: string): FieldNode | undefined {
  if (node.name === name) return node;
  const children = node.children;
  if (children) {
    for (const c of children) {
      const f = findField(c, name);
      if (f) return f;
    }
  }
  return undefined;
}

/** Calls `visit` on every field of the tree, depth first, as the fields are shown (no list built). */
export function forEachField(node: FieldNode, visit: (f: FieldNode) => void): void {
  visit(node);
  const children = node.children;
  if (children) for (let i = 0; i < children.length; i++) forEachField(children[i], visit);
}

/** Every field for which `test` holds, depth first. */
export function collectFields(node: FieldNode, test: (f: FieldNode) => boolean, out: FieldNode[] = []): FieldNode[] {
  forEachField(node, (f) => {
    if (test(f)) out.push(f);
  });
  return out;
}

/** The STARTTLS command and its reply, as related locations. */
export function relatedStarttls(ctx: StarttlsContext | null): RelatedLocation[] {
  if (!ctx) return [];
  const out: RelatedLocation[] = [{ span: ctx.command.span, message: 'STARTTLS issued here' }];
  if (ctx.reply) out.push({ span: ctx.reply.parts[0].span, message: `server replied ${ctx.reply.code} to STARTTLS` });
  return out;
}

/** A ClientHello as a related location. */
export function relatedClientHello(site: ClientHelloSite): RelatedLocation {
  const ch = site.message;
  return {
    span: spanOfBytes(site, ch.versionSpan.start, ch.versionSpan.end),
    message: `the ClientHello (offering up to ${describeVersion(highestOfferedVersion(ch))})`,
  };
}

/**
 * Where the decoder found a length problem in each stream of a session: the sorted
 * start offsets of its malformed problems (a repeated extension is not damage). Built
 * once per stream and rules run, so asking for every hello costs a binary search.
 */
const DAMAGE_STARTS = createSessionCache<Map<TlsStream, readonly number[]>>();

function damageStarts(site: RecordSite): readonly number[] {
  const byStream = DAMAGE_STARTS.get(site.session, () => new Map());
  const stream = site.event.stream;
  let starts = byStream.get(stream);
  if (!starts) {
    const found: number[] = [];
    for (const p of stream.decoded.problems) if (p.kind === 'malformed' && !/appears twice/.test(p.message)) found.push(p.start);
    starts = found.sort((a, b) => a - b);
    byStream.set(stream, starts);
  }
  return starts;
}

/** True when the decoder found a length problem inside the message: its later fields are not trustworthy. */
export function isDamaged(site: MessageSite<HandshakeMessage>): boolean {
  if ('incomplete' in site.message && site.message.incomplete) return true;
  const starts = damageStarts(site);
  // The first problem starting at or after the message start; damaged if it starts before the end.
  const i = firstNotBefore(starts.length, (k) => starts[k] < site.message.start);
  return i < starts.length && starts[i] < site.message.end;
}
