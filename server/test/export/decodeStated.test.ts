/** Facts a tool states only in words appear in `decode --format json` as `stated` events with statedByTool. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { toDecodeJson } from '../../src/core/export/decodeJson';
import { formatDecodeText } from '../../src/core/export/decodeText';

const TRACE = path.join(__dirname, '..', 'fixtures', 'corpus', 'sessions', 'ossl-tls1_2-trace', 'openssl-s_client-trace.txt');

test('openssl -trace: the ClientHello is a stated event with its client_version and suites', () => {
  const analysis = analyzeDocument(fs.readFileSync(TRACE, 'utf8'));
  const json = toDecodeJson(analysis) as { sessions: { events: Record<string, unknown>[] }[] };
  const stated = json.sessions.flatMap((s) => s.events).filter((e) => e.kind === 'stated');
  const hello = stated.find((e) => e.subject === 'client-hello');
  assert.ok(hello, JSON.stringify(stated.slice(0, 3)));
  assert.equal(hello.statedByTool, true);
  assert.equal(hello.version, 0x0303);
  // facts.json of this session (tshark): 28 cipher suites offered.
  assert.equal((hello.cipherSuites as number[]).length, 28);
  const lines = json.sessions.flatMap((s) => s.events).map((e) => e.line as number);
  assert.deepEqual(lines, [...lines].sort((a, b) => a - b), 'events stay in document order');
  assert.match(formatDecodeText('x', analysis), /stated by the tool \(client-hello: TLS 1\.2 \(0x0303\)\)/);
});

test('decode --format text names what a statement states: an alert\'s level and description, a negotiated version and suite', () => {
  const fixtures = path.join(__dirname, '..', 'fixtures');
  const swaks = formatDecodeText('x', analyzeDocument(fs.readFileSync(path.join(fixtures, 'stated-alerts', 'swaks-no-shared-cipher.txt'), 'utf8')));
  assert.match(swaks, /S: stated by the tool \(alert: fatal handshake_failure \(40\)\): TLS startup failed \(connect\(\): error:0A000410:/);
  const brief = formatDecodeText('x', analyzeDocument(fs.readFileSync(path.join(fixtures, 'openssl-plain', 's_client-brief-tls10.txt'), 'utf8')));
  assert.match(brief, /stated by the tool \(negotiated: TLS 1\.0 \(0x0301\)\): Protocol version: TLSv1/);
  assert.match(brief, /stated by the tool \(negotiated: ECDHE-RSA-AES256-SHA\): Ciphersuite: ECDHE-RSA-AES256-SHA/);
});
