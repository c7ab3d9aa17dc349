/** document-no-session-boundary: the analysed text ends at a forced chunk cut (analysis/documentChunks.ts). */
import { endsAtForcedCut, MAX_CHUNK_CHARS } from '../../analysis/documentChunks';
import type { RuleCheck } from '../ruleContext';

export const checkNoSessionBoundary: RuleCheck = (ctx) => {
  const cut = endsAtForcedCut(ctx.input.text);
  if (!cut) return;
  const span = { start: cut.start, end: cut.end };
  if (cut.soft) {
    const mb = ((MAX_CHUNK_CHARS - MAX_CHUNK_CHARS / 4) / (1024 * 1024)).toFixed(0);
    ctx.report({
      span,
      message: `No session boundary in the last ${mb} MB: the text is cut after this line, where no postfix smtpd connection is open but postfix/smtp client processes (which log no end of their connections) are, and analysed in two parts; a client session running across it is judged without its start after the cut.`,
    });
    return;
  }
  const mb = (MAX_CHUNK_CHARS / (1024 * 1024)).toFixed(0);
  ctx.report({
    span,
    message: `No session boundary in the last ${mb} MB: the text is cut after this line and analysed in two parts; the part after the cut goes on with the session running across it (inside its message text or its TLS stream when the cut falls there), judged without its start.`,
  });
};
