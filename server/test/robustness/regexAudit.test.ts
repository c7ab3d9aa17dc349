/**
 * Regex audit: every regular expression literal in server/src/core is run against
 * pathological strings (long runs of the characters and words it matches, ending in a
 * character that makes the match fail) and must finish in linear-looking time. A
 * backtracking blow-up (nested quantifiers, overlapping alternations, `\s+$` over a
 * long run of spaces) takes seconds here instead of microseconds. A static check also
 * lists quantified groups that contain a quantifier; each one found was reviewed and
 * is named below with the reason it is safe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';

interface Literal {
  readonly file: string;
  readonly line: number;
  readonly source: string;
  readonly flags: string;
}

function walk(dir: string, out: string[]): string[] {
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Regex literals of a source file (a literal starts after an operator, a bracket or `return`). */
export function findRegexLiterals(file: string): Literal[] {
  const src = fs.readFileSync(file, 'utf8');
  const re = /(?<=[(,=:[!&|?;{}]\s*|return\s+|^\s*)\/((?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[*])(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])*)\/([dgimsuy]*)/gm;
  const out: Literal[] = [];
  for (let m = re.exec(src); m; m = re.exec(src)) {
    try {
      new RegExp(m[1], m[2]);
    } catch {
      continue; // not a regex (a division or a comment that looked like one)
    }
    out.push({ file: path.relative(REPO, file), line: src.slice(0, m.index).split('\n').length, source: m[1], flags: m[2] });
  }
  return out;
}

/** Quantified groups whose content is itself quantified: the classic exponential shape. */
function nestedQuantifiers(source: string): boolean {
  const stack: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      continue;
    }
    if (c === '(') stack.push(i);
    if (c === ')') {
      const start = stack.pop() ?? 0;
      const q = source[i + 1];
      if (q === '*' || q === '+' || q === '{') {
        const inner = source.slice(start + 1, i).replace(/\\./g, 'x').replace(/\[[^\]]*\]/g, 'C');
        if (/[*+]|\{\d+,\}/.test(inner)) return true;
      }
    }
  }
  return false;
}

const LITERALS = walk(path.join(REPO, 'server/src/core'), []).sort().flatMap(findRegexLiterals);

/** Reviewed: the quantified group starts with a required literal the inner quantifier cannot match, so there is one way to match. */
const REVIEWED_NESTED = new Map<string, string>([
  ['\\bRFC[ -]?(\\d{1,5})', 'documentLinks.ts: (?:\\.\\d+)* - each repetition starts with a literal dot that \\d+ cannot eat'],
]);

/**
 * Reviewed: quadratic on a long run of whitespace, but only ever applied to text the core
 * makes itself and keeps short (not to document text), so not measured here.
 */
const REVIEWED_QUADRATIC = new Map<string, string>([
  // None left: inlayHints.ts stripped " (0x0303)" with /\s*\(0x[0-9a-f]+\)$/ until stripHexSuffix replaced it.
]);

test('the audit sees the regexes of the core', () => {
  assert.ok(LITERALS.length > 150, `${LITERALS.length} literals found`);
  assert.ok(LITERALS.some((l) => l.file.endsWith('documentLinks.ts')));
});

test('the reviewed quadratic regexes are still where the review found them, and only there', () => {
  for (const source of REVIEWED_QUADRATIC.keys()) {
    const at = LITERALS.filter((l) => l.source === source);
    assert.ok(at.length >= 1, `reviewed /${source}/ no longer exists: remove it from REVIEWED_QUADRATIC`);
    for (const l of at) assert.equal(l.file, at[0].file, `/${source}/ now also used in ${l.file}: review that use`);
  }
});

test('no unreviewed quantified group containing a quantifier', () => {
  const nested = LITERALS.filter((l) => nestedQuantifiers(l.source));
  const unreviewed = nested.filter((l) => ![...REVIEWED_NESTED.keys()].some((k) => l.source.startsWith(k)));
  assert.deepEqual(unreviewed.map((l) => `${l.file}:${l.line}: /${l.source}/`), []);
});

/** Runs of characters and words taken from the regex itself, and of the usual suspects. */
function pathologicalInputs(source: string, n: number): string[] {
  const words = new Set<string>([' ', '\t', 'a', '0', 'f', ':', '-', '.', ',', '|', '<', '>', '#', '=', '0 ', '00 ', 'ab ', 'a:', '0.', 'x ', ' -', '\r\n', '\\']);
  for (const w of source.replace(/\\[dDsSwWbB]/g, ' ').replace(/\\(.)/g, '$1').match(/[A-Za-z]{2,}|[^\sA-Za-z0-9()[\]{}*+?|^$]/g) ?? []) words.add(w).add(w + ' ');
  const out: string[] = [];
  for (const w of words) {
    const body = w.repeat(Math.ceil(n / w.length)).slice(0, n);
    out.push(body + '\u0001', 'C: ' + body + '!', body);
  }
  return out;
}

test('every regex of the core runs in linear time on pathological strings', () => {
  const N = 20000;
  const slow: string[] = [];
  for (const l of LITERALS) {
    if (REVIEWED_QUADRATIC.has(l.source)) continue;
    const re = new RegExp(l.source, l.flags.replace('y', ''));
    for (const input of pathologicalInputs(l.source, N)) {
      const t0 = performance.now();
      re.lastIndex = 0;
      if (re.global) {
        // Bounded: a global regex over a run of matches would otherwise only measure the count.
        let k = 0;
        while (re.exec(input) && k++ < 1000) if (re.lastIndex === 0) break;
      } else {
        re.exec(input);
      }
      const ms = performance.now() - t0;
      if (ms > 250) slow.push(`${l.file}:${l.line}: /${l.source}/${l.flags} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 12))}... (${input.length} chars)`);
    }
  }
  assert.deepEqual(slow, []);
});
