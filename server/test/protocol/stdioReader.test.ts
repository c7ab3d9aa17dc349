/**
 * The stdio message reader (server/src/stdioReader.ts) delivers what the library's reader
 * delivers, in order, however the input is cut into blocks (headers and multi-byte UTF-8
 * characters split anywhere), and reports framing errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { StreamMessageReader } from 'vscode-languageserver/node';
import { StdioMessageReader } from '../../src/stdioReader';
import { seededRandom } from '../tls/helpers';

const frame = (body: string, extra = ''): Buffer => {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`${extra}Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
};

const MESSAGES = [
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: {} } },
  { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///caf\u00e9', text: 'S: 220 \u00e9\u2192\uD83D\uDE00 ok\n'.repeat(5000) } } },
  { jsonrpc: '2.0', method: 'x', params: {} },
  { jsonrpc: '2.0', id: 2, result: ['\u00a7', '\uD83D\uDE00'] },
];

function stream(): Buffer {
  return Buffer.concat(MESSAGES.map((m, i) => frame(JSON.stringify(m), i === 2 ? 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n' : '')));
}

/** Messages a reader delivers for `input` cut at `cuts`. */
async function read(make: (s: PassThrough) => { listen(cb: (m: unknown) => void): unknown; onError: (l: (e: Error) => void) => unknown }, input: Buffer, cuts: number[]): Promise<{ messages: unknown[]; errors: string[] }> {
  const s = new PassThrough();
  const reader = make(s);
  const messages: unknown[] = [];
  const errors: string[] = [];
  reader.listen((m) => messages.push(m));
  reader.onError((e) => errors.push(e.message));
  let at = 0;
  for (const c of [...cuts, input.length]) {
    s.write(Buffer.from(input.subarray(at, c)));
    at = c;
    await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 20));
  return { messages, errors };
}

test('the same messages as the library reader, in order, whatever the block boundaries', async () => {
  const input = stream();
  const rnd = seededRandom(0x5eed);
  const cutSets: number[][] = [[], Array.from({ length: input.length - 1 }, (_, i) => i + 1).filter((i) => i < 400 || i % 997 === 0)];
  for (let k = 0; k < 20; k++) cutSets.push([...new Set(Array.from({ length: 1 + Math.floor(rnd() * 60) }, () => 1 + Math.floor(rnd() * (input.length - 1))))].sort((a, b) => a - b));
  const expected = await read((s) => new StreamMessageReader(s), input, []);
  assert.deepEqual(expected.messages, MESSAGES);
  for (const cuts of cutSets) {
    const got = await read((s) => new StdioMessageReader(s), input, cuts);
    assert.deepEqual(got.errors, [], `cuts ${cuts.slice(0, 5)}`);
    assert.deepEqual(got.messages, MESSAGES, `cuts ${cuts.slice(0, 5)}…`);
  }
});

test('framing errors are reported: no Content-Length, a bad value, endless headers; bad JSON skips one message', async () => {
  const r = (input: Buffer) => read((s) => new StdioMessageReader(s), input, [3]);
  assert.match((await r(Buffer.from('Content-Type: x\r\n\r\n{}'))).errors[0], /Content-Length/);
  assert.match((await r(Buffer.from('Content-Length: 1e3\r\n\r\n{}'))).errors[0], /must be a number/);
  assert.match((await r(Buffer.from('no colon here\r\n\r\n{}'))).errors[0], /separate key and value/);
  assert.match((await r(Buffer.alloc(70 * 1024, 0x61))).errors[0], /exceeds/);
  const bad = await r(Buffer.concat([frame('{"jsonrpc":'), frame('{"jsonrpc":"2.0","method":"after"}')]));
  assert.equal(bad.errors.length, 1);
  assert.deepEqual(bad.messages, [{ jsonrpc: '2.0', method: 'after' }]);
});
