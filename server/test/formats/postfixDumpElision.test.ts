/**
 * Postfix's level-3 dumps (smtpd_tls_loglevel=3) leave out a read's trailing spaces and NULs as
 * `<SPACES/NULLS>` (bioDumpLines.ts): the hello that ends in the null compression method or an empty
 * extension must still decode whole. Oracle: the capture of the same session (server/test/fixtures/live,
 * recorded with the log by tools/make-samples.sh), whose import is checked against tshark elsewhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { toDecodeJson } from '../../src/core/export/decodeJson';
import { importBytes, readFixture } from '../capture/helpers';

const LIVE = path.join(__dirname, '..', 'fixtures', 'live');
const RUNS = ['malformed-hello', 'ssl3-hello', 'ssl3-hello-resumption', 'sslv2-hello-ssl3', 'sslv2-hello-tls10', 'tls12-record-ssl3-legal'];

/** The handshake messages and alerts decoded in the clear, by direction, as JSON. */
function messages(text: string): { client: string[]; server: string[] } {
  const out: { client: string[]; server: string[] } = { client: [], server: [] };
  const json = toDecodeJson(analyzeDocument(text)) as { sessions: { events: { direction: 'client' | 'server'; records?: { contentType: number; alert?: unknown; messages: unknown[] }[] }[] }[] };
  for (const e of json.sessions.flatMap((s) => s.events)) {
    for (const r of e.records ?? []) {
      if (r.contentType === 21 && r.alert) out[e.direction].push(JSON.stringify(r.alert));
      if (r.contentType === 22) out[e.direction].push(...r.messages.map((m) => JSON.stringify(m)));
    }
  }
  return out;
}

for (const run of RUNS) {
  test(`${run} (port 2526, level 3): the log's hellos decode as the capture's, no record read short`, () => {
    const log = readFileSync(path.join(LIVE, `${run}-p2526.postfix.log`), 'utf8');
    assert.match(log, /- <SPACES\/NULLS>/);
    const fromCapture = messages(importBytes(readFixture(path.join(LIVE, `${run}-p2526.pcap`))).text);
    assert.deepEqual(messages(log), fromCapture);
    assert.deepEqual(analyzeDocument(log).findings.filter((f) => f.rule === 'tls-truncated'), []);
  });
}

test('a dump really cut short still reads short: truncated-hello keeps its tls-truncated', () => {
  const log = readFileSync(path.join(LIVE, 'truncated-hello-p2526.postfix.log'), 'utf8');
  assert.equal(analyzeDocument(log).findings.filter((f) => f.rule === 'tls-truncated').length, 1);
});
