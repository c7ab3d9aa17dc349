/**
 * gnutls-cli -V (server/test/fixtures/gnutls-cli/README.md): the dialogue before TLS its STARTTLS helper
 * prints is the capture's (tshark's SMTP fields); the certificate it prints is consumed, its bare-hex key
 * identifiers no hex dump (they were read as one: a false tls-malformed); the reply lines it read inside
 * TLS start with the one printed after `- Received[N]: `. With --resume, each connection is a session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { importBytes, readFixture } from '../capture/helpers';

const DIR = path.join(__dirname, '..', 'fixtures', 'gnutls-cli');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');

test('gnutls-cli -V: the dialogue before TLS is the capture\'s, no finding, the replies inside TLS complete', () => {
  const text = read('gnutls-cli-V.txt');
  assert.match(text, /^\t+[0-9a-f]{40}$/m, 'a bare-hex key identifier in the certificate print');
  const a = analyzeDocument(text);
  assert.equal(a.transcript.format, 'gnutls-debug');
  assert.deepEqual(a.findings.map((f) => `${f.rule}: ${f.message}`), []);
  assert.equal(a.sessions.length, 1);
  const events = a.sessions[0].session.events;
  const clear = events.filter((e) => (e.kind === 'command' || e.kind === 'reply') && !e.inTls);
  // tshark -Y smtp -T fields -e tcp.srcport -e smtp.req.command -e smtp.response.code (four characters of a verb).
  const theirs = read('gnutls-cli-V.tshark-smtp.txt').split('\n').filter(Boolean).map((l) => {
    const [port, verb, code] = l.split('|');
    return port === '25' ? `S ${code}` : `C ${verb}`;
  });
  assert.deepEqual(clear.map((e) => (e.kind === 'command' ? `C ${e.verb.slice(0, 4)}` : e.kind === 'reply' ? `S ${e.code}` : '')), theirs);
  const inTls = events.filter((e) => e.kind === 'reply' && e.inTls);
  assert.deepEqual(inTls.map((e) => (e.kind === 'reply' ? [e.code, e.lines[0]] : [])), [[250, 'mx.example.test'], [221, '2.0.0 Bye']]);
  assert.equal(inTls[0].kind === 'reply' && inTls[0].lines.length, 10);
});

test('gnutls-cli --resume: the second connection, resuming the first one\'s session, is a session of its own, as in the capture', () => {
  const text = read('gnutls-cli-resume.txt');
  assert.match(text, /^- Connecting again- trying to resume previous session$/m);
  const a = analyzeDocument(text);
  assert.equal(a.transcript.format, 'gnutls-debug');
  // The capture of the run holds two TCP connections (tshark: two 220 greetings from port 25 to two client ports).
  const clientPorts = new Set(read('gnutls-cli-resume.tshark-smtp.txt').split('\n').filter(Boolean).map((l) => l.split('|')[0]).filter((p) => p !== '25'));
  assert.equal(clientPorts.size, 2);
  assert.equal(importBytes(readFixture(path.join(DIR, 'gnutls-cli-resume.pcap'))).sessionCount, 2);
  assert.equal(a.sessions.length, 2);
  // Each states its negotiation; the dialogue gnutls-cli shows belongs to the second.
  assert.ok(a.sessions.every((s) => s.session.events.some((e) => e.kind === 'stated' && e.subject === 'negotiated')));
  assert.equal(a.sessions[0].session.events.filter((e) => e.kind === 'reply').length, 0);
  assert.deepEqual(a.sessions[1].session.events.flatMap((e) => (e.kind === 'reply' ? [e.code] : [])), [250, 221]);
  assert.deepEqual(a.findings, []);
});

test('gnutls-cli -d 4 --resume: the second connection\'s debug lines (before stdout\'s "- Connecting again") start its session, by their GnuTLS session (HSK[0x...]); each connection states its own ClientHello, as the capture\'s two connections hold one each', () => {
  const text = read('gnutls-cli-d4-resume.txt');
  const pointers = [...new Set(text.match(/HSK\[0x[0-9a-f]+\]/g))];
  assert.equal(pointers.length, 2);
  // stderr first: the second session's first debug line comes before stdout's line for it.
  assert.ok(text.indexOf(pointers[1]) < text.indexOf('- Connecting again- trying to resume previous session'));
  const a = analyzeDocument(text);
  assert.equal(importBytes(readFixture(path.join(DIR, 'gnutls-cli-d4-resume.pcap'))).sessionCount, 2);
  assert.equal(a.sessions.length, 2);
  const hellos = a.sessions.map((s) => s.session.events.filter((e) => e.kind === 'stated' && e.subject === 'client-hello'));
  assert.deepEqual(hellos.map((h) => h.length), [1, 1]);
  assert.ok(a.sessions[0].session.endLine < a.sessions[1].session.startLine);
  // The second session is the second pointer's, from its first line on.
  assert.equal(a.sessions[1].session.startLine, text.slice(0, text.indexOf(pointers[1])).split('\n').length - 1);
  assert.deepEqual(a.sessions[1].session.events.flatMap((e) => (e.kind === 'reply' ? [e.code] : [])), [250, 221]);
  assert.deepEqual(a.findings, []);
});
