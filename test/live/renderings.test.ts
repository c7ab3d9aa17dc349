/**
 * Live stage: text renderings of every real capture (the fixtures' and this run's client sessions)
 * are read as text and must give the findings of the capture itself, rule by rule and severity by
 * severity: `tshark -V` (what tshark decoded), `tshark -x` and `tcpdump -X` (the frames' bytes).
 *
 * tshark -V shows what tshark decoded, not the bytes, so for it the rules about bytes it does not
 * show are left out of the comparison: capture-gap and faults inside the bytes (tls-truncated,
 * tls-malformed, dump-malformed). Its certificates (read from the fields it prints) and its frame
 * times are compared. The capture file's own problems (capture-file-problem) are in no
 * rendering. Captures the import reads no SMTP session from (TLS on another port, where `check` asks
 * for --smtp-port) are passed over.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { analyzeDocument } from '../../server/src/core/analysis/analyzeDocument';
import { createBufferSource } from '../../server/src/core/capture/captureSource';
import { importCapture } from '../../server/src/core/capture/importCapture';

const LIVE = process.env.SMTPTLS_LIVE_DIR ?? '';
const REPO = join(__dirname, '..', '..');
/** Rules about the capture file itself, which no rendering shows. */
const FILE_ONLY = new Set(['capture-file-problem']);
/**
 * tls-certificate-expired judges a certificate at the capture's date (the import's `# smtptls-time:`
 * line, tshark -V's Epoch Time of the connection's first frame): tshark -x and tcpdump -X print no date.
 */
const UNDATED = new Set([...FILE_ONLY, 'tls-certificate-expired']);
/** Rules about bytes, which tshark -V does not show. */
const BYTES_ONLY = new Set(['capture-gap', 'tls-truncated', 'tls-malformed', 'dump-malformed']);

const RENDERINGS: readonly { name: string; command: string; args: (file: string) => string[]; ignore: ReadonlySet<string> }[] = [
  { name: 'tshark -V', command: 'tshark', args: (f) => ['-r', f, '-V'], ignore: new Set([...FILE_ONLY, ...BYTES_ONLY]) },
  { name: 'tshark -x', command: 'tshark', args: (f) => ['-r', f, '-x'], ignore: UNDATED },
  { name: 'tcpdump -X', command: 'tcpdump', args: (f) => ['-r', f, '-nn', '-X'], ignore: UNDATED },
];

function listCaptures(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fuzz-regressions') listCaptures(p, out);
    } else if (name.endsWith('.pcap')) out.push(p);
  }
  return out;
}

const rulesOf = (findings: readonly { rule: string; severity: string }[], ignore: ReadonlySet<string>): string[] =>
  findings.filter((f) => !ignore.has(f.rule)).map((f) => `${f.rule}/${f.severity}`).sort();

const captures = [...listCaptures(join(REPO, 'server', 'test', 'fixtures')), ...listCaptures(join(REPO, 'samples'))];
if (existsSync(join(LIVE, 'sessions'))) {
  for (const s of readdirSync(join(LIVE, 'sessions')).sort()) {
    const p = join(LIVE, 'sessions', s, 'capture.pcap');
    if (existsSync(p)) captures.push(p);
  }
}
const imported = new Map<string, readonly { rule: string; severity: string }[]>();
for (const file of captures) {
  const r = importCapture(createBufferSource(readFileSync(file)), { name: file });
  if (r.sessions.length > 0) imported.set(file, analyzeDocument(r.text).findings);
}

for (const rendering of RENDERINGS) {
  test(`${rendering.name} of each real capture gives the capture's own findings`, () => {
    let findings = 0;
    const mismatches: string[] = [];
    for (const [file, own] of imported) {
      const r = spawnSync(rendering.command, rendering.args(file), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      assert.equal(r.status, 0, `${rendering.command} ${rendering.args(file).join(' ')}: ${r.stderr}`);
      const ours = rulesOf(own, rendering.ignore);
      const theirs = rulesOf(analyzeDocument(r.stdout).findings, rendering.ignore);
      findings += ours.length;
      if (ours.join(' ') !== theirs.join(' ')) mismatches.push(`${relative(REPO, file)}: capture ${ours.join(' ') || '-'} | ${rendering.name} ${theirs.join(' ') || '-'}`);
    }
    console.log(`${rendering.name} against the capture: ${imported.size - mismatches.length}/${imported.size} captures give the same findings (${findings} findings compared)`);
    assert.ok(imported.size >= 60, `${imported.size} captures compared`);
    assert.deepEqual(mismatches, []);
  });
}
