/**
 * The decoded model as the JSON of `smtptls decode --format json` (see the CLI
 * contract). Fields may be added, never renamed. All numbers are integers.
 */
import type { Analysis, AnalyzedSession } from '../analysis/analyzeDocument';
import type { HandshakeMessage, TlsExtension, TlsRecord } from '../model/tls';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

export function toDecodeJson(analysis: Analysis): JsonObject {
  return {
    format: analysis.transcript.format,
    sessions: analysis.sessions.map(sessionToJson),
  };
}

function sessionToJson(s: AnalyzedSession): JsonObject {
  const events: { index: number; line: number; json: JsonObject }[] = [];
  s.session.events.forEach((e, index) => {
    if (e.kind === 'command') {
      events.push({ index, line: e.line, json: { kind: 'command', line: e.line, verb: e.verb, argument: e.argument } });
    } else if (e.kind === 'reply') {
      events.push({
        index,
        line: e.line,
        json: { kind: 'reply', line: e.line, code: Number.isFinite(e.code) ? e.code : null, lines: [...e.lines] },
      });
    }
  });
  for (const t of s.tlsEvents) {
    events.push({
      index: t.eventIndex,
      line: t.line,
      json: { kind: 'tls', line: t.line, direction: t.direction, records: t.records.map(recordToJson) },
    });
  }
  events.sort((a, b) => a.index - b.index || a.line - b.line);
  return { port: s.session.port, events: events.map((e) => e.json) };
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
