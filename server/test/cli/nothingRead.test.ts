/**
 * `check` on a file of which nothing was read (no SMTP session, no TLS bytes) says so on stderr: "0
 * findings" alone would read as a clean bill. The report and the exit status are those of any file
 * without findings; --quiet leaves the note out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';
import { runInProcess } from './runInProcess';
import { ChunkedCheck } from '../../src/core/analysis/chunkedCheck';
import { DEFAULT_SETTINGS } from '../../src/core/rules/types';

const NOTE = /nothing checked: no SMTP session or TLS bytes found in a format smtptls reads/;

test('check: a file nothing was read from gets a note on stderr, not a report entry; a transcript gets none', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-nothing-'));
  try {
    const prose = path.join(dir, 'notes.txt');
    fs.writeFileSync(prose, 'The relay was slow on Monday.\nNothing here is a transcript.\n');
    const r = runInProcess(['check', '--format', 'json', prose]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), { files: [{ path: prose, diagnostics: [] }] });
    assert.match(r.stderr, NOTE);
    assert.ok(r.stderr.includes(`smtptls: ${prose}: `));
    assert.doesNotMatch(runInProcess(['check', '--quiet', prose]).stderr, NOTE);
    // A real session with no finding is checked: no note.
    const clean = runInProcess(['check', path.join(REPO, 'samples/openssl-tls13-clean.transcript')]);
    assert.equal(clean.code, 0);
    assert.doesNotMatch(clean.stderr, NOTE);
    // One of each: the note names the one.
    const both = runInProcess(['check', prose, path.join(REPO, 'samples/openssl-tls13-clean.transcript')]);
    assert.equal(both.stderr.match(new RegExp(NOTE.source, 'g'))?.length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ChunkedCheck counts the sessions its chunks read: 0 for prose, one per session otherwise', () => {
  const count = (text: string): number => {
    const c = new ChunkedCheck(DEFAULT_SETTINGS);
    c.push(text);
    return c.end().sessions;
  };
  assert.equal(count('Just a note.\nNothing more.\n'), 0);
  const session = fs.readFileSync(path.join(REPO, 'samples/openssl-tls13-clean.transcript'), 'utf8');
  assert.equal(count(session), 1);
  assert.equal(count(`${session}\n${session}`), 2);
});
