/**
 * `decode --format text`: the decoded model as an indented tree for terminals, in the
 * spirit of `tshark -V`: every session, its SMTP lines, and for each TLS record the
 * FieldNode tree (record header › handshake › fields) with values and their names.
 */
import { describeVerdictSubject } from '../formats/postfixTlsFacts';
import { readStatedCertificate } from '../formats/pemCertificates';
import { describeSummary } from '../tls/certificate';
import type { Analysis } from '../analysis/analyzeDocument';
import type { FieldNode } from '../model/tls';
import type { Direction, SmtpCommandEvent, StatedEvent } from '../model/transcript';
import { describeAlert } from '../tls/registry/alerts';
import { describeVersion } from '../tls/registry/versions';
import { orderSessionEvents } from './decodeJson';
import { createRedactor } from './redact';
import { resolveSessionPorts } from '../rules/portContext';

const INDENT = '    ';
/** Opaque values longer than this many bytes are shortened. */
const MAX_OPAQUE_BYTES = 64;

export function formatDecodeText(path: string, analysis: Analysis): string {
  const redact = createRedactor(analysis);
  const out: string[] = [`${path} (${analysis.transcript.format})`];
  if (analysis.sessions.length === 0) out.push(`${INDENT}no SMTP session or TLS bytes found`);
  const ports = resolveSessionPorts(analysis);
  analysis.sessions.forEach((s, i) => {
    const port = ports[i] === null ? '' : `, port ${ports[i]}`;
    out.push(`Session ${i + 1}${port}, lines ${s.session.startLine + 1}-${s.session.endLine + 1}`);
    let inTls = false;
    for (const o of orderSessionEvents(s)) {
      const at = `[line ${o.event.line + 1}]`;
      if ((o.kind === 'command' || o.kind === 'reply') && o.event.inTls !== inTls) {
        inTls = o.event.inTls;
        out.push(`${INDENT}${inTls ? '-- SMTP inside TLS from here --' : '-- SMTP in the clear from here --'}`);
      }
      if (o.kind === 'command') {
        // As written: the model upper-cases the verb.
        out.push(`${INDENT}${at} ${commandLabel(o.event)}: ${redact(analysis.text.slice(o.event.span.start, o.event.span.end))}`);
      } else if (o.kind === 'reply') {
        const e = o.event;
        e.parts.forEach((p, k) => {
          const lineAt = k === 0 ? at : `[line ${p.line + 1}]`;
          out.push(`${INDENT}${lineAt} S: ${redact(`${p.codeText}${p.separator}${p.text}`)}`);
        });
      } else if (o.kind === 'stated') {
        out.push(`${INDENT}${at} ${directionLabel(o.event.direction)}: stated by the tool (${statedLabel(o.event, analysis.text)}): ${redact(o.event.text)}`);
      } else {
        const e = o.event;
        for (const r of e.records) {
          out.push(`${INDENT}${at} ${directionLabel(e.direction)}: TLS record`);
          appendField(out, r.field, 2);
        }
      }
    }
  });
  return out.map((l) => l + '\n').join('');
}

/** What a statement is about, with the value it states: `alert: fatal handshake_failure (40)`, `negotiated: TLS 1.0 (0x0301), RC4-SHA`. */
function statedLabel(e: StatedEvent, text: string): string {
  const certificate = readStatedCertificate(text, e);
  if (certificate) {
    const at = e.certificateIndex !== undefined ? ` ${e.certificateIndex}` : '';
    return `certificate${at}: ${'summary' in certificate ? describeSummary(certificate.summary) : certificate.error}`;
  }
  if (e.subject === 'alert' && e.alertDescription !== undefined) return `alert: ${describeAlert(e.alertDescription, e.alertLevel)}`;
  if (e.verdict) return `certificate verdict: ${describeVerdictSubject(e.verdict, e.direction)}: ${e.verdict.reason} (${e.verdict.tool})`;
  const facts = [e.version !== undefined ? describeVersion(e.version) : '', e.subject === 'negotiated' ? (e.cipherName ?? '') : ''].filter((f) => f !== '');
  if (e.keyExchange) facts.push(`key exchange ${e.keyExchange.name}${e.keyExchange.curve !== null ? ` ${e.keyExchange.curve}` : ''}${e.keyExchange.bits !== null ? ` ${e.keyExchange.bits} bits` : ''}`);
  for (const k of e.signingKeys ?? []) facts.push(`${k.side} key ${k.algorithm}${k.bits !== null ? ` ${k.bits} bits` : k.curve !== null ? ` ${k.curve}` : ''}`);
  return facts.length > 0 ? `${e.subject}: ${facts.join(', ')}` : e.subject;
}

/** `C`, or what the client line is when it is no command: message text after a 354, or an answer to an AUTH challenge. */
function commandLabel(c: SmtpCommandEvent): string {
  if (c.dataLine) return c.verb === '.' && c.argument === '' ? 'C (end of message text)' : 'C (message text)';
  if (c.authPayload) return 'C (AUTH response)';
  return 'C';
}

function directionLabel(d: Direction | null): string {
  return d === 'client' ? 'C' : d === 'server' ? 'S' : '?';
}

function appendField(out: string[], node: FieldNode, depth: number): void {
  out.push(INDENT.repeat(depth) + describeField(node));
  for (const child of node.children ?? []) appendField(out, child, depth + 1);
}

/** `name: value` as a reader wants it: enums by name with the number, lengths as numbers, hex shortened. */
export function describeField(node: FieldNode): string {
  const width = node.end - node.start;
  const { value, display } = node;
  switch (node.kind) {
    case 'enum':
      if (typeof value === 'number') return `${node.name}: ${display ?? 'unknown'} (${formatNumber(value, width)})`;
      break;
    case 'length':
      if (typeof value === 'number') return `${node.name}: ${value}`;
      break;
    case 'opaque':
      if (typeof value === 'string') return `${node.name}: ${formatOpaque(value)}`;
      break;
    case 'list': {
      const n = node.children?.length ?? 0;
      return `${node.name}: ${display ?? `${n} item${n === 1 ? '' : 's'}`}`;
    }
    default:
      break;
  }
  if (display !== undefined && display !== '') return `${node.name}: ${display}`;
  if (typeof value === 'number') return `${node.name}: ${formatNumber(value, width)}`;
  if (typeof value === 'string') return `${node.name}: ${formatOpaque(value)}`;
  return node.name;
}

/** One-byte fields in decimal; wider ones (suites, extension types) in hex as the registries write them. */
function formatNumber(value: number, width: number): string {
  if (width <= 1) return String(value);
  return '0x' + value.toString(16).padStart(Math.min(width, 4) * 2, '0');
}

function formatOpaque(hex: string): string {
  if (hex === '') return '(empty)';
  const bytes = hex.length / 2;
  if (bytes <= MAX_OPAQUE_BYTES) return hex;
  return `${hex.slice(0, MAX_OPAQUE_BYTES * 2)}… (${bytes} bytes)`;
}
