/**
 * A chunk analysed alone: the port directive it inherits acts as the port setting,
 * the port directive it leaves behind and its suppression comments are reported,
 * and directives move to document coordinates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeChunk, inForceAfter, NOTHING_IN_FORCE, sameInForce, shiftDirective } from '../../src/core/analysis/chunkAnalysis';
import { findLastPolicyDirective, findLastPortDirective, findLastTimeDirective, findPolicyDirectives, findPortDirectives, findTimeDirectives } from '../../src/core/rules/directives';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { LineIndex } from '../../src/core/text/lineIndex';
import { readSample } from '../helpers/samples';

const SESSION = readSample('ssl3-hello.transcript');

function rules(findings: readonly { rule: string }[]): string[] {
  return findings.map((f) => f.rule);
}

test('analyzeChunk: an inherited port judges the chunk as the port setting would', () => {
  const inherited = analyzeChunk(SESSION, { baseline: 'current' }, { port: 587, time: null, policy: null });
  const set = analyzeDocument(SESSION, { baseline: 'current', port: 587 }, { suppress: false });
  assert.deepEqual(rules(inherited.analysis.findings), rules(set.findings));
  const none = analyzeChunk(SESSION, { baseline: 'current' });
  assert.deepEqual(rules(none.analysis.findings), rules(analyzeDocument(SESSION, { baseline: 'current' }, { suppress: false }).findings));
  assert.equal(none.inForceAfter, NOTHING_IN_FORCE, 'nothing in force, the same object');
});

test('analyzeChunk: the last port directive and the suppression comments of the chunk; findings are not suppressed', () => {
  const text = `# smtptls-port: 465\n# smtptls-port: 2525\n# smtptls-disable tls-alert -- known\n${SESSION}`;
  const c = analyzeChunk(text, { baseline: 'current' }, { port: 25, time: 1, policy: null });
  // The chunk's last port directive; the time in force from before it, which it does not change.
  assert.deepEqual(c.inForceAfter, { port: 2525, time: 1, policy: null });
  assert.equal(c.directives.length, 1);
  assert.equal(c.directives[0].kind, 'disable');
  assert.equal(c.directives[0].line, 2);
  assert.ok(c.analysis.findings.some((f) => f.rule === 'tls-alert'), 'suppression is left to the document');
});

test('shiftDirective: lines, target and span move with the chunk start', () => {
  const text = 'S: 220 a ESMTP\n# smtptls-disable-next-line tls-alert -- x\nS: 250 ok\n';
  const [d] = analyzeChunk(text, { baseline: 'current' }).directives;
  const moved = shiftDirective(d, 1000, 40);
  assert.equal(moved.line, d.line + 40);
  assert.equal(moved.target, d.target + 40);
  assert.deepEqual(moved.span, { start: d.span.start + 1000, end: d.span.end + 1000 });
  assert.equal(shiftDirective({ ...d, target: -1 }, 1000, 40).target, -1);
});

test('findLastPortDirective, findLastTimeDirective: the last directive of a text, or null', () => {
  const last = findLastPortDirective;
  assert.equal(last('# smtptls-port: 465\nS: 220 a ESMTP\n# smtptls-port: 587\n'), 587);
  assert.equal(last(SESSION), null);
  assert.equal(last('S: 250 smtptls-port is not a directive\n'), null);
  assert.equal(last('# smtptls-port: 465\r\nC: HELP smtptls-port\r\n'), 465);
  assert.equal(last('# smtptls-port: 99999\n'), null, 'out of range');
  assert.equal(last('# smtptls-port: 465\n# smtptls-port: 99999\n'), 465, 'an invalid last one: the one before it');
  assert.equal(findLastTimeDirective('# smtptls-time: 2026-11-30T09:00:00Z\r# smtptls-time: 2026-13-45T09:00:00Z'), Date.parse('2026-11-30T09:00:00Z'));
});

test('findLastPortDirective, findLastTimeDirective and findLastPolicyDirective, searching from the end, agree with the last of findPortDirectives, findTimeDirectives and findPolicyDirectives', () => {
  // Lines of every kind the two searches must tell apart, in random orders and line endings.
  const pieces = [
    '# smtptls-port: 587', '  \t# smtptls-port:465  ', '# smtptls-port: 0', '# smtptls-port: 65536', 'C: HELP smtptls-port: 25', '#smtptls-port: 2525 x',
    '# smtptls-time: 2026-11-30T08:13:50Z', '\t#  smtptls-time: 2026-11-30T08:13:50.123456789Z', '# smtptls-time: 2026-02-30T08:13:50Z', '# smtptls-time: 2026-99-30T08:13:50Z',
    'S: 220 smtptls-time: 2026-11-30T08:13:50Z', 'smtptls-port', '# smtptls-portsmtptls-port: 25', '', 'S: 250 ok',
    '# smtptls-policy: mta-sts', ' # smtptls-policy:DANE ', '# smtptls-policy: none', '# smtptls-policy: enforce', 'C: NOOP smtptls-policy: dane',
  ];
  const rnd = ((seed: number) => () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32))(5);
  const endings = ['\n', '\r\n', '\r'];
  let found = 0;
  for (let i = 0; i < 2000; i++) {
    const n = Math.floor(rnd() * 8);
    let text = '';
    for (let k = 0; k < n; k++) text += pieces[Math.floor(rnd() * pieces.length)] + (k < n - 1 || rnd() < 0.5 ? endings[Math.floor(rnd() * 3)] : '');
    const lines = new LineIndex(text);
    const ports = findPortDirectives(text, lines);
    const times = findTimeDirectives(text, lines);
    assert.equal(findLastPortDirective(text), ports.length ? ports[ports.length - 1].port : null, JSON.stringify(text));
    assert.equal(findLastTimeDirective(text), times.length ? times[times.length - 1].time : null, JSON.stringify(text));
    const policies = findPolicyDirectives(text, lines);
    assert.equal(findLastPolicyDirective(text), policies.length ? policies[policies.length - 1].policy : null, JSON.stringify(text));
    if (ports.length && times.length) found++;
  }
  assert.ok(found > 100, `${found} texts with both directives`);
});

test('inForceAfter and sameInForce: a text\'s last port and time directives, else those before it, compared by value', () => {
  const before = { port: 25, time: 1000, policy: null };
  const text = '# smtptls-time: 2026-11-30T08:13:50Z\nS: 220 a ESMTP\n# smtptls-time: 2026-11-30T09:00:00Z\n';
  const after = inForceAfter(text, before);
  assert.deepEqual(after, { port: 25, time: Date.parse('2026-11-30T09:00:00Z'), policy: null });
  assert.equal(inForceAfter('S: 220 a ESMTP\n', before), before, 'no directive: the same object');
  assert.ok(sameInForce(before, { port: 25, time: 1000, policy: null }));
  assert.ok(!sameInForce(before, { port: 25, time: null, policy: null }));
  assert.ok(!sameInForce(before, { port: 587, time: 1000, policy: null }));
});
