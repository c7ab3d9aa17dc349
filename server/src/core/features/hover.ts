/**
 * Hover: what is under the cursor, in Markdown. On a hex pair the innermost
 * decoded field (path, raw and decoded value, IANA name, meaning, RFC); on SMTP
 * lines the verb, reply code or enhanced status code; on a direction marker
 * its meaning; on field names in openssl -trace and gnutls lines the field's
 * meaning; on values a tool states in words (a suite's name, a version) what
 * they are. Credentials and TLS secrets are never shown.
 */
import { describeKeyIds, describeValidity } from '../tls/certificateFacts';
import { describeCertificatePart, findPemCertificateAt, findPrintedCertificateAt } from './certificatePartNotes';
import { describeKey } from '../tls/certificate';
import type { Analysis } from '../analysis/analyzeDocument';
import type { FieldNode } from '../model/tls';
import type { PrintedCertificate, TextSpan } from '../model/transcript';
import { HEX_PAIR_WIDTH } from '../bytes/byteView';
import { ELISION } from '../formats/bioDumpLines';
import { findFieldAt, findFieldPath, findRecordAt, getFieldIndex, locateRuns, type FieldHit } from './fieldIndex';
import { getLineEvents } from './lineEvents';
import { getCredentialSpans } from './credentials';
import { describeTlsSecret, tlsSecretOnLine } from './tlsSecretNotes';
import { describeStatedValueAt } from './statedValueNotes';
import { describeSessionTimeAt } from './sessionTimeNotes';
import { describePolicyDirectiveAt } from './policyNotes';
import { describeOpensslVerifyAt } from './opensslVerifyNotes';
import { describeOpensslErrorAt } from './opensslErrorNotes';
import { describeDecryptedMarkAt } from './decryptedRecordNotes';
import { baseFieldName, describeFieldValue, findFieldNote } from './tlsFieldNotes';
import { describeEnhancedStatus, describeReplyCode, DIRECTION_MARKERS, findDirectionNote, findVerbNote, type Note, type PlacedNote } from './smtpNotes';
import { formatReferenceLink, refRfc, type Reference } from './references';

export interface HoverResult {
  readonly markdown: string;
  /** Document span the hover is about. */
  readonly span: TextSpan;
}

/** The hover for a document offset, or null when there is nothing to say there. */
export function computeHover(analysis: Analysis, offset: number): HoverResult | null {
  const credential = getCredentialSpans(analysis).find((c) => c.start <= offset && offset < c.end);
  if (credential) {
    return {
      span: { start: credential.start, end: credential.end },
      markdown:
        (credential.decoded
          ? '**AUTH credentials** (in clear, masked here)\n\nA user name or password the tool printed decoded beside the SASL response it sent ' +
            '(Net::SMTP\'s `(decoded)` lines), in the file in clear: '
          : '**AUTH credentials** (base64, masked here)\n\nA SASL response carrying a user name and password. Base64 is an encoding, not encryption: ') +
        'use the *Redact credentials* quick fix before sharing this file.\n\n' +
        formatRefs([{ label: 'RFC 4954 §4', url: 'https://www.rfc-editor.org/rfc/rfc4954#section-4' }]),
    };
  }
  const secret = tlsSecretOnLine(analysis, analysis.lines.lineAt(offset));
  if (secret) {
    const note = describeTlsSecret(secret);
    return {
      span: { start: analysis.lines.lineStart(secret.line), end: secret.end },
      markdown: `**${secret.kind === 'password' ? 'Secret' : 'TLS secret'}: ${formatCode(note.title)}** (masked here)\n\n${note.about}${note.refs.length > 0 ? `\n\n${formatRefs(note.refs)}` : ''}`,
    };
  }
  const hit = findFieldAt(getFieldIndex(analysis), offset);
  if (hit) return describeHit(analysis, hit);
  return (
    describeRepeatAt(analysis, offset) ??
    describeElisionAt(analysis, offset) ??
    describeSmtpAt(analysis, offset) ??
    noteHover(describeStatedValueAt(analysis, offset)) ??
    describePrintedCertificateAt(analysis, offset) ??
    noteHover(describeSessionTimeAt(analysis, offset)) ??
    noteHover(describePolicyDirectiveAt(analysis, offset)) ??
    noteHover(describeOpensslVerifyAt(analysis, offset)) ??
    describeDecryptedAt(analysis, offset) ??
    describeMarkerAt(analysis, offset) ??
    describeTraceWordAt(analysis, offset) ??
    describeErrorAt(analysis, offset)
  );
}

/** An OpenSSL error a log or a tool prints (`error:0A0000C1:SSL routines::no shared cipher`): what it means. */
function describeErrorAt(analysis: Analysis, offset: number): HoverResult | null {
  const line = analysis.lines.lineAt(offset);
  return noteHover(describeOpensslErrorAt(analysis.text, analysis.lines.lineStart(line), analysis.lines.lineEnd(line), offset));
}

/** A note on a place (a stated value, a verify result, a session's time, an error): its title, meaning and references. */
function noteHover(note: PlacedNote | null): HoverResult | null {
  return note ? { span: note.span, markdown: formatNote(escapeMd(note.title), note) } : null;
}

/** A capture import's mark before a record it decrypted with a key log. */
function describeDecryptedAt(analysis: Analysis, offset: number): HoverResult | null {
  const hit = describeDecryptedMarkAt(analysis, offset);
  return noteHover(hit && { ...hit.note, span: hit.span });
}

/** What a reading of a certificate from a tool's words is, and leaves out. */
const PRINTED_BY: Readonly<Record<PrintedCertificate['tool'], string>> = {
  'tshark -V': "tshark's dissection of the certificate's fields (RFC 5280 §4.1); it cuts the bytes it prints, so the certificate is judged from these fields.",
  'gnutls-cli':
    "gnutls-cli's one-line reading of the certificate (RFC 5280 §4.1 fields); it names no subjectAltName and no key identifier, so the names the certificate covers are not judged from it.",
  'openssl x509 -text': "openssl's description of the certificate's fields (RFC 5280 §4.1), without its DER; the certificate is judged from these fields.",
};

/**
 * A certificate a tool prints in PEM (s_client's "Server certificate", -showcerts) or describes in
 * words (tshark -V, gnutls-cli, openssl x509 -text): what it is, and the part under the cursor.
 */
function describePrintedCertificateAt(analysis: Analysis, offset: number): HoverResult | null {
  const pem = findPemCertificateAt(analysis, offset);
  const printed = pem ? null : findPrintedCertificateAt(analysis, offset);
  const hit = pem ?? printed;
  if (!hit) return null;
  const s = hit.summary;
  const lines = [
    `**Certificate** — ${escapeMd(s.subject)} (${pem ? 'in PEM, as the tool prints it' : `as ${printed!.tool} describes it`})`,
    '',
    '| | |',
    '|:--|:--|',
    `| Issuer | ${escapeMd(s.issuer)}${s.selfSigned ? ' (self-signed)' : ''} |`,
    `| Key | ${escapeMd(describeKey(s))} |`,
    `| Signature | ${escapeMd(s.signatureAlgorithm)} |`,
    `| Valid | ${describeValidity(s)} |`,
  ];
  if (s.subjectAltNames.length > 0) lines.push(`| Names | ${escapeMd(s.subjectAltNames.join(', '))} |`);
  const keyIds = describeKeyIds(s);
  if (keyIds) lines.push(`| Key identifiers | ${keyIds} |`);
  if (hit.part) lines.push(`| Under the cursor | ${escapeMd(hit.part)}${pem ? ` (byte ${pem.byte} of ${pem.length})` : ''} |`);
  if (pem) {
    lines.push('', "Base64 of the certificate's DER encoding (RFC 7468 §5); its fields are those of RFC 5280 §4.1.", '');
    lines.push(formatRefs([refRfc(5280, '4.1'), refRfc(7468, '5')]));
  } else {
    lines.push('', PRINTED_BY[printed!.tool], '');
    lines.push(formatRefs([refRfc(5280, '4.1')]));
  }
  return { span: hit.span, markdown: lines.join('\n') };
}

/** A hex dump's "*" line: how many bytes it stands for (formats/hexDumpLayouts.ts fills them in). */
function describeRepeatAt(analysis: Analysis, offset: number): HoverResult | null {
  if (analysis.text.charCodeAt(offset) !== 42) return null;
  return describePlacedBytes(analysis, offset, 1, (n, where) =>
    `**\`*\`: ${n} bytes not printed** (${where})\n\n` +
    'The dump left out lines identical to the line before it, up to the next offset (hexdump and od without `-v`, `xxd -a`); ' +
    'they are read as that line repeated.',
  );
}

/** Postfix's `<SPACES/NULLS>` (bioDumpLines.ts): the bytes placed at it, anywhere on the marker. */
function describeElisionAt(analysis: Analysis, offset: number): HoverResult | null {
  const text = analysis.text;
  const from = Math.max(0, offset - ELISION.length + 1);
  const at = text.slice(from, offset + ELISION.length).indexOf(ELISION);
  if (at < 0 || from + at > offset) return null;
  return describePlacedBytes(analysis, from + at, ELISION.length, (n, where) =>
    `**\`${ELISION}\`: ${n} bytes not printed** (${where})\n\n` +
    "Postfix's dump leaves out the trailing bytes of a read or write that are spaces (0x20) or NULs (0x00). They are read as NULs, " +
    'what TLS ends records with (the padding extension, an empty extension, the null compression method); the length at the end of ' +
    "a record header read is the size of the body read after it.",
  );
}

/**
 * The bytes a dump placed at the marker at `offset` (a `*`, a `<SPACES/NULLS>`), consecutive in their run: how many, where,
 * and the field they fall in, described by `say(count, where)`.
 */
function describePlacedBytes(analysis: Analysis, offset: number, width: number, say: (n: number, where: string) => string): HoverResult | null {
  for (const s of analysis.sessions) {
    for (let index = 0; index < s.session.events.length; index++) {
      const e = s.session.events[index];
      if (e.kind !== 'bytes') continue;
      const o = e.view.offsets;
      if (o.length === 0 || offset < o[0] || offset > o[o.length - 1]) continue;
      // The bytes placed at the marker are consecutive, and a dump's offsets never go back.
      const first = firstAtLeast(o, offset);
      if (o[first] !== offset) continue;
      const end = firstAtLeast(o, offset + 1);
      const field = fieldOfRunByte(s, index, first);
      return {
        span: { start: offset, end: offset + width },
        markdown: say(end - first, `bytes ${first}–${end - 1} of this dump${field ? `, in ${formatFieldPath(field)}` : ''}`),
      };
    }
  }
  return null;
}

/** The decoded fields holding byte `byte` of the run at event `index`, outermost first (null when none). */
function fieldOfRunByte(session: Analysis['sessions'][number], index: number, byte: number): FieldNode[] | null {
  const where = locateRuns(session).get(index);
  if (!where) return null;
  const record = findRecordAt(where.stream.decoded.records, where.start + byte);
  const path = record ? findFieldPath(record.field, where.start + byte) : [];
  return path.length > 0 ? path : null;
}

/** The first index of ascending `xs` whose value is at least `v` (xs.length when none). */
function firstAtLeast(xs: Int32Array, v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------- TLS fields

function describeHit(analysis: Analysis, hit: FieldHit): HoverResult {
  const view = hit.stream.view;
  const pairSpan = { start: hit.offset, end: hit.offset + HEX_PAIR_WIDTH };
  const byteHex = hex2(view.bytes[hit.byteIndex]);
  const side = hit.stream.direction === 'client' ? 'client → server' : hit.stream.direction === 'server' ? 'server → client' : 'stream';
  if (hit.path.length === 0) {
    return {
      span: pairSpan,
      markdown: `**Byte \`${byteHex}\`** (byte ${hit.byteIndex} of the ${side} bytes)\n\nNot part of a decoded TLS record.`,
    };
  }
  const field = hit.path[hit.path.length - 1];
  const parent = hit.path.length > 1 ? hit.path[hit.path.length - 2] : undefined;
  const note = findFieldNote(chooseNoteKey(field, parent));
  const lines: string[] = [];
  const entry = typeof field.value === 'number' && note?.lookup ? note.lookup(field.value) : undefined;
  lines.push(`**${field.name}**${field.display ? ` — ${escapeMd(field.display)}` : ''}`);
  lines.push('');
  lines.push(formatPath(hit.path));
  lines.push('');
  lines.push('| | |');
  lines.push('|:--|:--|');
  lines.push(`| Raw | \`${formatRaw(view.bytes, field.start, field.end)}\` |`);
  const value = formatValue(field, entry !== undefined && !/\(0x/.test(field.display ?? ''));
  if (value) lines.push(`| Value | ${value} |`);
  const certificatePart = describeCertificatePart(field, hit.byteIndex);
  if (certificatePart) lines.push(`| In the certificate | ${escapeMd(certificatePart)} |`);
  if (entry) {
    const status = entry.grease ? 'GREASE' : entry.iana ? 'IANA registered' : entry.known ? 'not IANA (widely deployed)' : 'not in the IANA registry';
    lines.push(`| IANA name | ${formatCode(entry.name)} (${status}) |`);
  }
  const size = field.end - field.start;
  const where = size === 1 ? `byte ${field.start}` : size === 0 ? `empty, at byte ${field.start}` : `bytes ${field.start}–${field.end - 1} (${size})`;
  lines.push(`| Position | ${where} of the ${side} stream |`);
  lines.push('');
  if (note) lines.push(note.about);
  const valueNote = typeof field.value === 'number' ? describeFieldValue(field.name, field.value, entry) : null;
  if (valueNote) {
    lines.push('');
    lines.push(valueNote.text);
  }
  const problems = hit.stream.decoded.problems.filter((p) => p.start <= hit.byteIndex && hit.byteIndex < Math.max(p.end, p.start + 1));
  for (const p of problems.slice(0, 3)) {
    lines.push('');
    lines.push(`⚠ ${p.kind}: ${escapeMd(p.message)}`);
  }
  const refs: Reference[] = [...(valueNote?.refs ?? []), ...(note?.refs ?? [])];
  if (note?.registry) refs.push(note.registry);
  if (refs.length > 0) {
    lines.push('');
    lines.push(formatRefs(refs));
  }
  const span = documentSpanOf(analysis, hit, field);
  return { markdown: lines.join('\n'), span };
}

/** The hover range: the field's hex pairs on the hovered line (a field may run over several lines). */
function documentSpanOf(analysis: Analysis, hit: FieldHit, field: FieldNode): TextSpan {
  const offsets = hit.stream.view.offsets;
  const line = analysis.lines.lineAt(hit.offset);
  let a = hit.byteIndex;
  let b = hit.byteIndex;
  const lo = Math.max(field.start, 0);
  const hi = Math.min(field.end, offsets.length) - 1;
  while (a - 1 >= lo && analysis.lines.lineAt(offsets[a - 1]) === line && offsets[a - 1] < offsets[a]) a--;
  while (b + 1 <= hi && analysis.lines.lineAt(offsets[b + 1]) === line && offsets[b + 1] > offsets[b]) b++;
  return { start: offsets[a], end: offsets[b] + HEX_PAIR_WIDTH };
}

/** "Record › Handshake › ClientHello › cipher_suites[3]": list nodes fold into their items. */
/**
 * Which note explains a field: a few names mean different things by context (the
 * version of an SSLv2-compatible hello is the offered version, not a record
 * header's; an SSLv2 record header has no content type and a 15-bit length).
 */
export function chooseNoteKey(field: FieldNode, parent: FieldNode | undefined): string {
  if (field.name === 'length' && parent?.name === 'record_header') return 'record_length';
  const sslv2Header = parent?.name === 'record_header' && !(parent.children ?? []).some((c) => c.name === 'content_type');
  if (field.name === 'record_length' && sslv2Header) return 'sslv2_record_length';
  if (field.name === 'version' && parent?.name === 'ClientHello') return 'sslv2_client_version';
  return field.name;
}

export function formatFieldPath(path: readonly FieldNode[]): string {
  const parts: string[] = [];
  path.forEach((node, i) => {
    const next = path[i + 1];
    if (next && next.name.startsWith(`${node.name}[`)) return;
    let label = i === 0 && node.name === 'record' ? 'Record' : node.name;
    if (node.kind === 'container' && node.display && /\[\d+\]$/.test(node.name)) label += ` (${node.display})`;
    parts.push(label);
  });
  return parts.join(' › ');
}

function formatPath(path: readonly FieldNode[]): string {
  return `\`${formatFieldPath(path)}\``;
}

const MAX_RAW_BYTES = 24;

function formatRaw(bytes: Uint8Array, start: number, end: number): string {
  const b = Math.min(end, bytes.length);
  if (b <= start) return '(empty)';
  const shown: string[] = [];
  for (let i = start; i < Math.min(b, start + MAX_RAW_BYTES); i++) shown.push(hex2(bytes[i]));
  return shown.join(' ') + (b - start > MAX_RAW_BYTES ? ` … (${b - start} bytes)` : '');
}

function formatValue(field: FieldNode, named: boolean): string | null {
  if (typeof field.value === 'number') {
    const width = Math.max(1, field.end - field.start);
    const hexText = '0x' + field.value.toString(16).padStart(Math.min(8, width * 2), '0');
    if (field.kind === 'length') return `${field.value} (${hexText})`;
    const plain = `${hexText} (${field.value})`;
    if (!field.display || named) return plain;
    return field.display.includes(hexText) ? escapeMd(field.display) : `${plain} ${escapeMd(field.display)}`;
  }
  if (typeof field.value === 'string') {
    if (field.value.length === 0) return 'empty';
    if (/^[0-9a-f]*$/i.test(field.value)) return `${field.value.length / 2} bytes of opaque data`;
    return formatCode(field.value.slice(0, 120));
  }
  if (field.children && field.children.length > 0 && field.kind === 'list') return `${field.children.length} item${field.children.length === 1 ? '' : 's'}`;
  return null;
}

// ---------------------------------------------------------------- SMTP lines

function describeSmtpAt(analysis: Analysis, offset: number): HoverResult | null {
  const line = analysis.lines.lineAt(offset);
  const at = getLineEvents(analysis).get(line);
  if (!at) return null;
  if (at.kind === 'command') {
    const ev = at.event;
    if (ev.dataLine || !ev.verb) return null;
    const text = analysis.text.slice(ev.span.start, ev.span.end);
    const m = /^\s*(\S+)/.exec(text);
    if (!m) return null;
    const start = ev.span.start + m.index + m[0].length - m[1].length;
    const end = start + m[1].length;
    if (offset < start || offset >= end) return null;
    const note = findVerbNote(m[1]);
    if (!note) return null;
    return { span: { start, end }, markdown: formatNote(`SMTP command ${note.title}`, note) };
  }
  const part = at.part;
  const text = analysis.text.slice(part.span.start, part.span.end);
  const m = /^(\s*)([0-9]{3})([ -]?)(\s*)(([245])\.[0-9]{1,3}\.[0-9]{1,3})?/.exec(text);
  if (!m) return null;
  const codeStart = part.span.start + m[1].length;
  if (offset >= codeStart && offset < codeStart + 3) {
    const note = describeReplyCode(m[2]);
    return note ? { span: { start: codeStart, end: codeStart + 3 }, markdown: formatNote(note.title, note) } : null;
  }
  if (m[5]) {
    const start = codeStart + 3 + m[3].length + m[4].length;
    const end = start + m[5].length;
    if (offset >= start && offset < end) {
      const note = describeEnhancedStatus(m[5]);
      return note ? { span: { start, end }, markdown: formatNote(note.title, note) } : null;
    }
  }
  return null;
}

function describeMarkerAt(analysis: Analysis, offset: number): HoverResult | null {
  const line = analysis.lines.lineAt(offset);
  const lineStart = analysis.lines.lineStart(line);
  const text = analysis.text.slice(lineStart, Math.min(analysis.lines.lineEnd(line), lineStart + 16));
  const lead = /^[ \t]*/.exec(text)?.[0].length ?? 0;
  for (const marker of DIRECTION_MARKERS) {
    if (!text.startsWith(marker, lead)) continue;
    const after = text.charAt(lead + marker.length);
    if (after !== '' && after !== ' ' && after !== '\t') continue;
    const start = lineStart + lead;
    const end = start + marker.length;
    if (offset < start || offset >= end) return null;
    const note = findDirectionNote(marker);
    return note ? { span: { start, end }, markdown: formatNote(note.title, note) } : null;
  }
  return null;
}

/** gnutls -d debug phrases and the dissector field they report. */
const GNUTLS_PHRASES: readonly (readonly [RegExp, string])[] = [
  [/Adv\. version/, 'client_version'],
  [/Server's version/, 'server_version'],
  [/Keeping ciphersuite|Selected cipher suite/i, 'cipher_suite'],
  [/Parsing extension '?([a-z_]+)/i, 'extension_type'],
];

const MAX_TRACE_LINE = 400;

/** Field names in openssl -trace decode lines ("client_version=0x303", "cipher_suites (len=56)") and gnutls phrases. */
function describeTraceWordAt(analysis: Analysis, offset: number): HoverResult | null {
  const line = analysis.lines.lineAt(offset);
  const lineStart = analysis.lines.lineStart(line);
  const lineEnd = Math.min(analysis.lines.lineEnd(line), lineStart + MAX_TRACE_LINE);
  const text = analysis.text.slice(lineStart, lineEnd);
  const col = offset - lineStart;
  if (col < 0 || col >= text.length) return null;
  const word = /[A-Za-z_]+/g;
  let m: RegExpExecArray | null;
  while ((m = word.exec(text))) {
    if (m.index > col) break;
    if (col >= m.index + m[0].length) continue;
    const rest = text.slice(m.index + m[0].length);
    // openssl -trace writes a decoded field as `name=...`, `name (len=N)` or `name:`.
    if (!/^(=| \(len=|:)/.test(rest)) break;
    const note = findFieldNote(m[0]);
    if (!note || baseFieldName(m[0]) !== m[0]) break;
    return { span: { start: lineStart + m.index, end: lineStart + m.index + m[0].length }, markdown: formatNote(`TLS field \`${m[0]}\``, { title: m[0], about: note.about, refs: note.refs }) };
  }
  if (/\|<\d+>\| /.test(text)) {
    for (const [re, field] of GNUTLS_PHRASES) {
      const g = re.exec(text);
      if (!g || col < g.index || col >= g.index + g[0].length) continue;
      const note = findFieldNote(field);
      if (note) return { span: { start: lineStart + g.index, end: lineStart + g.index + g[0].length }, markdown: formatNote(`TLS field \`${field}\``, { title: field, about: note.about, refs: note.refs }) };
    }
  }
  return null;
}

// ---------------------------------------------------------------- formatting

/** Titles are our own text (no user input), so they are not escaped. */
function formatNote(title: string, note: Note): string {
  const parts = [`**${title}**`, '', note.about];
  if (note.refs.length > 0) parts.push('', formatRefs(note.refs));
  return parts.join('\n');
}

function formatRefs(refs: readonly Reference[]): string {
  const seen = new Set<string>();
  const unique = refs.filter((r) => (seen.has(r.url) ? false : (seen.add(r.url), true)));
  return unique.map(formatReferenceLink).join(' · ');
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** Inline code; a backtick in the text cannot be escaped inside a code span, so it is dropped. */
function formatCode(s: string): string {
  return `\`${s.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`);
}

