/** document-no-session-boundary: the analysed text ends at a forced chunk cut (analysis/documentChunks.ts). */
import { endsAtForcedCut, MAX_CHUNK_CHARS } from '../../analysis/documentChunks';
import type { RuleCheck } from '../ruleContext';

export const checkNoSessionBoundary: RuleCheck = (ctx) => {
  const line = endsAtForcedCut(ctx.input.text);
  if (!line) return;
  const mb = (MAX_CHUNK_CHARS / (1024 * 1024)).toFixed(0);
  ctx.report({
    span: line,
    message: `No session boundary in the last ${mb} MB: the text is cut after this line and analysed in two parts; a session running across it is judged without its start after the cut.`,
  });
};
