/**
 * Postfix as the SMTP client: postfix/smtp's dialogue lines and its `TLS connection established to
 * host[addr]:port` line name the server's port, which the reader took for part of the host before
 * (no session at all). Fixture: server/test/fixtures/postfix-client (two real deliveries to Exim,
 * TLS 1.3 then TLS 1.0; the capture's ServerHellos, as tshark reads them, are the oracle). The IPv6,
 * grep-cut and pasted forms are crafted from the real lines (documented at each).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { cipherSuiteByName } from '../../src/core/tls/registry/cipherNames';
import type { StatedEvent } from '../../src/core/model/transcript';

const DIR = path.join(__dirname, '..', 'fixtures', 'postfix-client');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');
const LOG = read('postfix-smtp-client.log');
const lineOf = (needle: string): string => LOG.split('\n').find((l) => l.includes(needle))!;

test('postfix/smtp: each delivery is a session on the server port it names, its dialogue read the client\'s way round', () => {
  const t = readTranscript(LOG);
  assert.equal(t.format, 'postfix-log');
  assert.equal(t.sessions.length, 2);
  for (const s of t.sessions) {
    assert.equal(s.port, 2530);
    const smtp = s.events.filter((e) => e.kind === 'command' || e.kind === 'reply');
    assert.deepEqual(smtp.slice(0, 2).map((e) => (e.kind === 'reply' ? `S ${e.code}` : `C ${e.kind === 'command' ? e.verb : ''}`)), ['S 220', 'C EHLO']);
    assert.ok(smtp.some((e) => e.kind === 'command' && e.verb === 'STARTTLS'));
    // After the handshake the commands are inside TLS.
    const mail = smtp.find((e) => e.kind === 'command' && e.verb === 'MAIL');
    assert.ok(mail && mail.kind === 'command' && mail.inTls);
  }
});

test('postfix/smtp: the negotiated version and suite it states are the capture\'s, and TLS 1.0 is judged on its word', () => {
  const stated = readTranscript(LOG).sessions.map((s) => s.events.find((e) => e.kind === 'stated' && e.subject === 'negotiated') as StatedEvent);
  const oracle = read('relay.tshark-server-hellos.txt').trim().split('\n').map((l) => l.split('\t'));
  assert.equal(oracle.length, 2);
  stated.forEach((e, k) => {
    const [, version, supported, suite] = oracle[k];
    assert.equal(e.version, parseInt(supported || version, 16));
    assert.equal(cipherSuiteByName(e.cipherName!), parseInt(suite, 16));
  });
  const found = analyzeDocument(LOG).findings.map((f) => [f.rule, f.severity, LOG.slice(f.span.start, f.span.end)]);
  assert.deepEqual(found, [['tls-deprecated-version', 'warning', 'TLSv1']]);
  // Exim, on the other side, states the same versions for the same two messages.
  assert.deepEqual([...read('exim-mainlog-relay.log').matchAll(/ X=(TLS[0-9.]+):/g)].map((m) => m[1]), ['TLS1.3', 'TLS1.0']);
});

test('postfix: the established line alone (a log cut with grep), IPv6 addresses, and the port that sets the severity', () => {
  // The two real client lines, as `grep 'TLS connection established'` leaves them, with one PID:
  // two connections (TLS is established once per connection), not one session stating two versions.
  const a = lineOf('established to 127.0.0.1[127.0.0.1]:2530: TLSv1.3');
  const b = lineOf('established to 127.0.0.1[127.0.0.1]:2530: TLSv1 ').replace(/smtp\[[0-9]+\]/, a.match(/smtp\[[0-9]+\]/)![0]);
  const grepped = `${a}\n${b}\n`;
  const t = readTranscript(grepped);
  assert.deepEqual(t.sessions.map((s) => [s.port, s.events.filter((e) => e.kind === 'stated').length]), [[2530, 1], [2530, 1]]);
  assert.deepEqual(analyzeDocument(grepped).findings.map((f) => f.rule), ['tls-deprecated-version']);
  // An anonymous suite (the stated-cipher fixture's) to an IPv6 server: on 587 an error, on 25 a warning.
  const anon = (to: string) => b.replace(/to 127\.0\.0\.1\[127\.0\.0\.1\]:2530: TLSv1 with cipher ECDHE-RSA-AES256-SHA/, `to ${to}: TLSv1.2 with cipher ADH-AES256-GCM-SHA384`);
  assert.deepEqual(analyzeDocument(anon('mx.example.test[2001:db8::25]:587')).findings.map((f) => [f.rule, f.severity]), [['tls-weak-cipher-selected', 'error']]);
  assert.deepEqual(analyzeDocument(anon('mx.example.test[2001:db8::25]:25')).findings.map((f) => [f.rule, f.severity]), [['tls-weak-cipher-selected', 'warning']]);
  // smtpd's line from an IPv6 client: the port is the one postfix/smtpd stands for (25).
  const smtpd = 'Nov 29 17:46:43 mx postfix/smtpd[28629]: Anonymous TLS connection established from unknown[2001:db8::1]: TLSv1.2 with cipher ADH-AES256-GCM-SHA384 (256/256 bits)\n';
  assert.deepEqual(readTranscript(smtpd).sessions.map((s) => s.port), [25]);
  assert.deepEqual(analyzeDocument(smtpd).findings.map((f) => [f.rule, f.severity]), [['tls-weak-cipher-selected', 'warning']]);
});

test('postfix/smtp dialogue pasted without the syslog prefix: the port says it is the client\'s, so `<` lines are replies', () => {
  const pasted = LOG.split('\n')
    .filter((l) => / postfix\/smtp\[[0-9]+\]: [<>] /.test(l))
    .slice(0, 3)
    .map((l) => l.replace(/^.* postfix\/smtp\[[0-9]+\]: /, ''))
    .join('\n');
  assert.match(pasted, /^< 127\.0\.0\.1\[127\.0\.0\.1\]:2530: 220 /);
  const [s] = readTranscript(pasted).sessions;
  assert.equal(s.port, 2530);
  assert.deepEqual(s.events.map((e) => e.kind), ['reply', 'command', 'reply']);
  // smtpd's own lines name no port: `<` is a command there, as before.
  const smtpd = readTranscript('< localhost[127.0.0.1]: EHLO client.example.test\n> localhost[127.0.0.1]: 250 mx.example.test\n').sessions[0];
  assert.deepEqual(smtpd.events.map((e) => e.kind), ['command', 'reply']);
});

test('postfix/smtp: one process delivering twice (it logs no end of a connection): the next greeting starts the next session, on its port', () => {
  // The fixture's two deliveries, the second given the first one's process id.
  const pids = [...new Set([...LOG.matchAll(/postfix\/smtp\[([0-9]+)\]/g)].map((m) => m[1]))];
  assert.equal(pids.length, 2);
  const one = LOG.replace(new RegExp(`postfix/smtp\\[${pids[1]}\\]`, 'g'), `postfix/smtp[${pids[0]}]`);
  const t = readTranscript(one);
  assert.deepEqual(t.sessions.map((s) => [s.port, s.events.filter((e) => e.kind === 'stated').length, s.events.find((e) => e.kind === 'reply')?.kind === 'reply']), [[2530, 1, true], [2530, 1, true]]);
  assert.deepEqual(analyzeDocument(one).findings.map((f) => f.rule), ['tls-deprecated-version']);
});

test('postfix smtpd dialogue pasted with the client\'s port (smtpd_client_port_logging): `<` lines stay commands, the port is not the server\'s', () => {
  const s = readTranscript('< unknown[192.0.2.1]:54321: EHLO client.example.test\n> unknown[192.0.2.1]:54321: 250 mx.example.test\n').sessions[0];
  assert.deepEqual(s.events.map((e) => e.kind), ['command', 'reply']);
  assert.equal(s.port, null);
});


test('postfix/smtp with RFC 3339 timestamps: each delivery is dated by its greeting\'s line, and a multi-line greeting stays one reply', () => {
  const at = (t: string): string => `2026-12-01T${t}.000001+01:00 mx postfix/smtp[8004]: `;
  const text = [
    `${at('09:00:00')}< 127.0.0.1[127.0.0.1]:25: 220-mx.one.test ESMTP`,
    `${at('09:00:00')}< 127.0.0.1[127.0.0.1]:25: 220 second line of the greeting`,
    `${at('09:00:01')}> 127.0.0.1[127.0.0.1]:25: EHLO mx.example.test`,
    `${at('09:00:01')}< 127.0.0.1[127.0.0.1]:25: 250 mx.one.test`,
    `${at('09:00:02')}> 127.0.0.1[127.0.0.1]:25: QUIT`,
    `${at('09:05:00')}< 127.0.0.1[127.0.0.1]:2525: 220 mx.two.test ESMTP`,
    `${at('09:05:01')}> 127.0.0.1[127.0.0.1]:2525: EHLO mx.example.test`,
  ].join('\n');
  const sessions = readTranscript(text).sessions;
  assert.equal(sessions.length, 2);
  const dated = sessions.map((s) => s.events.filter((e) => e.kind === 'note' && e.note === 'session-time').map((e) => (e.kind === 'note' ? [e.line, new Date(e.time!).toISOString()] : [])));
  assert.deepEqual(dated, [[[0, '2026-12-01T08:00:00.000Z']], [[5, '2026-12-01T08:05:00.000Z']]]);
  const greeting = sessions[0].events.find((e) => e.kind === 'reply');
  assert.deepEqual(greeting?.kind === 'reply' ? greeting.lines : [], ['mx.one.test ESMTP', 'second line of the greeting']);
  assert.deepEqual(analyzeDocument(text).findings.filter((f) => f.rule === 'smtp-reply-syntax'), []);
});
