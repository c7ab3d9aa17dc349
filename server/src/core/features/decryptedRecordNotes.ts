/**
 * Hover on the mark a capture import writes before a record it decrypted with a key log
 * (`S: <decrypted TLS 1.3 record: handshake (22)>`, formats/decryptedRecordMark.ts): what was on
 * the wire, which key opened it, and what the hex lines after it are.
 */
import type { Analysis } from '../analysis/analyzeDocument';
import type { TextSpan } from '../model/transcript';
import { matchCsPrefix } from '../formats/csTranscript';
import { parseDecryptedRecordMark } from '../formats/decryptedRecordMark';
import { refRfc } from './references';
import type { Note } from './smtpNotes';

/** The note for the mark on the line at `offset`, and the mark's span; null when the line is no such mark. */
export function describeDecryptedMarkAt(analysis: Analysis, offset: number): { span: TextSpan; note: Note } | null {
  const { lines, text } = analysis;
  const line = lines.lineAt(offset);
  const start = lines.lineStart(line);
  const end = lines.lineEnd(line);
  if (end - start > 100) return null;
  const prefix = matchCsPrefix(text, start, end);
  if (!prefix || prefix.direction === 'both') return null;
  const mark = parseDecryptedRecordMark(text.slice(prefix.contentStart, end));
  if (!mark || offset < prefix.contentStart) return null;
  const tls13 = mark.version === 0x0304;
  const side = prefix.direction === 'client' ? 'client' : 'server';
  const about =
    `This record was encrypted on the wire; the capture import opened it with the ${side}'s keys from the key log ` +
    '(`--keylog`, `smtpTls.capture.keyLogFiles`, or the capture\'s decryption secrets block) and the hex lines after this mark are its plaintext, decoded with a hover for every byte. ' +
    (tls13
      ? 'In TLS 1.3 every protected record says application_data (23) in its header; the real content type is the last non-zero byte of the decrypted inner plaintext (RFC 8446 §5.2), which is the type named here.'
      : 'In TLS 1.2 and earlier the record header keeps its content type; its body was the AEAD ciphertext, or the CBC ciphertext with its MAC (RFC 5246 §6.2.3).') +
    ' The comment above the mark names the secret that opened it.';
  const refs = tls13 ? [refRfc(8446, '5.2'), refRfc(8446, '7.3')] : [refRfc(5246, '6.2.3'), refRfc(5246, '6.3')];
  return { span: { start: prefix.contentStart, end }, note: { title: text.slice(prefix.contentStart + 1, end - 1), about, refs } };
}
