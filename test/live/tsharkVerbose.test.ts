/**
 * Live stage: `tshark -V` of every real capture (the fixtures' and this run's client sessions) is read
 * as text and must give the findings of the capture itself, rule by rule and severity by severity.
 *
 * tshark -V shows what tshark decoded, not the bytes, so the rules about bytes it does not show are
 * left out of the comparison: the capture file's own problems (capture-gap, capture-file-problem) and
 * faults inside the bytes (tls-truncated, tls-malformed, dump-malformed). Captures the import reads no
 * SMTP session from (TLS on another port, where `check` asks for --smtp-port) are passed over.
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
/** Rules about bytes or the capture file, which tshark -V does not show. */
const NOT_SHOWN = new Set(['capture-gap', 'capture-file-problem', 'tls-truncated', 'tls-malformed', 'dump-malformed']);

function listCaptures(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fuzz-regressions') listCaptures(p, out);
    } else if (name.endsWith('.pcap')) out.push(p);
  }
  return out;
}

const rulesOf = (findings: readonly { rule: string; severity: string }[]): string[] =>
  findings.filter((f) => !NOT_SHOWN.has(f.rule)).map((f) => `${f.rule}/${f.severity}`).sort();

test('tshark -V of each real capture gives the capture\'s own findings', () => {
  const captures = [...listCaptures(join(REPO, 'server', 'test', 'fixtures')), ...listCaptures(join(REPO, 'samples'))];
  if (existsSync(join(LIVE, 'sessions'))) {
    for (const s of readdirSync(join(LIVE, 'sessions')).sort()) {
      const p = join(LIVE, 'sessions', s, 'capture.pcap');
      if (existsSync(p)) captures.push(p);
    }
  }
  let compared = 0;
  let findings = 0;
  const mismatches: string[] = [];
  for (const file of captures) {
    const imported = importCapture(createBufferSource(readFileSync(file)), { name: file });
    if (imported.sessions.length === 0) continue;
    const r = spawnSync('tshark', ['-r', file, '-V'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.equal(r.status, 0, `tshark -r ${file} -V: ${r.stderr}`);
    const ours = rulesOf(analyzeDocument(imported.text).findings);
    const theirs = rulesOf(analyzeDocument(r.stdout).findings);
    compared++;
    findings += ours.length;
    if (ours.join(' ') !== theirs.join(' ')) mismatches.push(`${relative(REPO, file)}: capture ${ours.join(' ') || '-'} | tshark -V ${theirs.join(' ') || '-'}`);
  }
  console.log(`tshark -V against the capture: ${compared - mismatches.length}/${compared} captures give the same findings (${findings} findings compared)`);
  assert.ok(compared >= 60, `${compared} captures compared`);
  assert.deepEqual(mismatches, []);
});
