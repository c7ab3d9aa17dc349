/**
 * capture-gap: bytes of a TCP stream that the capture lost (an imported capture's `<N bytes not captured>`);
 * capture-file-problem: the problems the importer met in the file itself, listed after its `# capture:` line.
 */
import type { RuleCheck } from '../ruleContext';
import { listCommentLines } from '../directives';

export const checkCaptureGap: RuleCheck = (ctx) => {
  for (const s of ctx.input.sessions) {
    for (const e of s.session.events) {
      if (e.kind !== 'gap' || e.cause !== 'not-captured') continue;
      const count = e.length === null ? 'Some bytes' : `${e.length} byte${e.length === 1 ? '' : 's'}`;
      const from = e.direction === null ? '' : ` from the ${e.direction}`;
      const verb = e.length === 1 ? 'was' : 'were';
      const reason = e.reason ? ` (${e.reason})` : '';
      ctx.report({
        span: e.span,
        message: `${count}${from} ${verb} not captured${reason}.`,
      });
    }
  }
};

const CAPTURE_LINE = /^# capture: /;
const PROBLEM_LINE = /^# (?:(warning|error): (.+)|no SMTP found: (.+))$/;

/**
 * Each `# warning: ...` / `# error: ...` line of the comment block an import ends with (the
 * `# capture: ...` line and the lines right after it): the importer's problems with the file;
 * `# no SMTP found: ...` there as information.
 */
export const checkCaptureFileProblem: RuleCheck = (ctx) => {
  const { text, lines } = ctx.input;
  if (!text.includes('# capture: ')) return;
  const comments = listCommentLines(text, lines);
  for (let i = 0; i < comments.length; i++) {
    if (!CAPTURE_LINE.test(comments[i].text)) continue;
    for (let j = i + 1; j < comments.length && comments[j].line === comments[j - 1].line + 1; j++) {
      const m = PROBLEM_LINE.exec(comments[j].text);
      if (!m) continue;
      const c = comments[j];
      const span = { start: c.start + 2, end: c.end };
      if (m[3] !== undefined) ctx.report({ span, severity: 'information', message: `No SMTP in the capture: ${m[3]}.` });
      else ctx.report({ span, message: `Reading the capture file: ${m[2]}` });
    }
  }
};
