/** Splits one SMTP command or reply line (already without direction prefix) into its parts. */
import type { ByteView } from '../bytes/byteView';
import type { SmtpCommandEvent, SmtpReplyLine, TextSpan } from '../model/transcript';

/** A command line text[start, end): verb up to the first space (upper-cased), argument after it. */
export function parseCommandLine(text: string, line: number, start: number, end: number, inTls: boolean, dataLine: boolean): SmtpCommandEvent {
  return parseCommandText(text.slice(start, end), line, { start, end }, inTls, dataLine);
}

/** A command whose text was decoded from elsewhere (bytes, a Python repr): `span` is where it was written. */
export function parseCommandText(content: string, line: number, span: TextSpan, inTls: boolean, dataLine: boolean): SmtpCommandEvent {
  const start = span.start;
  const end = span.end;
  const sp = content.indexOf(' ');
  let verbText = sp < 0 ? content : content.slice(0, sp);
  // A line of one word ended by stray CRs before its CR LF ("QUIT" CR CR LF, as openssl s_client -crlf
  // sends a line already ending in CR LF) is that command, as servers read it (postfix answers 221);
  // smtp-bare-line-ending reports the CR. A "." stays as written: an end of data must be exactly CRLF.CRLF.
  if (sp < 0 && verbText.charCodeAt(verbText.length - 1) === 13) {
    const word = verbText.replace(/\r+$/, '');
    if (/^[A-Za-z]{1,16}$/.test(word)) verbText = word;
  }
  const verb = internVerb(verbText.toUpperCase());
  const argument = sp < 0 ? '' : content.slice(sp + 1);
  // Literals rather than `{ ...event, dataLine }`: V8 gives every spread copy a map of its own.
  return dataLine
    ? { kind: 'command', line, verb, argument, span: { start, end }, inTls, dataLine: true }
    : { kind: 'command', line, verb, argument, span: { start, end }, inTls };
}

/** RFC 5321 section 4.1 and extension verbs: one shared string each rather than a copy per command. */
const VERBS = new Map(
  ['EHLO', 'HELO', 'LHLO', 'MAIL', 'RCPT', 'DATA', 'QUIT', 'RSET', 'NOOP', 'STARTTLS', 'AUTH', 'VRFY', 'EXPN', 'HELP', 'BDAT', 'ETRN', 'TURN', 'ATRN', 'BURL', '.', ''].map((v) => [v, v]),
);

/** A verb of RFC 5321 or of an SMTP extension (upper case), as opposed to other text a client line may carry. */
export function isKnownVerb(verb: string): boolean {
  return verb !== '' && verb !== '.' && VERBS.has(verb);
}

function internVerb(verb: string): string {
  return verb.length <= 8 ? (VERBS.get(verb) ?? verb) : verb;
}

/** "000".."999", made on first use: the code text of a well-formed reply line, shared. */
const CODE_TEXTS: (string | undefined)[] = [];

function codeTextOf(content: string, codeEnd: number, wellFormed: boolean): string {
  if (!wellFormed) return content.slice(0, codeEnd);
  const code = Number(content.slice(0, 3));
  return (CODE_TEXTS[code] ??= content.slice(0, 3));
}

/**
 * A command read from the wire: with how its line ended and, when read from hex, its bytes.
 * One literal per shape, in the key order a spread would give (`{ ...e, lineEnding, view }`),
 * without the map of its own V8 gives each spread copy.
 */
export function withWireCommand(e: SmtpCommandEvent, lineEnding: string, view?: ByteView): SmtpCommandEvent {
  const { kind, line, verb, argument, span, inTls } = e;
  if (view) {
    return e.dataLine
      ? { kind, line, verb, argument, span, inTls, dataLine: true, lineEnding, view }
      : { kind, line, verb, argument, span, inTls, lineEnding, view };
  }
  return e.dataLine ? { kind, line, verb, argument, span, inTls, dataLine: true, lineEnding } : { kind, line, verb, argument, span, inTls, lineEnding };
}

/** A reply line read from the wire (see withWireCommand). */
export function withWireReply(r: SmtpReplyLine, lineEnding: string, view?: ByteView): SmtpReplyLine {
  const { line, text, span, codeText, separator, enhancedCode } = r;
  if (view) {
    return enhancedCode !== undefined
      ? { line, text, span, codeText, separator, enhancedCode, lineEnding, view }
      : { line, text, span, codeText, separator, lineEnding, view };
  }
  return enhancedCode !== undefined ? { line, text, span, codeText, separator, enhancedCode, lineEnding } : { line, text, span, codeText, separator, lineEnding };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * A reply line text[start, end). Well-formed: three digits then '-', ' ' or the end.
 * Otherwise the code text is everything up to the first ' ' or '-' (the code then is NaN).
 */
export function parseReplyLine(text: string, line: number, start: number, end: number): SmtpReplyLine {
  return parseReplyText(text.slice(start, end), line, { start, end });
}

/** A reply line whose text was decoded from elsewhere (bytes, a Python repr): `span` is where it was written. */
export function parseReplyText(content: string, line: number, span: TextSpan): SmtpReplyLine {
  const end = content.length;
  let codeEnd: number;
  const wellFormed = end >= 3 && isDigit(content.charCodeAt(0)) && isDigit(content.charCodeAt(1)) && isDigit(content.charCodeAt(2)) &&
    (end === 3 || content.charCodeAt(3) === 32 || content.charCodeAt(3) === 45);
  if (wellFormed) {
    codeEnd = 3;
  } else {
    codeEnd = 0;
    while (codeEnd < end) {
      const c = content.charCodeAt(codeEnd);
      if (c === 32 || c === 45) break;
      codeEnd++;
    }
  }
  const separator = codeEnd < end ? content.charAt(codeEnd) : '';
  const textStart = codeEnd < end ? codeEnd + 1 : end;
  const replyText = content.slice(textStart);
  const codeText = codeTextOf(content, codeEnd, wellFormed);
  const enhanced = ENHANCED.exec(replyText.slice(0, 16));
  return enhanced
    ? { line, text: replyText, span: { start: span.start, end: span.end }, codeText, separator, enhancedCode: enhanced[1] }
    : { line, text: replyText, span: { start: span.start, end: span.end }, codeText, separator };
}

/** RFC 3463 section 2: class.subject.detail, class 2, 4 or 5, up to three digits each. */
const ENHANCED = /^([245]\.[0-9]{1,3}\.[0-9]{1,3})(?: |$)/;

/** A bare reply line as printed by openssl after the handshake ("250-PIPELINING", "221 2.0.0 Bye"). */
export function looksLikeBareReply(text: string, start: number, end: number): boolean {
  const len = end - start;
  if (len < 3) return false;
  const c0 = text.charCodeAt(start);
  if (c0 < 50 || c0 > 53) return false;
  if (!isDigit(text.charCodeAt(start + 1)) || !isDigit(text.charCodeAt(start + 2))) return false;
  return len === 3 || text.charCodeAt(start + 3) === 32 || text.charCodeAt(start + 3) === 45;
}

const BARE_COMMAND = /^(?:(?:EHLO|HELO|LHLO|DATA|QUIT|RSET|NOOP|STARTTLS|AUTH|VRFY|EXPN|HELP|BDAT)(?: |$)|(?:MAIL FROM|RCPT TO):)/;

/** A bare command line in upper case with a known verb (never prose). */
export function looksLikeBareCommand(text: string, start: number, end: number): boolean {
  if (end - start < 4) return false;
  return BARE_COMMAND.test(text.slice(start, Math.min(end, start + 12)));
}
