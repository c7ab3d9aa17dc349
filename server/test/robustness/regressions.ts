/**
 * Fuzz regression fixtures: a shrunk counterexample of a fuzz target, saved as JSON
 * under server/test/fixtures/fuzz-regressions/ by `npm run fuzz` and replayed by
 * fuzzRegressions.test.ts, which requires every one of them to pass: a new fixture
 * fails the unit tests until the bug behind it is fixed. Byte arrays are written as
 * {"$bytes": "<hex>"}.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';

export const REGRESSIONS_DIR = path.join(REPO, 'server/test/fixtures/fuzz-regressions');

export interface RegressionFixture {
  readonly target: string;
  /** What failed, as first seen. */
  readonly error: string;
  /** fast-check seed and shrink path that reproduce it with the generator of that time. */
  readonly seed: number;
  readonly path: string;
  readonly input: unknown;
  /** What the failure was and what fixed it (added by hand once fixed). */
  readonly note?: string;
}

export function encodeInput(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('hex') };
  if (Array.isArray(value)) return value.map(encodeInput);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeInput(v)]));
  return value;
}

export function decodeInput(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeInput);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.$bytes === 'string' && Object.keys(o).length === 1) return new Uint8Array(Buffer.from(o.$bytes, 'hex'));
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decodeInput(v)]));
  }
  return value;
}

/** Writes a fixture named after its target and input; returns the path. One already saved for that input is kept as it is (its note too). */
export function saveRegression(fixture: RegressionFixture, dir = REGRESSIONS_DIR): string {
  const input = encodeInput(fixture.input);
  const hash = crypto.createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 12);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${fixture.target}-${hash}.json`);
  if (fs.existsSync(file)) return file;
  const body: RegressionFixture = { ...fixture, input };
  fs.writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}

export function listRegressions(dir = REGRESSIONS_DIR): { file: string; fixture: RegressionFixture }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: path.join(dir, f), fixture: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as RegressionFixture }));
}
