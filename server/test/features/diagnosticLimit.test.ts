/**
 * The per-document limit on published diagnostics: the plan, the cursor that applies it in
 * publication order, and the note. The choice is checked against VS Code's own (its extension
 * host keeps errors first, then warnings, information and hints, each in the order received).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver';
import { vsCodeChoice } from '../helpers/vsCodeChoice';
import { countSeverities, DEFAULT_MAX_DIAGNOSTICS, LimitCursor, limitDiagnostics, limitNote, planLimit } from '../../src/features/diagnosticLimit';

const diag = (line: number, severity: 1 | 2 | 3 | 4): Diagnostic => ({ range: { start: { line, character: 0 }, end: { line, character: 1 } }, severity, message: `d${line}` });

test('planLimit: nothing left out up to the limit, or with no limit', () => {
  assert.equal(planLimit([3, 2, 1, 0], 6), null);
  assert.equal(planLimit([3, 2, 1, 0], 7, 1), null);
  assert.equal(planLimit([3000, 0, 0, 0], 0), null);
  assert.notEqual(planLimit([3, 2, 1, 0], 6, 1), null, 'a server note counts against the limit');
});

test('planLimit: the limit falls in the first severity that does not fit, the last place for the note', () => {
  assert.deepEqual(planLimit([3, 2, 1, 0], 5), { level: 2, take: 1, shown: 4, hidden: 2 });
  assert.deepEqual(planLimit([3, 2, 1, 0], 4), { level: 1, take: 3, shown: 3, hidden: 3 });
  assert.deepEqual(planLimit([3, 2, 1, 0], 3), { level: 1, take: 2, shown: 2, hidden: 4 });
  assert.deepEqual(planLimit([0, 0, 5, 5], 8, 1), { level: 4, take: 1, shown: 6, hidden: 4 });
  assert.deepEqual(planLimit([0, 0, 5, 5], 7, 1), { level: 3, take: 5, shown: 5, hidden: 5 });
  assert.deepEqual(planLimit([0, 0, 5, 5], 1), { level: 1, take: 0, shown: 0, hidden: 10 });
  assert.deepEqual(planLimit([2, 0, 0, 0], 1, 3), { level: 1, take: 0, shown: 0, hidden: 2 }, 'notes beyond the limit leave room for none');
});

test('LimitCursor: takes what the plan says, in order; includesAll/takeAll agree with one by one', () => {
  const plan = planLimit([2, 3, 0, 1], 4)!; // 3 shown: both errors, the first warning
  const c = new LimitCursor(plan);
  assert.deepEqual([2, 1, 4, 2, 2, 1].map((s) => c.include(s)), [true, true, false, false, false, true]);
  const whole = new LimitCursor(plan);
  assert.equal(whole.includesAll([1, 1, 0, 0]), true);
  whole.takeAll([1, 1, 0, 0]);
  assert.equal(whole.includesAll([1, 1, 0, 0]), false, 'the one warning allowed is taken');
  assert.equal(whole.includesAll([1, 0, 0, 0]), true);
  assert.equal(whole.includesAll([0, 0, 0, 1]), false, 'no hint fits');
  assert.equal(new LimitCursor(null).includesAll([9, 9, 9, 9]), true);
  // includesNone: nothing of a chunk fits once the level's allowance is taken, or when it only has lower severities.
  const none = new LimitCursor(plan);
  assert.equal(none.includesNone([0, 0, 0, 5]), true, 'hints are past the limit');
  assert.equal(none.includesNone([0, 1, 0, 0]), false, 'the one warning allowed');
  none.takeAll([0, 1, 0, 0]);
  assert.equal(none.includesNone([0, 3, 0, 1]), true, 'no warning left');
  assert.equal(none.includesNone([1, 3, 0, 0]), false, 'errors always fit');
  assert.equal(new LimitCursor(null).includesNone([0, 0, 0, 0]), true);
  assert.equal(new LimitCursor(null).includesNone([0, 0, 1, 0]), false);
});

test('limitDiagnostics keeps the diagnostics VS Code keeps, in their order, and adds the note', () => {
  // Seeded mixes of severities, at limits around and inside each severity's run.
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let round = 0; round < 200; round++) {
    const list = Array.from({ length: 1 + (next() % 60) }, (_, i) => diag(i, (1 + (next() % 4)) as 1 | 2 | 3 | 4));
    const max = 1 + (next() % 70);
    const got = limitDiagnostics(list, max);
    if (list.length <= max) {
      assert.deepEqual(got, list);
      continue;
    }
    assert.equal(got.length, max, 'the note included, the publication is exactly at the limit');
    const note = got[got.length - 1];
    assert.equal(note.code, 'diagnostics-limit');
    assert.deepEqual(got.slice(0, -1), vsCodeChoice(list, max - 1), `round ${round}`);
    // And VS Code, getting exactly its limit, leaves out nothing more.
    assert.deepEqual(vsCodeChoice(got, max), got);
  }
  assert.deepEqual(limitDiagnostics([diag(0, 1)], 0), [diag(0, 1)]);
});

test('limitNote says how many are left out, of how many, and which setting decides', () => {
  const n = limitNote({ level: 2, take: 5, shown: 999, hidden: 6569 }, 1000);
  assert.equal(n.severity, 3);
  assert.equal(n.source, 'smtptls');
  assert.deepEqual(n.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  assert.match(String(n.message), /^6,569 more diagnostics are not shown: at most 1,000 are published per document \(smtpTls\.maxDiagnostics/);
  assert.match(String(n.message), /publish all 7,568/);
  assert.equal(DEFAULT_MAX_DIAGNOSTICS, 1000);
});

test('countSeverities counts a diagnostic without severity as an error', () => {
  assert.deepEqual(countSeverities([diag(0, 2), { ...diag(1, 1), severity: undefined }, diag(2, 4)]), [1, 1, 0, 1]);
});
