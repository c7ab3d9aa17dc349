/** Access to the bundled samples and their `# expected rules:` headers (written when each sample was recorded). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './lspClient';

export const SAMPLES_DIR = path.join(REPO, 'samples');

export function readSample(name: string): string {
  return fs.readFileSync(path.join(SAMPLES_DIR, name), 'utf8');
}

export function listSamples(): string[] {
  return fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.transcript')).sort();
}

/** Rule ids a sample's header says should fire ("none" → empty list); null when it says nothing. */
export function expectedRules(text: string): string[] | null {
  const m = /^# expected rules: (.*)$/m.exec(text);
  if (!m) return null;
  return m[1]
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s && s !== 'none' && /^[a-z0-9.-]+$/.test(s));
}

/** Document offset of the hex pair of byte `index` counted across the `C: ` hex lines after `afterLine`. */
export function locateClientHexByte(text: string, index: number): { line: number; character: number } {
  const lines = text.split('\n');
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = /^C: ((?:[0-9a-f]{2} ?)+)$/.exec(lines[i].replace(/\r$/, ''));
    if (!m) continue;
    const n = m[1].trim().split(' ').length;
    if (index < count + n) return { line: i, character: 3 + 3 * (index - count) };
    count += n;
  }
  throw new Error(`client byte ${index} not found`);
}
