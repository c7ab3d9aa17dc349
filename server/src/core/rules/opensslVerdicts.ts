/**
 * What openssl s_client says of the certificates it verified during a session, on stderr:
 *   depth=0 CN = expired.cert-lab.test
 *   verify error:num=10:certificate has expired
 * each failed check once, after the `depth=` line of the certificate it concerns (0: the server's
 * own). These are the tool's verdicts at the time of the session, by its clock: where a session shows
 * no certificate to judge (`s_client -brief`, `-quiet`), they are what there is.
 */
import type { TextSpan } from '../model/transcript';
import type { LineIndex } from '../text/lineIndex';
import { firstNotBefore } from './sites';
import type { AnalysisInput } from './ruleContext';

export interface VerifyVerdict {
  /** The line of the verify error. */
  readonly line: number;
  /** X509_V_ERR_* (10: certificate has expired). */
  readonly code: number;
  /** Its reason as s_client writes it, and where. */
  readonly reason: string;
  readonly span: TextSpan;
  /** The certificate's depth in the chain (0: the server's own) and subject, from the `depth=` line before it. */
  readonly depth: number | null;
  readonly subject: string | null;
  readonly depthSpan: TextSpan | null;
}

const NEEDLE = 'verify error:num=';
const VERIFY_ERROR = /^verify error:num=([0-9]{1,4}):([^\r\n]{1,200})/;
const DEPTH = /^depth=([0-9]{1,3}) ([^\r\n]{0,300})/;

/** Every verify error s_client prints at the start of a line in `text`, in document order (one pass). */
export function findVerifyVerdicts(text: string, lines: LineIndex): VerifyVerdict[] {
  const out: VerifyVerdict[] = [];
  for (let at = text.indexOf(NEEDLE); at >= 0; at = text.indexOf(NEEDLE, at + NEEDLE.length)) {
    const line = lines.lineAt(at);
    if (lines.lineStart(line) !== at) continue;
    const m = VERIFY_ERROR.exec(text.slice(at, Math.min(lines.lineEnd(line), at + 240)));
    if (!m) continue;
    let depth: number | null = null;
    let subject: string | null = null;
    let depthSpan: TextSpan | null = null;
    // The certificate's `depth=` line is just before (s_client prints it with each verify callback).
    for (let l = line - 1; l >= Math.max(0, line - 3); l--) {
      const s = lines.lineStart(l);
      const d = DEPTH.exec(text.slice(s, Math.min(lines.lineEnd(l), s + 320)));
      if (!d) continue;
      depth = Number(d[1]);
      subject = d[2].trim();
      depthSpan = { start: s, end: s + d[0].trimEnd().length };
      break;
    }
    const reasonStart = at + m[0].length - m[2].length;
    const reason = m[2].trimEnd();
    out.push({ line, code: Number(m[1]), reason, span: { start: reasonStart, end: reasonStart + reason.length }, depth, subject, depthSpan });
  }
  return out;
}

/** The verdicts on lines `fromLine` to `toLine`, each (depth, code) once (s_client repeats a check's error for a renegotiation or a retry). */
export function verdictsBetween(all: readonly VerifyVerdict[], fromLine: number, toLine: number): VerifyVerdict[] {
  const out: VerifyVerdict[] = [];
  const seen = new Set<string>();
  for (let k = firstNotBefore(all.length, (i) => all[i].line < fromLine); k < all.length && all[k].line <= toLine; k++) {
    const key = `${all[k].depth}:${all[k].code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(all[k]);
  }
  return out;
}

/** How many lines before a session its s_client verdicts may be (-brief prints a depth= and a verify error line per failed check). */
const VERDICT_LOOKBACK = 30;

/**
 * s_client's verify errors of each session of the input, in the sessions' order: s_client prints them before the session
 * it reads them in (ahead of -brief's CONNECTION ESTABLISHED), so from the line after the session before, at most
 * VERDICT_LOOKBACK lines up, to the session's end. Found once for the text (most texts have none).
 */
export function sessionVerifyErrors(input: AnalysisInput): VerifyVerdict[][] {
  // Several checks ask (the expired, the name and the policy rules): the text is searched once per input.
  const known = VERIFY_ERRORS.get(input);
  if (known) return known;
  const verdicts = input.text.includes('verify error:num=') ? findVerifyVerdicts(input.text, input.lines) : [];
  let previousEnd = -1;
  const perSession = input.sessions.map((session) => {
    const { startLine, endLine } = session.session;
    const from = Math.min(startLine, Math.max(previousEnd + 1, startLine - VERDICT_LOOKBACK));
    previousEnd = Math.max(previousEnd, endLine);
    return verdicts.length > 0 ? verdictsBetween(verdicts, from, endLine) : [];
  });
  VERIFY_ERRORS.set(input, perSession);
  return perSession;
}

/** sessionVerifyErrors' result per input (weakly: it goes with the input). */
const VERIFY_ERRORS = new WeakMap<object, VerifyVerdict[][]>();
