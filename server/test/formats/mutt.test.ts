/**
 * Mutt's and NeoMutt's debug logs of their SMTP client (server/test/fixtures/mutt/make-fixtures.sh, against the mail lab):
 * the dialogue is the one Postfix's smtpd logged of the same connection; other connections in the log (IMAP, POP) are
 * passed over; a handshake that did not succeed ends the session's SMTP; TLS from the connection's start is not in the log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { matchSocketLine, muttMessageStart } from '../../src/core/formats/muttDebug';
import * as runs from '../helpers/muttRuns';
import { clientCommands } from '../helpers/clientRuns';

const DIR = path.join(__dirname, '..', 'fixtures', 'mutt');

test('Mutt and NeoMutt over STARTTLS: `N>` the client\'s, `N<` the server\'s, the dialogue Postfix logged, on the port of `Connected to`', () => {
  runs.checkMuttStarttls(DIR);
});

test('Mutt at debug level 5: the message text after the 354', () => {
  runs.checkMuttMessageText(DIR);
});

test('Mutt and NeoMutt AUTH inside TLS: the base64 NeoMutt logs is masked', () => {
  runs.checkMuttAuth(DIR);
});

test('Mutt and NeoMutt, handshakes that did not succeed: the session\'s SMTP ends at the 220', () => {
  runs.checkMuttFailures(DIR);
});

test('Mutt over smtps:// on a port other than 465: AUTH reads as before TLS, and the finding says the log cannot show TLS from the start', () => {
  runs.checkMuttSmtps(DIR);
  // The same dialogue as C:/S: lines, whose format would show TLS: the finding without that caveat.
  const text = readFileSync(path.join(DIR, 'mutt-smtps.txt'), 'utf8');
  const lines = text.split(/\r?\n/).flatMap((l) => {
    const m = /^\[[^\]]*\] 4([<>]) (.*)$/.exec(l);
    return m ? [`${m[1] === '>' ? 'C' : 'S'}: ${m[2]}`] : [];
  });
  const plain = analyzeDocument(`# smtptls-port: 2533\n${lines.join('\n')}`);
  assert.deepEqual(plain.findings.map((f) => f.rule), ['auth-before-tls']);
  assert.doesNotMatch(plain.findings[0].message, /smtps/);
});

test('muttMessageStart and matchSocketLine: Mutt\'s time, NeoMutt\'s level and function; a descriptor and an arrow', () => {
  const at = (s: string) => muttMessageStart(s, 0, s.length);
  assert.equal(at('[2026-11-30 22:20:21] 4< 220 mx'), 22);
  assert.equal(at('[2026-11-30 22:21:51]<2> mutt_socket_write_d() 4> EHLO x'), 47);
  for (const other of ['[2026-11-30 22:20:21]', '[2026-11-30T22:20:21] 4< 220', '[2026-11-30 22:20:21]<2> not a function 4> x', '[30-Nov-2026 22:20:21] x']) assert.equal(at(other), -1, other);
  const sock = (s: string) => matchSocketLine(s, 0, s.length);
  assert.deepEqual(sock('4< 220 mx'), { fd: '4', written: false, text: 3 });
  assert.deepEqual(sock('12> EHLO x'), { fd: '12', written: true, text: 4 });
  assert.equal(sock('4<220'), null);
  assert.equal(sock('Connected to x:25 on fd=4'), null);
});

test('An IMAP connection in the same log is passed over; the SMTP one is read on its own descriptor', () => {
  const t = (m: string) => `[2026-11-30 22:20:21] ${m}`;
  const text = [
    t('Mutt/2.2.12 (2023-09-09) debugging at level 2'),
    t('Connected to imap.example.test:993 on fd=3'),
    t('3< * OK [CAPABILITY IMAP4rev1] ready'),
    t('3> a0000 CAPABILITY'),
    t('Connected to 127.0.0.1:587 on fd=5'),
    t('5< 220 mx ESMTP'),
    t('3< a0000 OK done'),
    t('5> EHLO c'),
    t('5< 250 mx'),
    t('5> QUIT'),
    '',
  ].join('\n');
  const r = readTranscript(text);
  assert.equal(r.format, 'mutt');
  const smtp = r.sessions.filter((s) => s.events.some((e) => e.kind === 'command'));
  assert.equal(smtp.length, 1);
  assert.equal(smtp[0].port, 587);
  assert.deepEqual(clientCommands(smtp[0]), ['EHLO c', 'QUIT']);
});
