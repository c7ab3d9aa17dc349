/**
 * The founding rule on hellos a tool only describes in words: openssl s_client
 * -trace prints `client_version=0x303 (TLS 1.2)` and no hex of the hello.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';

const TRACE = path.join(__dirname, '..', 'fixtures', 'corpus', 'sessions', 'ossl-tls1_2-trace', 'openssl-s_client-trace.txt');
const RULE = 'tls-hello-version-below-3.1';

test('near miss: the real -trace log (client_version=0x303) is not below 3.1', () => {
  const findings = analyzeDocument(fs.readFileSync(TRACE, 'utf8')).findings.filter((f) => f.rule === RULE);
  assert.deepEqual(findings, []);
});

test('the same log stating client_version=0x300 (SSL 3.0) fires at the words "0x300"', () => {
  // Crafted from the real log: only the stated version changes (no modern OpenSSL sends SSL 3.0).
  const text = fs.readFileSync(TRACE, 'utf8').replace('client_version=0x303 (TLS 1.2)', 'client_version=0x300 (SSL 3.0)');
  const findings = analyzeDocument(text).findings.filter((f) => f.rule === RULE);
  assert.equal(findings.length, 1, JSON.stringify(findings));
  assert.equal(text.slice(findings[0].span.start, findings[0].span.end), '0x300');
  assert.match(findings[0].message, /as the tool states it/);
  assert.match(findings[0].message, /SSL 3\.0 \(0x0300\)/);
  assert.equal(findings[0].severity, 'error');
});
