/** capture-gap: bytes of a TCP stream that the capture lost (an imported capture's `<N bytes not captured>`). */
import type { RuleCheck } from '../ruleContext';

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
