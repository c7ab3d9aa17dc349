/**
 * `npm run bench`: performance figures as ratios against baselines measured in
 * the same run on the same machine. Not a test: it prints, and with --write
 * records the figures in docs/benchmarks.md.
 *
 *   node --import tsx bench/run.ts [--quick] [--write] [--only text,capture,lsp,activation]
 *
 * --only runs just the named sections (comma-separated); --write is refused with it,
 * since the tables in docs/benchmarks.md come from one complete run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeDocument } from '../server/src/core/analysis/analyzeDocument';
import { FORMATS, generateCorpus, generateLongSession, REPO } from './corpus';
import { checkInChunks } from '../server/src/core/analysis/chunkedCheck';
import { DEFAULT_SETTINGS } from '../server/src/core/rules/types';
import { benchLsp } from './lspBench';
import { benchCapture, benchDecryptedCapture } from './captureBench';
import { benchActivation } from './activationBench';

const quick = process.argv.includes('--quick');
const write = process.argv.includes('--write');
const onlyArg = process.argv.find((a, i) => process.argv[i - 1] === '--only' || a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.replace(/^--only=/, '').split(',')) : null;
const runs = (section: string): boolean => !only || only.has(section);
if (only && write) {
  console.error('--write needs a complete run; drop --only');
  process.exit(2);
}
const WORK = path.join(REPO, '.bench');
fs.mkdirSync(WORK, { recursive: true });

interface Row {
  [key: string]: string | number;
}
const report: { section: string; rows: Row[] }[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * One row of the text table: `check` on `text` (written to `file`, read back each run) against
 * reading and splitting the same file, the median of 3 runs (1 over 20 MB).
 */
function measureText(format: string, file: string, text: string, sessions: number, check: (text: string) => number): Row {
  fs.writeFileSync(file, text);
  const mb = Buffer.byteLength(text) / 1e6;
  const runs = text.length > 20e6 ? 1 : 3;
  const floor: number[] = [];
  const checked: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    floor.push(timeMs(() => void fs.readFileSync(file, 'utf8').split('\n').length));
    checked.push(
      timeMs(() => {
        findings = check(fs.readFileSync(file, 'utf8'));
      }),
    );
  }
  const floorMs = median(floor);
  const checkMs = median(checked);
  const perSecond = sessions / (checkMs / 1000);
  const row: Row = {
    format,
    'size MB': mb.toFixed(1),
    sessions,
    findings,
    'floor MB/s (read+split)': (mb / (floorMs / 1000)).toFixed(0),
    'check MB/s': (mb / (checkMs / 1000)).toFixed(1),
    // (One long session is checked in under a second or in several: two decimals.)
    'check sessions/s': sessions === 1 ? perSecond.toFixed(2) : Math.round(perSecond),
    'check / floor': `${((floorMs / checkMs) * 100).toFixed(1)}%`,
  };
  console.log(JSON.stringify(row));
  return row;
}

function benchText(): void {
  const sizes = quick ? [10e6] : [10e6, 100e6];
  const rows: Row[] = [];
  for (const format of FORMATS) {
    for (const size of sizes) {
      const { text, sessions } = generateCorpus(format, size, 20261129);
      const file = path.join(WORK, `${format}-${size / 1e6}MB.txt`);
      rows.push(measureText(format, file, text, sessions, (t) => analyzeDocument(t).findings.length));
    }
  }
  // One session longer than a chunk (a large attachment in a swaks log), through the streaming
  // check that `smtptls check` runs: the text is cut every 4 MB and each part continues the last.
  for (const size of sizes) {
    const { text, sessions } = generateLongSession(size, 20261129);
    const file = path.join(WORK, `swaks-long-session-${size / 1e6}MB.txt`);
    rows.push(measureText('swaks, one session (streaming check)', file, text, sessions, (t) => checkInChunks(t, DEFAULT_SETTINGS).findings.length));
  }
  report.push({ section: 'Text: `check` throughput against reading and splitting the same file (target ≥ 50%)', rows });
}

async function main(): Promise<void> {
  console.log(`machine: ${os.cpus()[0]?.model} x${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  if (runs('text')) benchText();
  if (runs('capture')) report.push(benchCapture(WORK, quick));
  if (runs('capture')) report.push(benchDecryptedCapture(WORK, quick));
  if (runs('lsp')) report.push(await benchLsp(WORK, quick));
  if (runs('activation')) report.push(benchActivation(WORK, quick));
  const vsix = path.join(REPO, 'smtp-tls-transcripts.vsix');
  if (fs.existsSync(vsix)) {
    report.push({
      section: 'Package (target ≤ 1 MB)',
      rows: [{ artifact: 'smtp-tls-transcripts.vsix', 'size KB': (fs.statSync(vsix).size / 1024).toFixed(0) }],
    });
  }
  const md = renderMarkdown();
  console.log('\n' + md);
  if (write) writeBenchmarksDoc(md);
}

function renderMarkdown(): string {
  const out: string[] = [];
  out.push(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}${quick ? ' (quick run)' : ''}.`);
  for (const s of report) {
    out.push('', `### ${s.section}`, '');
    if (s.rows.length === 0) continue;
    const cols = Object.keys(s.rows[0]);
    out.push(`| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`);
    for (const r of s.rows) out.push(`| ${cols.map((c) => String(r[c] ?? '')).join(' | ')} |`);
  }
  return out.join('\n');
}

function writeBenchmarksDoc(md: string): void {
  const file = path.join(REPO, 'docs', 'benchmarks.md');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `# Benchmarks\n\n${start}\n${end}\n`;
  const a = current.indexOf(start);
  const b = current.indexOf(end);
  const next = a >= 0 && b > a ? current.slice(0, a + start.length) + '\n' + md + '\n' + current.slice(b) : current + `\n${start}\n${md}\n${end}\n`;
  fs.writeFileSync(file, next);
  console.log(`wrote ${path.relative(REPO, file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
