/** Splits one SMTP command or reply line (already without direction prefix) into its parts. */
import type { SmtpCommandEvent, SmtpReplyLine } from '../model/transcript';

/** A command line text[start, end): verb up to the first space (upper-cased), argument after it. */
export function parseCommandLine(text: string, line: number, start: number, end: number, inTls: boolean, dataLine: boolean): SmtpCommandEvent {
  const content = text.slice(start, end);
  const sp = content.indexOf(' ');
  const verb = (sp < 0 ? content : content.slice(0, sp)).toUpperCase();
  const argument = sp < 0 ? '' : content.slice(sp + 1);
  const event: SmtpCommandEvent = { kind: 'command', line, verb, argument, span: { start, end }, inTls };
  return dataLine ? { ...event, dataLine: true } : event;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * A reply line text[start, end). Well-formed: three digits then '-', ' ' or the end.
 * Otherwise the code text is everything up to the first ' ' or '-' (the code then is NaN).
 */
export function parseReplyLine(text: string, line: number, start: number, end: number): SmtpReplyLine {
  const len = end - start;
  let codeEnd: number;
  if (len >= 3 && isDigit(text.charCodeAt(start)) && isDigit(text.charCodeAt(start + 1)) && isDigit(text.charCodeAt(start + 2)) &&
    (len === 3 || text.charCodeAt(start + 3) === 32 || text.charCodeAt(start + 3) === 45)) {
    codeEnd = start + 3;
  } else {
    codeEnd = start;
    while (codeEnd < end) {
      const c = text.charCodeAt(codeEnd);
      if (c === 32 || c === 45) break;
      codeEnd++;
    }
  }
  const separator = codeEnd < end ? text.charAt(codeEnd) : '';
  const textStart = codeEnd < end ? codeEnd + 1 : end;
  return {
    line,
    text: text.slice(textStart, end),
    span: { start, end },
    codeText: text.slice(start, codeEnd),
    separator,
  };
}

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
