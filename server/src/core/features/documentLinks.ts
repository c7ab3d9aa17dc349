/** Document links for RFC references written in the text ("RFC 5321 §4.2", "RFC 3207 section 4", "RFC 5246 App. E.2"). */
import type { Analysis } from '../analysis/analyzeDocument';
import type { TextSpan } from '../model/transcript';
import { refRfc } from './references';

export interface LinkItem {
  readonly span: TextSpan;
  readonly url: string;
  readonly tooltip: string;
}

const MAX_LINKS = 5000;
const RFC_REFERENCE = /\bRFC[ -]?(\d{1,5})(?:,?\s?(?:§\s?|[Ss]ection\s|[Ss]ec\.\s?)(\d+(?:\.\d+)*)|,?\s(?:App\.|[Aa]ppendix)\s([A-Z](?:\.\d+)*))?/g;

export function computeDocumentLinks(analysis: Analysis): LinkItem[] {
  const out: LinkItem[] = [];
  RFC_REFERENCE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RFC_REFERENCE.exec(analysis.text)) && out.length < MAX_LINKS) {
    const num = Number(m[1]);
    if (num === 0) continue;
    const ref = refRfc(num, m[2] ?? m[3]);
    out.push({ span: { start: m.index, end: m.index + m[0].length }, url: ref.url, tooltip: `Open ${ref.label}` });
  }
  return out;
}
