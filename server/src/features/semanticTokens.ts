/** textDocument/semanticTokens/full and /range → core tokens, with the legend the server declares. */
import type { Range, SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { computeSemanticTokens, encodeSemanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from '../core/features/semanticTokens';

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

export function provideSemanticTokens(analysis: Analysis, range?: Range): SemanticTokens {
  const tokens = range ? computeSemanticTokens(analysis, range.start.line, range.end.line) : computeSemanticTokens(analysis);
  return { data: encodeSemanticTokens(tokens) };
}
