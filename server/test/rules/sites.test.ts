/** Rule sites: records and hellos per session, field lookups, and the index released after a rules run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { runRules } from '../../src/core/rules/runRules';
import { createSessionCache, forgetRunCaches } from '../../src/core/rules/ruleContext';
import {
  collectFields,
  forEachField,
  findAnsweredClientHello,
  findField,
  findFirstClientHelloRecord,
  findServerAnswer,
  firstNotBefore,
  highestOfferedVersion,
  isDamaged,
  isTls13Session,
  listClientHellos,
  listRecords,
  listServerHellos,
  spanOfBytes,
  type RecordSite,
} from '../../src/core/rules/sites';
import { EXT, alert, clientHello, hexLines, record, serverHello } from './craft';

const SAMPLE = readFileSync(join(__dirname, '..', '..', '..', 'samples', 'openssl-tls12-clean.transcript'), 'utf8');

test('sites: records, hellos and the hello a ServerHello answers, in document order', () => {
  const a = analyzeDocument(SAMPLE);
  const records = [...listRecords(a.sessions)];
  const hellos = [...listClientHellos(a.sessions)];
  const answers = [...listServerHellos(a.sessions)];
  assert.ok(records.length >= 2);
  assert.equal(hellos.length, 1);
  assert.equal(answers.length, 1);
  assert.equal(findAnsweredClientHello(answers[0]), hellos[0]);
  assert.equal(findFirstClientHelloRecord(hellos[0].session), hellos[0].record);
  assert.equal(isTls13Session(hellos[0].session), false);
  assert.equal(highestOfferedVersion(hellos[0].message) >= 0x0303, true);
  // The client_version field maps to its hex pair in the document.
  const span = spanOfBytes(hellos[0], hellos[0].message.versionSpan.start, hellos[0].message.versionSpan.end);
  assert.match(SAMPLE.slice(span.start, span.end), /^03 0[0-4]$/);
});

test('sites: findField finds the first field depth first; collectFields every match, leaves without children included', () => {
  const hello = [...listClientHellos(analyzeDocument(SAMPLE).sessions)][0].message;
  assert.equal(findField(hello.field, 'client_version')?.value, hello.version);
  assert.equal(findField(hello.field, 'no such field'), undefined);
  const suites = collectFields(hello.field, (f) => /^cipher_suites\[\d+\]$/.test(f.name));
  assert.deepEqual(suites.map((f) => f.value), hello.cipherSuites);
});

test('sites: forEachField visits every field once, parents before children, in the order shown', () => {
  const hello = [...listClientHellos(analyzeDocument(SAMPLE).sessions)][0].message;
  const names: string[] = [];
  forEachField(hello.field, (f) => names.push(f.name));
  const expected: string[] = [];
  const walk = (f: typeof hello.field): void => {
    expected.push(f.name);
    for (const c of f.children ?? []) walk(c);
  };
  walk(hello.field);
  assert.deepEqual(names, expected);
  assert.equal(names[0], hello.field.name);
  assert.ok(names.indexOf('cipher_suites[0]') > names.indexOf('cipher_suites'));
  assert.equal(collectFields(hello.field, () => true).length, names.length);
});

test('sites: the index is rebuilt after forgetRunCaches, and a rules run gives the same findings twice', () => {
  const a = analyzeDocument(SAMPLE);
  const first = [...listClientHellos(a.sessions)];
  forgetRunCaches();
  const again = [...listClientHellos(a.sessions)];
  assert.notEqual(again[0], first[0]);
  assert.deepEqual(again.map((s) => s.message), first.map((s) => s.message));
  assert.deepEqual(runRules(a), a.findings);
  assert.deepEqual(runRules(a), a.findings);
});

test('session caches: one build per session until forgetRunCaches, then a fresh one', () => {
  const a = analyzeDocument(SAMPLE);
  const session = a.sessions[0];
  let builds = 0;
  const cache = createSessionCache<{ n: number }>();
  const build = (): { n: number } => ({ n: ++builds });
  assert.equal(cache.get(session, build).n, 1);
  assert.equal(cache.get(session, build).n, 1);
  forgetRunCaches();
  assert.equal(cache.get(session, build).n, 2);
  runRules(a);
  // A rules run ends with the caches emptied.
  assert.equal(cache.get(session, build).n, 3);
});

test('sites: isDamaged is true for a hello with a length problem inside it, not for one whose only problem is a repeated extension', () => {
  const good = record(22, 0x0301, clientHello());
  const repeated = record(22, 0x0301, clientHello({ extensions: [EXT.supportedGroups([0x001d]), EXT.supportedGroups([0x0017])] }));
  const short = clientHello({ extensions: [] });
  short[short.length - 1] = 5; // extensions declares 5 bytes, none follow
  const text = [hexLines('C', good), 'S: 250 ok', 'C: 16 03 01 00 05 01 00 00 01 00', 'S: 250 ok', hexLines('C', repeated), 'S: 250 ok', hexLines('C', record(22, 0x0301, short))].join('\n') + '\n';
  const a = analyzeDocument(text);
  const hellos = [...listClientHellos(a.sessions)];
  // The stream's problems: a cut client_version (2nd hello), a repeated extension (3rd), a short extensions block (4th, at its very end).
  assert.deepEqual(
    a.sessions[0].streams.flatMap((st) => st.decoded.problems.map((p) => p.kind)),
    ['malformed', 'malformed', 'malformed'],
  );
  assert.deepEqual(hellos.map((h) => isDamaged(h)), [false, true, false, true]);
  // Same answers on a fresh index, asked in reverse order.
  forgetRunCaches();
  assert.deepEqual(hellos.reverse().map((h) => isDamaged(h)), [true, false, true, false]);
});

test('sites: findAnsweredClientHello and findServerAnswer agree with a scan of the session, whatever the directions', () => {
  const hex = (b: readonly number[]): string => b.map((x) => x.toString(16).padStart(2, '0')).join(' ');
  const ch = record(22, 0x0301, clientHello());
  const sh = record(22, 0x0303, serverHello());
  const al = alert(2, 40);
  // Lines with and without a direction, several records on one line, hellos answered in the same run.
  const lines: string[] = [];
  for (let i = 0; i < 12; i++) {
    lines.push(i % 3 ? `C: ${hex(ch)}` : hex(ch));
    lines.push(i % 4 === 0 ? `S: ${hex([...sh, ...ch, ...al])}` : i % 4 === 1 ? 'S: 250 ok' : i % 4 === 2 ? hex([...sh, ...al]) : `S: ${hex(al)}`);
    if (i % 5 === 0) lines.push(hex(al), '', `C: ${hex([...ch, ...ch])}`);
  }
  lines.push(`C: ${hex(ch)}`, hex(ch)); // hellos nobody answers
  const a = analyzeDocument(lines.join('\n') + '\n');
  const records = [...listRecords(a.sessions)];
  const hellos = [...listClientHellos(a.sessions)];
  assert.ok(records.length > 30 && hellos.length > 12, `${records.length} records, ${hellos.length} hellos`);
  assert.ok(records.some((r) => r.event.direction === null) && records.some((r) => r.event.direction === 'server'));
  const answeredByScan = (site: RecordSite): RecordSite | null => {
    let found: RecordSite | null = null;
    for (const h of hellos) {
      if (h.session !== site.session) continue;
      if (h.event.eventIndex > site.event.eventIndex) break;
      if (h.event.eventIndex === site.event.eventIndex && h.record.start >= site.record.start && h.event.stream === site.event.stream) break;
      found = h;
    }
    return found;
  };
  const answerByScan = (hello: RecordSite): RecordSite | null =>
    records.find(
      (r) => r.session === hello.session && r.event.eventIndex > hello.event.eventIndex && (r.event.direction === 'server' || (r.event.direction === null && r.event.stream !== hello.event.stream)),
    ) ?? null;
  let answered = 0;
  for (const site of records) {
    const expected = answeredByScan(site);
    if (expected) answered++;
    assert.equal(findAnsweredClientHello(site), expected);
  }
  let answers = 0;
  for (const hello of hellos) {
    const expected = answerByScan(hello);
    if (expected) answers++;
    assert.equal(findServerAnswer(hello), expected);
  }
  // Both kinds of answer occur, and so do hellos without one.
  assert.ok(answered > 0 && answered < records.length, `${answered} of ${records.length}`);
  assert.ok(answers > 0 && answers < hellos.length, `${answers} of ${hellos.length}`);
});

test('sites: firstNotBefore finds the end of the prefix where the test holds', () => {
  const xs = [1, 3, 3, 5, 8];
  const at = (v: number): number => firstNotBefore(xs.length, (i) => xs[i] < v);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 8, 9].map(at), [0, 0, 1, 1, 3, 3, 4, 5]);
  assert.equal(firstNotBefore(0, () => true), 0);
});
