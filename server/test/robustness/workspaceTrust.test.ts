/**
 * The extension's trust declarations (package.json `capabilities`) and what justifies them:
 * - untrustedWorkspaces.supported = 'limited': no setting names a program, a path or arguments
 *   (every one is an enum, a number, a list of numbers or a boolean) except the key logs to read,
 *   which VS Code takes only from trusted workspaces (restrictedConfigurations); the client starts only its own bundled
 *   server, and the server runs no process and opens no connection (noNetwork.test.ts);
 * - virtualWorkspaces = true: the language server reads no file (it gets the text over LSP;
 *   nothing reachable from server.ts imports fs), the client reads through
 *   vscode.workspace.fs only, and its document selector includes the virtual file system scheme.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

/** Settings VS Code ignores the workspace's value of in an untrusted workspace (they name files to read). */
const RESTRICTED = ['smtpTls.capture.keyLogFiles'];

test('the manifest declares untrusted (limited: the key log setting) and virtual workspace support', () => {
  const { description, ...untrusted } = manifest.capabilities.untrustedWorkspaces;
  assert.deepEqual({ ...manifest.capabilities, untrustedWorkspaces: untrusted }, {
    untrustedWorkspaces: { supported: 'limited', restrictedConfigurations: RESTRICTED },
    virtualWorkspaces: true,
  });
  assert.match(description, /keyLogFiles/);
});

test('untrusted workspaces: every setting is data, none names a program, a path or arguments', () => {
  const props = manifest.contributes.configuration.properties as Record<string, { type: string | string[]; enum?: unknown[]; items?: { type?: string } }>;
  assert.ok(Object.keys(props).length > 10);
  for (const [key, schema] of Object.entries(props)) {
    // A list of files to read is data only where the workspace cannot set it untrusted (restrictedConfigurations).
    if (RESTRICTED.includes(key)) {
      assert.equal(schema.items?.type, 'string', key);
      continue;
    }
    // Rule ids (smtpTls.rules.smtp-command-order) are names of checks, not of programs.
    if (!key.startsWith('smtpTls.rules.')) assert.doesNotMatch(key, /path|command|exec|program|args|binary|url|module/i, key);
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    // An array is data when its items are numbers (smtpTls.capture.smtpPorts).
    const numbers = (t: string | undefined): boolean => t === 'number' || t === 'integer';
    for (const t of types) {
      assert.ok(['boolean', 'null'].includes(t) || numbers(t) || (t === 'string' && Array.isArray(schema.enum)) || (t === 'array' && numbers(schema.items?.type)), `${key}: free-form ${t}`);
    }
  }
});

test('untrusted workspaces: the client starts only its own bundled server module', () => {
  const client = fs.readFileSync(path.join(REPO, 'client/src/extension.ts'), 'utf8');
  assert.match(client, /context\.asAbsolutePath\(path\.join\('dist', 'server', 'server\.js'\)\)/);
  assert.doesNotMatch(client, /\bcommand\s*:/, 'no executable server command');
  for (const f of fs.readdirSync(path.join(REPO, 'client/src'))) {
    const src = fs.readFileSync(path.join(REPO, 'client/src', f), 'utf8');
    assert.doesNotMatch(src, /['"](?:node:)?(?:child_process|net|http|https|dns)['"]/, `${f} imports a process or network module`);
  }
});

/** Files reachable from `entry` through relative imports. */
function importGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:from|import\s*\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const base = path.resolve(path.dirname(file), m[1]);
      const resolved = [`${base}.ts`, path.join(base, 'index.ts'), base].find((p) => fs.existsSync(p) && fs.statSync(p).isFile());
      if (resolved) todo.push(resolved);
    }
  }
  return seen;
}

test('virtual workspaces: nothing the language server loads reads the file system', () => {
  const reached = importGraph(path.join(REPO, 'server/src/server.ts'));
  assert.ok(reached.size > 50, `${reached.size} files reached`);
  assert.ok([...reached].some((f) => f.endsWith('analyzeDocument.ts')));
  const readers = [...reached].filter((f) => /['"](?:node:)?fs(?:\/promises)?['"]/.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(readers.map((f) => path.relative(REPO, f)), []);
});

test('virtual workspaces: the client reads through vscode.workspace.fs and sends virtual documents to the server', () => {
  for (const f of fs.readdirSync(path.join(REPO, 'client/src'))) {
    assert.doesNotMatch(fs.readFileSync(path.join(REPO, 'client/src', f), 'utf8'), /['"](?:node:)?fs(?:\/promises)?['"]/, `${f} imports fs`);
  }
  const client = fs.readFileSync(path.join(REPO, 'client/src/extension.ts'), 'utf8');
  const selector = /documentSelector:\s*\[([\s\S]*?)\]/.exec(client)?.[1] ?? '';
  assert.ok(/scheme: 'vscode-vfs'/.test(selector) || /\{\s*language:/.test(selector), `selector: ${selector}`);
});
