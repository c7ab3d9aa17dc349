/**
 * The spill between `check`'s analysis and its report: findings with their located
 * spans (and text) come back equal, in order, per segment (empty segments and records
 * of a discarded first reading included), whether they stayed in memory or went through
 * the encrypted temporary file (encryptedSpool.ts), which is never left behind and holds
 * no plain text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { createCheckedFile, type CheckedFile } from '../../src/core/export/checkReport';
import type { Finding } from '../../src/core/rules/types';
import { FindingSpill, type SpillSegment } from '../../src/cli/findingSpill';
import { EncryptedSpool } from '../../src/cli/encryptedSpool';
import { REPO } from '../helpers/lspClient';
import { listSamples, readSample } from '../helpers/samples';

const FILES: CheckedFile[] = [
  ...listSamples().map((n) => createCheckedFile(n, analyzeDocument(readSample(n)))),
  createCheckedFile('auth', analyzeDocument(fs.readFileSync(path.join(REPO, 'server/test/fixtures/cli/auth-plain-login.transcript'), 'utf8'))),
  // Line breaks, quotes, non-BMP characters and a lone surrogate in the text around findings.
  createCheckedFile('odd', analyzeDocument(`# "q" \\ é 😀 \ud800\n${readSample('truncated-hello.transcript')}`)),
];

interface Seen {
  segment: number;
  findings: Finding[];
  located: unknown[];
}

function replayAll(spill: FindingSpill, segments: readonly SpillSegment[], batchSize: number): { events: string[]; seen: Seen[] } {
  const events: string[] = [];
  const seen: Seen[] = [];
  let current = -1;
  spill.replay(
    segments,
    {
      beginSegment(i) {
        events.push(`begin ${i}`);
        current = i;
        seen.push({ segment: i, findings: [], located: [] });
      },
      batch(findings, locate) {
        assert.ok(findings.length > 0 && findings.length <= batchSize);
        events.push(`batch ${current} ${findings.length}`);
        const s = seen[seen.length - 1];
        for (const f of findings) {
          s.findings.push(f);
          for (const span of [f.span, ...(f.related ?? []).map((r) => r.span)]) s.located.push([locate.rangeOf(span), locate.textOf(span)]);
        }
      },
      endSegment(i) {
        assert.equal(i, current);
        events.push(`end ${i}`);
      },
    },
    batchSize,
  );
  return { events, seen };
}

function expectedOf(file: CheckedFile): { findings: Finding[]; located: unknown[] } {
  return {
    findings: file.findings.map((f) => ({ ...f, ...(f.related ? { related: f.related } : {}) })),
    located: file.findings.flatMap((f) => [f.span, ...(f.related ?? []).map((r) => r.span)].map((span) => [file.locate.rangeOf(span), file.locate.textOf(span)])),
  };
}

function normal(f: Finding): unknown {
  return JSON.parse(JSON.stringify({ rule: f.rule, severity: f.severity, message: f.message, span: f.span, related: f.related ?? null }));
}

test('findings and their located spans come back equal and in order, from memory and through the file, in batches', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spill-test-'));
  try {
    for (const memoryChars of [1 << 30, 1, 5_000]) {
      const spill = new FindingSpill(memoryChars, tmp);
      const segments: SpillSegment[] = [];
      for (const [i, file] of FILES.entries()) {
        // Every third file is read twice (streamInput starts a document over): its first records are skipped.
        if (i % 3 === 0) spill.add(FILES[(i + 1) % FILES.length].findings, FILES[(i + 1) % FILES.length].locate, true);
        const first = spill.count;
        // Added in batches of up to 3, as a streaming check hands them on.
        for (let at = 0; at < file.findings.length; at += 3) spill.add(file.findings.slice(at, at + 3), file.locate, true);
        segments.push({ first, count: spill.count - first });
      }
      if (memoryChars < 1 << 30) assert.ok(fs.readdirSync(tmp).length <= (process.platform === 'win32' ? 1 : 0), 'the temporary file is unlinked once open');
      for (const batchSize of [1, 2, 256]) {
        const { events, seen } = replayAll(spill, segments, batchSize);
        assert.deepEqual(
          seen.map((s) => s.segment),
          FILES.map((_, i) => i),
          `every segment, empty ones included (memory ${memoryChars}, batch ${batchSize})`,
        );
        assert.equal(events.filter((e) => e.startsWith('begin')).length, FILES.length);
        for (const [i, file] of FILES.entries()) {
          const expected = expectedOf(file);
          assert.deepEqual(seen[i].findings.map(normal), expected.findings.map(normal), `${file.path} (memory ${memoryChars}, batch ${batchSize})`);
          assert.deepEqual(seen[i].located, expected.located, file.path);
        }
      }
      spill.close();
      spill.close();
    }
    assert.deepEqual(fs.readdirSync(tmp), [], 'nothing left behind');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('the temporary file holds no finding text in the clear', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spill-test-'));
  try {
    const spill = new FindingSpill(1, tmp);
    const auth = FILES.find((f) => f.path === 'auth')!;
    assert.ok(auth.findings.length > 0);
    spill.add(auth.findings, auth.locate, true);
    // The file is unlinked; read it through the descriptor the spill holds.
    const spool = (spill as unknown as { spool: EncryptedSpool }).spool;
    assert.ok(spool.fd !== null);
    const bytes = Buffer.alloc(spool.bytes);
    fs.readSync(spool.fd, bytes, 0, spool.bytes, 0);
    assert.ok(bytes.length > 100);
    const clear = bytes.toString('latin1');
    assert.ok(!clear.includes(auth.findings[0].rule) && !clear.includes(auth.findings[0].message.slice(0, 20)));
    spill.close();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('positions only when the text is not kept; no segments, no records', () => {
  const spill = new FindingSpill();
  const file = FILES.find((f) => f.findings.length > 0)!;
  spill.add(file.findings, { rangeOf: file.locate.rangeOf, textOf: () => assert.fail('text asked for') }, false);
  let located = 0;
  spill.replay([{ first: 0, count: spill.count }], {
    beginSegment: () => undefined,
    batch(findings, locate) {
      for (const f of findings) {
        assert.deepEqual(locate.rangeOf(f.span), file.locate.rangeOf(f.span));
        assert.throws(() => locate.textOf(f.span), /keepText/);
        located++;
      }
    },
    endSegment: () => undefined,
  });
  assert.equal(located, file.findings.length);
  const events: string[] = [];
  new FindingSpill().replay([], { beginSegment: () => events.push('b'), batch: () => events.push('x'), endSegment: () => events.push('e') });
  assert.deepEqual(events, []);
});

test('where no temporary file can be made, the findings stay in memory and still come back', () => {
  const spill = new FindingSpill(1, path.join(os.tmpdir(), 'no-such-folder-' + process.pid, 'deeper'));
  const file = FILES.find((f) => f.findings.length > 0)!;
  spill.add(file.findings, file.locate, false);
  const back: Finding[] = [];
  spill.replay([{ first: 0, count: spill.count }], { beginSegment: () => undefined, batch: (f) => back.push(...f), endSegment: () => undefined });
  assert.deepEqual(back.map(normal), file.findings.map(normal));
  spill.close();
});

test('EncryptedSpool: bytes read back equal, in blocks, from an unlinked file; closed, it starts empty', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-test-'));
  try {
    const spool = new EncryptedSpool(tmp);
    const parts = [Buffer.from('credentials AUTH PLAIN AGFsaWNl'), Buffer.alloc(3 << 20, 0x41), Buffer.from([0, 255, 128])];
    for (const p of parts) spool.append(p);
    if (process.platform !== 'win32') assert.deepEqual(fs.readdirSync(tmp), [], 'unlinked once open');
    const back: Buffer[] = [];
    spool.read((b) => back.push(Buffer.from(b)));
    assert.ok(back.length > 1, 'in blocks');
    assert.ok(Buffer.concat(back).equals(Buffer.concat(parts)));
    const raw = Buffer.alloc(64);
    fs.readSync(spool.fd!, raw, 0, 64, 0);
    assert.ok(!raw.toString('latin1').includes('AUTH'), 'encrypted on disk');
    spool.close();
    assert.equal(spool.bytes, 0);
    spool.read(() => assert.fail('nothing after close'));
    spool.append(Buffer.from('again'));
    const again: Buffer[] = [];
    spool.read((b) => again.push(Buffer.from(b)));
    assert.equal(Buffer.concat(again).toString(), 'again');
    spool.close();
    assert.deepEqual(fs.readdirSync(tmp), []);
    // Up to its memory limit nothing goes to disk.
    const held = new EncryptedSpool(tmp, 10);
    held.append(Buffer.from('0123456789'));
    assert.equal(held.fd, null);
    held.append(Buffer.from('x'));
    assert.notEqual(held.fd, null, 'past the limit');
    const all: Buffer[] = [];
    held.read((b) => all.push(Buffer.from(b)));
    assert.equal(Buffer.concat(all).toString(), '0123456789x');
    held.close();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
