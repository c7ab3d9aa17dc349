/** The TextMate grammar (first-paint highlighting) against its grammar tests, and the manifest entries of the editor features. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';
import { TOKEN_MODIFIERS, TOKEN_TYPES } from '../../src/core/features/semanticTokens';

const GRAMMAR = path.join('syntaxes', 'smtp-transcript.tmLanguage.json');

test('grammar tests in syntaxes/test pass under vscode-tmgrammar-test', () => {
  const bin = path.join(REPO, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
  assert.ok(fs.existsSync(bin), 'vscode-tmgrammar-test is installed (devDependency)');
  const tests = fs.readdirSync(path.join(REPO, 'syntaxes', 'test')).filter((f) => f.endsWith('.test.transcript'));
  assert.ok(tests.length >= 3);
  const r = spawnSync(process.execPath, [bin, '--compact', '-g', GRAMMAR, 'syntaxes/test/*.test.transcript'], { cwd: REPO, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  for (const t of tests) assert.ok(!r.stdout.includes(`${t} failed`), r.stdout);
});

test('a wrong expectation makes the grammar test fail (the check can fail)', () => {
  const dir = fs.mkdtempSync(path.join(REPO, 'syntaxes', 'test', 'tmp-'));
  try {
    fs.writeFileSync(path.join(dir, 'wrong.test.transcript'), '# SYNTAX TEST "source.smtp-transcript"\nS: 250 ok\n#  ^^^ keyword.other.verb.smtp-transcript\n');
    const bin = path.join(REPO, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
    const r = spawnSync(process.execPath, [bin, '--compact', '-g', GRAMMAR, path.relative(REPO, path.join(dir, '*.test.transcript'))], { cwd: REPO, encoding: 'utf8', timeout: 60000 });
    assert.notEqual(r.status, 0, r.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('package.json declares the semantic token legend, its scopes and the inlay hint setting', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const c = pkg.contributes;
  assert.deepEqual(c.semanticTokenTypes.map((t: { id: string }) => t.id), [...TOKEN_TYPES]);
  assert.deepEqual(c.semanticTokenModifiers.map((t: { id: string }) => t.id), [...TOKEN_MODIFIERS]);
  const scopes = c.semanticTokenScopes.find((s: { language: string }) => s.language === 'smtp-transcript').scopes;
  for (const t of TOKEN_TYPES) assert.ok(Array.isArray(scopes[t]), `scope for ${t}`);
  const setting = c.configuration.properties['smtpTls.inlayHints.enabled'];
  assert.equal(setting.type, 'boolean');
  assert.equal(setting.default, true);
  assert.match(pkg.devDependencies['vscode-tmgrammar-test'], /^\d+\.\d+\.\d+$/, 'pinned exactly');
});
