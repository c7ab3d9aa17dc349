/** dump-malformed, tls-truncated, tls-malformed: problems found while reading text and decoding bytes. */
import { documentSpanOfBytes } from '../../bytes/byteView';
import type { TlsProblem } from '../../model/tls';
import type { RuleCheck, RuleContext } from '../ruleContext';

export const checkDumpMalformed: RuleCheck = (ctx) => {
  for (const p of ctx.input.transcript.problems) {
    if (p.rule === 'dump-malformed') ctx.report({ span: p.span, message: p.message });
  }
};

function reportTlsProblems(ctx: RuleContext, kind: TlsProblem['kind']): void {
  for (const s of ctx.input.sessions) {
    for (const stream of s.streams) {
      for (const p of stream.decoded.problems) {
        if (p.kind !== kind) continue;
        ctx.report({ span: documentSpanOfBytes(stream.view, p.start, p.end), message: p.message });
      }
    }
  }
}

export const checkTlsTruncated: RuleCheck = (ctx) => reportTlsProblems(ctx, 'truncated');
export const checkTlsMalformed: RuleCheck = (ctx) => reportTlsProblems(ctx, 'malformed');
