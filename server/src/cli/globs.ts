/**
 * Path patterns for shells that do not expand them (Windows, quoted arguments in CI):
 * `*` any characters within one path segment, `?` one such character, `**` any
 * number of whole segments (including none). Nothing else is special.
 */
import * as fs from 'fs';
import * as path from 'path';

export function isGlobPattern(arg: string): boolean {
  return /[*?]/.test(arg);
}

/** A regular expression matching `/`-separated relative paths against the pattern. */
export function compileGlob(pattern: string): RegExp {
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
  let re = '';
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === '**') {
      re += last ? '.*' : '(?:[^/]*/)*';
      return;
    }
    for (const ch of seg) {
      if (ch === '*') re += '[^/]*';
      else if (ch === '?') re += '[^/]';
      else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    if (!last) re += '/';
  });
  return new RegExp(`^${re}$`);
}

/** The leading segments without wildcards (the folder to walk) and the rest of the pattern. */
export function splitGlobBase(pattern: string): { base: string; rest: string } {
  const parts = pattern.split(/[\\/]/);
  const firstWild = parts.findIndex(isGlobPattern);
  const baseParts = parts.slice(0, firstWild);
  const base = baseParts.length === 0 ? '.' : baseParts.join('/') || '/';
  return { base, rest: parts.slice(firstWild).join('/') };
}

/**
 * Files (not folders) matching the pattern, sorted, as paths joined under the pattern's
 * base so that they read like the argument. Hidden entries and node_modules are skipped
 * unless the pattern names them.
 */
export function expandGlob(pattern: string): string[] {
  const { base, rest } = splitGlobBase(pattern);
  const matcher = compileGlob(rest);
  const mentionsHidden = /(^|\/)\./.test(rest);
  // Without `**` a match is exactly as deep as the pattern: do not walk further.
  const maxDepth = rest.split('/').includes('**') ? Infinity : rest.split('/').length;
  const found: string[] = [];
  const walk = (dir: string, rel: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // an unreadable folder holds no matches
    }
    for (const e of entries) {
      if (!mentionsHidden && (e.name.startsWith('.') || e.name === 'node_modules')) continue;
      const relPath = rel === '' ? e.name : `${rel}/${e.name}`;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth + 1 < maxDepth) walk(full, relPath, depth + 1);
      } else if (e.isFile() && matcher.test(relPath)) {
        found.push(full);
      }
    }
  };
  walk(base, '', 0);
  return found.sort();
}
