/**
 * smtp-bare-line-ending on SMTP lines read from hex (tshark follow,tcp,hex of a
 * real session): judged by the bytes, never by the dump's own line breaks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'corpus', 'sessions', 'ossl-default-debug', 'tshark-follow-tcp-hex.txt');

test('near miss: the real follow-hex session (CRLF everywhere) has no bare line ending', () => {
  const text = fs.readFileSync(FIXTURE, 'utf8');
  const findings = analyzeDocument(text).findings.filter((f) => f.rule === 'smtp-bare-line-ending');
  assert.deepEqual(findings, []);
});

test('a client line ending in LF alone is reported at the 0a byte', () => {
  const original = fs.readFileSync(FIXTURE, 'utf8');
  // "EHLO client.feas.test\r\n": the second dump line of the client holds ".test" 0d 0a; make the CR a space
  // (and its gutter character too, so the dump stays consistent).
  const before = '00000010  2e 74 65 73 74 0d 0a                              .test..';
  const after = '00000010  2e 74 65 73 74 20 0a                              .test .';
  assert.ok(original.includes(before));
  const text = original.replace(before, after);
  const findings = analyzeDocument(text).findings.filter((f) => f.rule === 'smtp-bare-line-ending');
  assert.equal(findings.length, 1, JSON.stringify(findings));
  const at = text.indexOf(after) + after.indexOf('0a');
  assert.deepEqual(findings[0].span, { start: at, end: at + 2 });
  assert.equal(analyzeDocument(text).findings.filter((f) => f.rule === 'dump-malformed').length, 0);
});
