/**
 * The decoded model as the JSON of `smtptls decode --format json` (see the CLI
 * contract). Fields may be added, never renamed. All numbers are integers.
 */
import { readStatedCertificate } from '../formats/pemCertificates';
import type { Analysis, AnalyzedSession } from '../analysis/analyzeDocument';
import type { TlsEvent } from '../analysis/tlsStreams';
import type { HandshakeMessage, TlsExtension, TlsRecord } from '../model/tls';
import type { SmtpCommandEvent, SmtpReplyEvent, StatedEvent } from '../model/transcript';
import { resolveSessionPorts } from '../rules/portContext';
import { createRedactor, redactJson } from './redact';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

export function toDecodeJson(analysis: Analysis): JsonObject {
  // The port the rules judge each session by (capture, `# smtptls-port:` comment, setting).
  const ports = resolveSessionPorts(analysis);
  const out: JsonObject = {
    format: analysis.transcript.format,
    sessions: analysis.sessions.map((s, i) => sessionToJson(s, ports[i], analysis.text)),
  };
  // AUTH credentials never leave the tool, not even in the decoded model.
  return redactJson(out, createRedactor(analysis));
}

/** A session event in document order: an SMTP command or reply, or the TLS records starting in one byte run. */
export type OrderedEvent =
  | { readonly kind: 'command'; readonly event: SmtpCommandEvent }
  | { readonly kind: 'reply'; readonly event: SmtpReplyEvent }
  | { readonly kind: 'tls'; readonly event: TlsEvent }
  | { readonly kind: 'stated'; readonly event: StatedEvent };

/** Commands, replies and TLS events of a session, in document order. */
export function orderSessionEvents(s: AnalyzedSession): OrderedEvent[] {
  const events: { index: number; line: number; item: OrderedEvent }[] = [];
  s.session.events.forEach((e, index) => {
    if (e.kind === 'command') events.push({ index, line: e.line, item: { kind: 'command', event: e } });
    else if (e.kind === 'reply') events.push({ index, line: e.line, item: { kind: 'reply', event: e } });
    else if (e.kind === 'stated') events.push({ index, line: e.line, item: { kind: 'stated', event: e } });
  });
  for (const t of s.tlsEvents) events.push({ index: t.eventIndex, line: t.line, item: { kind: 'tls', event: t } });
  events.sort((a, b) => a.index - b.index || a.line - b.line);
  return events.map((e) => e.item);
}

function sessionToJson(s: AnalyzedSession, port: number | null, text: string): JsonObject {
  const events = orderSessionEvents(s).map((o): JsonObject => {
    const e = o.event;
    if (o.kind === 'command') return commandToJson(o.event);
    if (o.kind === 'reply') {
      const reply: JsonObject = { kind: 'reply', line: e.line, code: Number.isFinite(o.event.code) ? o.event.code : null, lines: [...o.event.lines] };
      if (o.event.inTls) reply.inTls = true;
      return reply;
    }
    if (o.kind === 'stated') return statedToJson(o.event, text);
    return { kind: 'tls', line: e.line, direction: o.event.direction, records: o.event.records.map(recordToJson) };
  });
  return { port, events };
}

/**
 * A client line. Message text after a 354 (`dataLine`, verb and argument then just the line split at
 * its first space) and the answers to AUTH challenges (`authPayload`, masked) are no commands: they say so.
 */
function commandToJson(c: SmtpCommandEvent): JsonObject {
  const out: JsonObject = { kind: 'command', line: c.line, verb: c.verb, argument: c.argument };
  if (c.inTls) out.inTls = true;
  if (c.dataLine) out.dataLine = true;
  if (c.authPayload) out.authPayload = true;
  return out;
}

/** Values a tool stated in words (openssl -trace, gnutls-cli -d, curl -v, swaks), or a certificate it prints: marked `statedByTool`. */
export function statedToJson(e: StatedEvent, text = ''): JsonObject {
  const out: JsonObject = { kind: 'stated', line: e.line, direction: e.direction, subject: e.subject, statedByTool: true, text: e.text };
  const numbers = ['recordVersion', 'contentType', 'length', 'handshakeType', 'version', 'labelVersion', 'cipherSuite', 'sessionIdLength', 'alertLevel', 'alertDescription'] as const;
  for (const k of numbers) if (e[k] !== undefined) out[k] = e[k] as number;
  const lists = ['cipherSuites', 'compressionMethods', 'extensions', 'supportedVersions'] as const;
  for (const k of lists) if (e[k] !== undefined) out[k] = [...(e[k] as readonly number[])];
  if (e.cipherName !== undefined) out.cipherName = e.cipherName;
  if (e.cipherAlgorithms !== undefined) out.cipherAlgorithms = e.cipherAlgorithms;
  if (e.certificateIndex !== undefined) out.certificateIndex = e.certificateIndex;
  if (e.signingKeys) out.signingKeys = e.signingKeys.map((k) => ({ side: k.side, algorithm: k.algorithm, bits: k.bits, curve: k.curve }));
  if (e.keyExchange) out.keyExchange = { name: e.keyExchange.name, finiteField: e.keyExchange.finiteField, bits: e.keyExchange.bits, curve: e.keyExchange.curve };
  if (e.verdict) out.verdict = { tool: e.verdict.tool, of: e.verdict.of, problem: e.verdict.problem, reason: e.verdict.reason };
  // A certificate printed in PEM: its reading, as a decoded Certificate message's entries give it.
  const certificate = readStatedCertificate(text, e);
  if (certificate) out.certificate = 'summary' in certificate ? { ...certificate.summary } : { error: certificate.error };
  return out;
}

export function recordToJson(r: TlsRecord): JsonObject {
  const out: JsonObject = {
    contentType: r.contentType,
    version: r.version,
    length: r.length,
    format: r.format,
    messages: r.messages.map(messageToJson),
  };
  if (r.alert) out.alert = { level: r.alert.level, description: r.alert.description, name: r.alert.name };
  if (r.bodyNotShown) out.bodyNotShown = true;
  if (r.decrypted) out.decrypted = true;
  return out;
}

export function messageToJson(m: HandshakeMessage): JsonObject {
  if (m.type === 1 && 'form' in m) {
    const base: JsonObject = {
      type: 1,
      name: 'ClientHello',
      version: m.version,
      random: m.random,
      sessionId: m.sessionId,
    };
    if (m.form === 'sslv2') {
      base.cipherSpecs = [...(m.cipherSpecs ?? [])];
      base.challenge = m.challenge ?? '';
    } else {
      base.cipherSuites = [...(m.cipherSuites ?? [])];
    }
    return {
      ...base,
      format: m.form,
      compressionMethods: [...m.compressionMethods],
      extensions: m.extensions.map(extensionToJson),
      serverName: m.serverName,
      supportedVersions: m.supportedVersions ? [...m.supportedVersions] : null,
      alpn: m.alpn ? [...m.alpn] : null,
      ja3: m.ja3,
      ja4: m.ja4,
    };
  }
  if (m.type === 2 && 'cipherSuite' in m) {
    return {
      type: 2,
      name: m.name,
      version: m.version,
      random: m.random,
      sessionId: m.sessionId,
      cipherSuite: m.cipherSuite,
      compressionMethod: m.compressionMethod,
      extensions: m.extensions.map(extensionToJson),
      selectedVersion: m.selectedVersion,
      ja3s: m.ja3s,
    };
  }
  const out: JsonObject = { type: m.type, name: m.name };
  if ('details' in m && m.details) {
    for (const [k, v] of Object.entries(m.details)) out[k] = v as JsonValue;
  }
  return out;
}

/** An extension: its type and name, then its decoded extension_data ("hostNames", "groups", ...). */
function extensionToJson(x: TlsExtension): JsonObject {
  return { type: x.type, name: x.name, ...((x.details ?? {}) as JsonObject) };
}
