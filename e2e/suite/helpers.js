// Shared helpers for the e2e tests that run inside the VS Code extension host.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const path = require('path');
const http = require('http');
const fs = require('fs');

const EXT_ID = process.env.E2E_EXT_ID || 'smtp-tls-transcripts.smtp-tls-transcripts';
const LANG = 'smtp-transcript';

function workspaceDir() {
  const f = vscode.workspace.workspaceFolders;
  if (!f || !f.length) throw new Error('no workspace folder open');
  return f[0].uri.fsPath;
}
function wsUri(name) { return vscode.Uri.file(path.join(workspaceDir(), name)); }

/**
 * Resolves with the diagnostics of `uri` as soon as `accept(diags)` is true, listening to
 * vscode.languages.onDidChangeDiagnostics (no fixed sleeps); rejects after `ms`.
 */
function waitForDiagnostics(uri, accept = (d) => d.length > 0, ms = 30000) {
  return new Promise((resolve, reject) => {
    const done = (fn, v) => { clearTimeout(timer); sub.dispose(); fn(v); };
    const check = () => {
      const d = vscode.languages.getDiagnostics(uri);
      if (accept(d)) { done(resolve, d); return true; }
      return false;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      const d = vscode.languages.getDiagnostics(uri);
      done(reject, new Error(`timed out after ${ms} ms waiting for diagnostics on ${path.basename(uri.fsPath)}; have: ${JSON.stringify(d.map(describe))}`));
    }, ms);
    check();
  });
}

/** Resolves once the language client has published for uri at least once (possibly an empty list). */
function waitForPublish(uri, ms = 30000) {
  return new Promise((resolve, reject) => {
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) { clearTimeout(timer); sub.dispose(); resolve(vscode.languages.getDiagnostics(uri)); }
    });
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out after ${ms} ms: no diagnostics published for ${path.basename(uri.fsPath)}`)); }, ms);
  });
}

/**
 * Resolves with the first value `check()` returns that is not undefined/null/false, re-checking on every
 * firing of `event` (a vscode.Event); rejects after `ms` with `what` and the last value seen.
 */
function waitForEvent(event, check, what, ms = 20000) {
  return new Promise((resolve, reject) => {
    let sub;
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out after ${ms} ms waiting for ${what}`)); }, ms);
    const test = () => {
      let v;
      try { v = check(); } catch (e) { clearTimeout(timer); sub.dispose(); reject(e); return true; }
      if (v === undefined || v === null || v === false) return false;
      clearTimeout(timer); sub.dispose(); resolve(v); return true;
    };
    sub = event(() => { test(); });
    test();
  });
}

/** 0-based number of the first line of `doc` that starts with `prefix` (throws when there is none). */
function lineStarting(doc, prefix, from = 0) {
  for (let i = from; i < doc.lineCount; i++) if (doc.lineAt(i).text.startsWith(prefix)) return i;
  throw new Error(`no line starting with "${prefix}" in ${path.basename(doc.uri.fsPath)}`);
}

/** The rule ids a sample's header says it triggers (`# expected rules: a, b (note)`), sorted, without duplicates. */
function expectedRules(doc) {
  const line = lineStarting(doc, '# expected rules:');
  const list = doc.lineAt(line).text.slice('# expected rules:'.length).replace(/\(.*\)/g, '').trim();
  return list === 'none' ? [] : [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean))].sort();
}

/** Copies a workspace file to a fresh name (tests that edit a document work on their own copy). */
function copyInWorkspace(name, copyName) {
  const dest = path.join(workspaceDir(), copyName);
  fs.copyFileSync(path.join(workspaceDir(), name), dest);
  return vscode.Uri.file(dest);
}

function codeOf(d) { return d.code && typeof d.code === 'object' ? String(d.code.value) : (d.code === undefined ? undefined : String(d.code)); }
function rangeOf(d) { return [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]; }
function describe(d) {
  return { code: codeOf(d), severity: ['Error', 'Warning', 'Information', 'Hint'][d.severity], range: rangeOf(d), message: d.message };
}

async function openInEditor(uri) {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Prints the code-shim's checks into the test log. */
function logUiChecks(result) {
  for (const c of result.checks) console.log(`    ui: ${c.ok ? 'ok' : 'NOT OK'} ${c.name} -- ${c.detail}`);
}

/** Fails unless the code-shim's check whose name starts with `prefix` is there and passed. */
function expectUiCheck(result, prefix) {
  const c = result.checks.find((x) => x.name.startsWith(prefix));
  assert.ok(c, `no ui check "${prefix}" in ${JSON.stringify(result.checks)}`);
  assert.ok(c.ok, `${c.name}: ${c.detail}`);
}

/** Asks the code-shim (which owns the browser page) to check what a person sees. */
function uiCheck(request) {
  const base = process.env.E2E_UI_URL;
  if (!base) return Promise.reject(new Error('E2E_UI_URL not set: not running under e2e/code-shim.js'));
  const body = JSON.stringify(request);
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/check`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let out = '';
      res.on('data', (d) => (out += d));
      res.on('end', () => { try { resolve(JSON.parse(out)); } catch (e) { reject(e); } });
    });
    req.on('error', reject);
    req.setTimeout(90000, () => req.destroy(new Error('ui check timed out')));
    req.end(body);
  });
}

module.exports = {
  EXT_ID, LANG, workspaceDir, wsUri, waitForDiagnostics, waitForPublish, waitForEvent, lineStarting, expectedRules, copyInWorkspace,
  codeOf, rangeOf, describe, openInEditor, uiCheck, logUiChecks, expectUiCheck,
};
