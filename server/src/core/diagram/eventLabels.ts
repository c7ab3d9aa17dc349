/**
 * One-line summaries of SMTP commands, replies and TLS messages, as the ladder
 * diagram labels its arrows. Credentials never reach a label: the argument of
 * AUTH after the mechanism and every client line of a SASL exchange are
 * replaced by a placeholder that only says how long they were.
 */
import type { SmtpCommandEvent, SmtpReplyEvent } from '../model/transcript';
import type { HandshakeMessage, TlsRecord } from '../model/tls';
import { isGrease16, lookupAlertDescription, lookupAlertLevel, lookupCipherSuite, lookupContentType, lookupVersion } from '../tls/registry';

/** Placeholder for a credential of `length` characters (RFC 4954 §4: base64 SASL responses). */
export function maskCredential(length: number): string {
  return `‹credentials hidden, ${length} chars›`;
}

/**
 * The label of a command. `sasl` is true for a client line that answers a 334
 * challenge (RFC 4954 §4): the whole line is a credential.
 */
export function summarizeCommand(command: SmtpCommandEvent, sasl: boolean): string {
  const raw = command.verb + (command.argument ? ' ' + command.argument : '');
  if (sasl) {
    const line = raw.trim();
    // RFC 4954 §4: a lone "*" cancels the exchange and carries nothing secret.
    return line === '*' ? '* (cancel AUTH)' : maskCredential(line.length);
  }
  if (command.verb === 'AUTH') return summarizeAuth(command.argument);
  if (command.verb === '') return command.argument ? command.argument : '(empty line)';
  return raw;
}

/** "AUTH PLAIN ‹credentials hidden›": the mechanism stays, an initial response is masked. */
function summarizeAuth(argument: string): string {
  const m = /^(\S+)(\s+)?(.*)$/s.exec(argument);
  if (!m) return 'AUTH';
  const mechanism = m[1];
  const initial = m[3].trim();
  // RFC 4954 §4: "=" is an empty initial response.
  if (!initial || initial === '=') return `AUTH ${mechanism}${initial ? ' =' : ''}`;
  return `AUTH ${mechanism} ${maskCredential(initial.length)}`;
}

/** "250 mx.example.test +9 lines: PIPELINING SIZE …": code, first text, the keywords of further lines. */
export function summarizeReply(reply: SmtpReplyEvent): string {
  const code = Number.isFinite(reply.code) ? String(reply.code) : (reply.parts[0]?.codeText ?? '???');
  const first = (reply.lines[0] ?? '').trim();
  const head = first ? `${code} ${first}` : code;
  if (reply.lines.length <= 1) return head;
  const keywords = reply.lines.slice(1).map((l) => l.trim().split(/\s+/)[0] ?? '').filter((k) => k !== '');
  return `${head} +${reply.lines.length - 1} lines: ${keywords.join(' ')}`;
}

/** Full text of a reply, one line per reply line, for the arrow's tooltip. */
export function describeReplyLines(reply: SmtpReplyEvent): string {
  return reply.parts.map((p) => `${p.codeText}${p.separator}${p.text}`).join('\n');
}

function versionName(value: number): string {
  return lookupVersion(value).name;
}

/** "ClientHello TLS 1.2 · versions TLS 1.3, TLS 1.2 · 31 suites · SNI mx.example.test". */
export function summarizeMessage(message: HandshakeMessage): string {
  const parts: string[] = [];
  if (message.type === 1 && 'form' in message) {
    parts.push(message.form === 'sslv2' ? `ClientHello (SSLv2-compatible) ${versionName(message.version)}` : `ClientHello ${versionName(message.version)}`);
    // RFC 8701: GREASE values say nothing about the versions offered.
    const offered = (message.supportedVersions ?? []).filter((v) => !isGrease16(v));
    if (offered.length > 0) {
      const names = offered.map(versionName);
      parts.push(names.length <= 2 ? 'versions ' + names.join(', ') : `versions ${names[0]} … ${names[names.length - 1]} (${names.length})`);
    }
    const suites = message.form === 'sslv2' ? (message.cipherSpecs ?? []).length : (message.cipherSuites ?? []).length;
    // A cut hello shows only what arrived: no count rather than a misleading 0.
    if (suites > 0 || !message.incomplete) parts.push(`${suites} ${message.form === 'sslv2' ? 'cipher specs' : 'suites'}`);
    if (message.serverName) parts.push(`SNI ${message.serverName}`);
  } else if (message.type === 2 && 'cipherSuite' in message) {
    // RFC 8446 §4.2.1: the negotiated version is in supported_versions when present.
    const version = message.selectedVersion ?? message.version;
    parts.push(`${message.name} ${versionName(version)}`, lookupCipherSuite(message.cipherSuite).name);
  } else {
    parts.push(message.name);
  }
  if (message.incomplete) parts.push('truncated');
  return parts.join(' · ');
}

/** Label of a record that carries no decoded handshake message (alert, CCS, application data, cut or encrypted records). */
export function summarizeRecordWithoutMessages(record: TlsRecord): string {
  if (record.alert) {
    const level = record.alert.level === 1 || record.alert.level === 2 ? lookupAlertLevel(record.alert.level).name : `level ${record.alert.level}`;
    const name = record.alert.name || lookupAlertDescription(record.alert.description).name;
    return `Alert ${level} ${name}`;
  }
  const type = lookupContentType(record.contentType).name;
  const version = record.format === 'sslv2' ? 'SSLv2 record' : `${versionName(record.version)} record`;
  const length = `${record.length} bytes`;
  if (record.contentType === 20) return `ChangeCipherSpec (${version})`;
  if (record.bodyNotShown) return `${type} (${version}, ${length}, body not shown)`;
  if (record.encrypted || record.contentType === 23) return `${type} (${version}, ${length}, encrypted)`;
  return `${type} (${version}, ${length}, not decoded)`;
}

/** Up to 40 bytes as text: printable ASCII as is, CR and LF as ␍ ␊, anything else as "·". */
export function previewBytes(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < Math.min(bytes.length, 40); i++) {
    const b = bytes[i];
    out += b === 0x0d ? '␍' : b === 0x0a ? '␊' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·';
  }
  return bytes.length > 40 ? out + '…' : out;
}
