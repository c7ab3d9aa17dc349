/** textDocument/codeAction → core code actions, keyed on diagnostic codes, as workspace edits. */
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { computeCodeActions } from '../core/features/codeActions';

const KINDS = { quickfix: CodeActionKind.QuickFix, 'refactor.rewrite': CodeActionKind.RefactorRewrite, source: CodeActionKind.Source };

export function provideCodeActions(analysis: Analysis, params: CodeActionParams): CodeAction[] {
  const toSpan = (r: CodeActionParams['range']) => ({ start: analysis.lines.offsetAt(r.start), end: analysis.lines.offsetAt(r.end) });
  const diagnostics = params.context.diagnostics.map((d) => ({ code: d.code, span: toSpan(d.range) }));
  const only = params.context.only;
  return computeCodeActions(analysis, { span: toSpan(params.range), diagnostics })
    .filter((a) => !only || only.some((k) => KINDS[a.kind] === k || KINDS[a.kind].startsWith(`${k}.`)))
    .map((a) => ({
      title: a.title,
      kind: KINDS[a.kind],
      diagnostics: a.diagnostics.map((i) => params.context.diagnostics[i]),
      ...(a.isPreferred ? { isPreferred: true } : {}),
      edit: {
        changes: {
          [params.textDocument.uri]: a.edits.map((e) => ({ range: analysis.lines.rangeOf(e.span.start, e.span.end), newText: e.newText })),
        },
      },
    }));
}
