/**
 * The rule engine around the checks: catalog completeness, generated docs and
 * settings, suppressions, port context, settings and .smtptls.json, and zero
 * error findings on the clean real sessions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { RULES } from '../../src/core/rules/catalog';
import { CHECKS } from '../../src/core/rules/checks';
import { LineIndex } from '../../src/core/text/lineIndex';
import { findPortDirectives, isSuppressed, parseSuppressions } from '../../src/core/rules/directives';
import { mergeSettings, normalizeSettings } from '../../src/core/rules/settings';
import { ConfigError, createSettingsResolver, findProjectConfig, parseProjectConfig } from '../../src/core/rules/projectConfig';
import { DOCS_MARKERS, README_MARKERS, buildRuleSettings, mergeRuleSettings, readBetweenMarkers, renderRuleReference, renderRuleTable, replaceBetweenMarkers } from '../../src/core/rules/ruleDocs';
import { SUPPRESSION_WITHOUT_REASON } from '../../src/core/rules/runRules';
import { REPO } from '../helpers/lspClient';
import { listSamples, readSample } from '../helpers/samples';
import { alert, clientHello, record, starttlsSession } from './craft';

test('every catalogued rule has a check (suppression-without-reason is the engine itself)', () => {
  for (const r of RULES) {
    if (r.id === SUPPRESSION_WITHOUT_REASON) continue;
    assert.ok(CHECKS[r.id], `no check for ${r.id}`);
  }
  for (const id of Object.keys(CHECKS)) assert.ok(RULES.some((r) => r.id === id), `check without catalog entry: ${id}`);
});

test('references link RFC sections or appendices at the rfc-editor, or the IANA registry', () => {
  for (const r of RULES) {
    for (const ref of r.references) assert.match(ref.url, /^https:\/\/www\.(rfc-editor\.org\/rfc\/rfc\d+(#(section|appendix)-[0-9A-Z.]+)?|iana\.org\/.+)$/, `${r.id}: ${ref.url}`);
  }
});

test('README rule table, docs/rules.md and package.json settings match the catalog (run scripts/gen-rule-docs.ts)', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  assert.equal(readBetweenMarkers(readme, README_MARKERS), renderRuleTable());
  const docs = fs.readFileSync(path.join(REPO, 'docs/rules.md'), 'utf8');
  assert.equal(readBetweenMarkers(docs, DOCS_MARKERS), renderRuleReference());
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties as Record<string, unknown>;
  const generated = buildRuleSettings();
  for (const [key, schema] of Object.entries(generated)) assert.deepEqual(props[key], JSON.parse(JSON.stringify(schema)), key);
  const ruleKeys = Object.keys(props).filter((k) => k.startsWith('smtpTls.rules.'));
  assert.deepEqual(ruleKeys.sort(), RULES.map((r) => `smtpTls.rules.${r.id}`).sort());
});

test('drift is detected: a changed title changes the table; markers are required', () => {
  const changed = RULES.map((r, i) => (i === 0 ? { ...r, title: 'something else' } : r));
  assert.notEqual(renderRuleTable(changed), renderRuleTable());
  assert.throws(() => replaceBetweenMarkers('no markers', README_MARKERS, 'x'));
  assert.equal(readBetweenMarkers(replaceBetweenMarkers(`a\n${README_MARKERS.start}\nold\n${README_MARKERS.end}\nb`, README_MARKERS, 'new'), README_MARKERS), 'new');
  const merged = mergeRuleSettings({ 'smtpTls.baseline': 1, 'smtpTls.rules.gone': 2, 'smtpTls.trace.server': 3 }, { 'smtpTls.rules.x': 4 });
  assert.deepEqual(Object.keys(merged), ['smtpTls.baseline', 'smtpTls.rules.x', 'smtpTls.trace.server']);
});

// A fatal alert answering a hello: tls-alert (warning) on the line of the S: hex.
const ALERT_SESSION = starttlsSession(record(22, 0x0301, clientHello()), alert(2, 40));

function ruleLines(text: string, rule: string): number[] {
  const a = analyzeDocument(text);
  return a.findings.filter((f) => f.rule === rule).map((f) => a.lines.positionAt(f.span.start).line);
}

test('disable-next-line suppresses the finding that starts on the next non-comment line, and only that rule', () => {
  const lines = ALERT_SESSION.split('\n');
  const at = ruleLines(ALERT_SESSION, 'tls-alert')[0];
  assert.ok(at > 0);
  const withDirective = [...lines.slice(0, at), '# smtptls-disable-next-line tls-alert -- known: lab server refuses', '# another comment', ...lines.slice(at)].join('\n');
  assert.deepEqual(ruleLines(withDirective, 'tls-alert'), []);
  assert.deepEqual(ruleLines(withDirective, SUPPRESSION_WITHOUT_REASON), []);
  const otherRule = [...lines.slice(0, at), '# smtptls-disable-next-line tls-malformed -- wrong rule', ...lines.slice(at)].join('\n');
  assert.equal(ruleLines(otherRule, 'tls-alert').length, 1);
  const tooEarly = [...lines.slice(0, at - 1), '# smtptls-disable-next-line tls-alert -- one line too early', ...lines.slice(at - 1)].join('\n');
  assert.equal(ruleLines(tooEarly, 'tls-alert').length, 1);
});

test('disable-next-line works for a finding on a middle line of a multi-line dump', () => {
  // The weak suite (RC4, 0x0005) is on the second hex line of the ClientHello.
  const text = starttlsSession(record(22, 0x0301, clientHello({ suites: [0xc02f, 0xc030, 0x009c, 0x0035, 0x002f, 0x0005, 0x00ff] })));
  const at = ruleLines(text, 'tls-weak-cipher-offered')[0];
  const lines = text.split('\n');
  assert.ok(/^C: /.test(lines[at - 1]), 'the finding starts inside the dump, not on its first line');
  const suppressed = [...lines.slice(0, at), '# smtptls-disable-next-line tls-weak-cipher-offered -- test client offers RC4 on purpose', ...lines.slice(at)].join('\n');
  assert.deepEqual(ruleLines(suppressed, 'tls-weak-cipher-offered'), []);
  // The dump still decodes across the comment line: no new findings appear.
  assert.deepEqual(analyzeDocument(suppressed).findings.map((f) => f.rule), analyzeDocument(text).findings.map((f) => f.rule).filter((r) => r !== 'tls-weak-cipher-offered'));
});

test('disable ... enable covers a stretch; a suppression without reason is reported but still applies', () => {
  const block = `# smtptls-disable tls-alert -- lab\n${ALERT_SESSION}# smtptls-enable tls-alert\n`;
  assert.deepEqual(ruleLines(block, 'tls-alert'), []);
  const ended = `# smtptls-disable tls-alert -- lab\n# smtptls-enable tls-alert\n${ALERT_SESSION}`;
  assert.equal(ruleLines(ended, 'tls-alert').length, 1);
  const noReason = `# smtptls-disable tls-alert\n${ALERT_SESSION}`;
  assert.deepEqual(ruleLines(noReason, 'tls-alert'), []);
  const f = analyzeDocument(noReason).findings.filter((x) => x.rule === SUPPRESSION_WITHOUT_REASON);
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'warning');
  assert.equal(noReason.slice(f[0].span.start, f[0].span.end), '# smtptls-disable tls-alert');
  assert.equal(analyzeDocument(noReason, { baseline: 'current', rules: { [SUPPRESSION_WITHOUT_REASON]: 'off' } }).findings.filter((x) => x.rule === SUPPRESSION_WITHOUT_REASON).length, 0);
});

test('parseSuppressions and isSuppressed: ids separated by commas, `--` reason, all', () => {
  const text = '# smtptls-disable-next-line a, b -- why\nC: x\n# smtptls-disable all -- everything\n';
  const s = parseSuppressions(text, new LineIndex(text));
  assert.deepEqual(s[0].ids, ['a', 'b']);
  assert.equal(s[0].reason, 'why');
  assert.equal(s[0].fromLine, 1);
  assert.ok(isSuppressed(s, 'b', 1));
  assert.ok(!isSuppressed(s, 'c', 1));
  assert.ok(isSuppressed(s, 'anything', 3));
});

test('findPortDirectives: valid ports only, on comment lines', () => {
  const text = '# smtptls-port: 587\nC: EHLO x\n# smtptls-port: 99999\nS: 250 smtptls-port: 25\n';
  assert.deepEqual(findPortDirectives(text, new LineIndex(text)), [{ line: 0, port: 587 }]);
});

test('normalizeSettings: port, nested rule keys from dotted setting names, invalid values dropped', () => {
  const s = normalizeSettings({ baseline: 'rfc3207', port: 587, rules: { 'tls-hello-version-below-3': { '1': 'off' }, 'tls-alert': 'hint', nope: 'error', 'tls-truncated': 'loud' } });
  assert.deepEqual(s, { baseline: 'rfc3207', rules: { 'tls-hello-version-below-3.1': 'off', 'tls-alert': 'hint' }, port: 587 });
  assert.deepEqual(normalizeSettings({ port: 0 }), { baseline: 'current' });
  assert.deepEqual(mergeSettings({ baseline: 'current', rules: { 'tls-alert': 'off' }, port: 25 }, { rules: { 'tls-truncated': 'error' } }), {
    baseline: 'current',
    rules: { 'tls-alert': 'off', 'tls-truncated': 'error' },
    port: 25,
  });
});

test('an override replaces the severity a rule would choose, including port-dependent ones', () => {
  const f = analyzeDocument(ALERT_SESSION, { baseline: 'current', rules: { 'tls-alert': 'error' } }).findings.filter((x) => x.rule === 'tls-alert');
  assert.equal(f[0].severity, 'error');
  assert.equal(analyzeDocument(ALERT_SESSION, { baseline: 'current', rules: { 'tls-alert': 'off' } }).findings.filter((x) => x.rule === 'tls-alert').length, 0);
});

function memoryFs(files: Record<string, string>) {
  return { readText: (p: string) => files[p] ?? null, dirname: path.posix.dirname, join: path.posix.join };
}

test('.smtptls.json: found upward, parsed strictly, CLI flags on top', () => {
  const fsys = memoryFs({ '/p/.smtptls.json': '{"baseline":"rfc3207","rules":{"tls-alert":"off"},"port":587}', '/p/sub/deep/.keep': '' });
  assert.deepEqual(findProjectConfig('/p/sub/deep', fsys), { path: '/p/.smtptls.json', text: '{"baseline":"rfc3207","rules":{"tls-alert":"off"},"port":587}' });
  assert.equal(findProjectConfig('/q', fsys), null);
  const resolve = createSettingsResolver({ rules: { 'tls-truncated': 'error' } }, fsys, '/p', path.posix.resolve);
  assert.deepEqual(resolve('sub/deep/a.transcript'), { baseline: 'rfc3207', rules: { 'tls-alert': 'off', 'tls-truncated': 'error' }, port: 587 });
  assert.deepEqual(createSettingsResolver({ baseline: 'current' }, fsys, '/elsewhere', path.posix.resolve)('/p/x.log').baseline, 'current');
  assert.throws(() => parseProjectConfig('{"rules":{"no-such-rule":"off"}}', 'x.json'), ConfigError);
  assert.throws(() => parseProjectConfig('{"colour":1}', 'x.json'), /unknown key/);
  assert.throws(() => parseProjectConfig('{', 'x.json'), /not valid JSON/);
  assert.throws(() => createSettingsResolver({ configPath: 'missing.json' }, fsys, '/p', path.posix.resolve), /cannot read/);
});

test('zero error findings on the clean real sessions (openssl, swaks samples; corpus openssl/gnutls/swaks/curl/python)', () => {
  const clean = listSamples().filter((n) => /^(openssl|swaks)-/.test(n)).map((n) => ({ name: n, text: readSample(n) }));
  const corpus = path.join(REPO, 'server/test/fixtures/corpus/sessions');
  for (const dir of fs.readdirSync(corpus)) {
    if (!/^(ossl|gnutls|swaks|curl|pysmtplib)-/.test(dir)) continue;
    for (const f of fs.readdirSync(path.join(corpus, dir))) {
      const p = path.join(corpus, dir, f);
      // The session as the client tool printed it (and the C:/S: transcript), not the extracted single-record dumps.
      if (!/^(openssl-s_client-.*|gnutls-cli-d5|swaks|curl-.*|python-smtplib-debug|transcript-CS.*)\.txt$/.test(f)) continue;
      clean.push({ name: `${dir}/${f}`, text: fs.readFileSync(p, 'utf8') });
    }
  }
  assert.ok(clean.length >= 10, `found ${clean.length} clean documents`);
  for (const c of clean) {
    const errors = analyzeDocument(c.text).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => `${f.rule}: ${f.message}`), [], c.name);
  }
});
