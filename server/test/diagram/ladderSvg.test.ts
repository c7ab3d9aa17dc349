/** The ladder diagram on the real samples: one arrow per event, labels, findings, STARTTLS, escaping, masking, size. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, type Analysis } from '../../src/core/analysis/analyzeDocument';
import { buildLadder } from '../../src/core/diagram/ladder';
import { EVENT_ROW_HEIGHT, LADDER_WIDTH, renderLadderSvg } from '../../src/core/diagram/ladderSvg';
import { drawSessionDiagram, findSessionIndexAt } from '../../src/core/diagram/sessionDiagram';
import { expectedRules, listSamples, readSample } from '../helpers/samples';
import { allElements, hasClass, parseXml, textOf, type XmlElement } from './svgTree';

function draw(text: string, session = 0): { analysis: Analysis; svg: string; root: XmlElement; events: XmlElement[] } {
  const analysis = analyzeDocument(text);
  const { svg } = drawSessionDiagram(analysis, session, { title: 'test' });
  const root = parseXml(svg);
  const events = allElements(root).filter((e) => e.name === 'g' && hasClass(e, 'event'));
  return { analysis, svg, root, events };
}

function labelOf(g: XmlElement): string {
  const label = g.children.find((c) => c.name === 'text' && hasClass(c, 'label'));
  assert.ok(label, 'event without label');
  return textOf(label);
}

/**
 * Events counted straight from the model, independently of the ladder code: every
 * command (a run of message-content lines counts once), reply and gap, and per
 * decoded record its messages (or the record itself when it has none).
 */
function countModelEvents(analysis: Analysis, session: number): number {
  const s = analysis.sessions[session];
  let n = 0;
  s.session.events.forEach((e, i) => {
    if (e.kind === 'command') {
      const prev = s.session.events[i - 1];
      if (!(e.dataLine && prev?.kind === 'command' && prev.dataLine)) n++;
    } else if (e.kind === 'reply' || e.kind === 'gap') n++;
  });
  for (const t of s.tlsEvents) for (const r of t.records) n += Math.max(1, r.messages.length);
  // Bytes out of which not one record came (plain text sent as hex) are still one arrow.
  for (const st of s.streams) if (st.decoded.records.length === 0 && st.view.bytes.length > 0) n++;
  return n;
}

test('every sample: one <g class="event"> per event, each with a <title>, a label and exactly one arrow with a marker', () => {
  for (const name of listSamples()) {
    const { analysis, events, root, svg } = draw(readSample(name));
    if (analysis.sessions.length === 0) {
      // A format no reader knows yet: the drawing says so.
      assert.match(svg, /No SMTP or TLS session found/, name);
      continue;
    }
    assert.equal(events.length, countModelEvents(analysis, 0), name);
    assert.equal(events.length, buildLadder(analysis, 0).events.length, name);
    const arrows = allElements(root).filter((e) => e.name === 'line' && hasClass(e, 'arrow'));
    assert.equal(arrows.length, events.length, `${name}: arrows`);
    for (const g of events) {
      assert.equal(g.children[0].name, 'title', `${name}: title first`);
      assert.ok(textOf(g.children[0]).length > 0);
      const lines = g.children.filter((c) => c.name === 'line');
      assert.equal(lines.length, 1, name);
      assert.ok(lines[0].attrs['marker-end']?.startsWith('url(#'), `${name}: marker`);
      assert.ok(labelOf(g).trim().length > 0, name);
      assert.match(g.attrs['data-line'], /^\d+$/);
    }
    // Rows go strictly down the page, a fixed row apart at least.
    const ys = events.map((g) => Number(g.children.find((c) => c.name === 'line')!.attrs.y1));
    for (let k = 1; k < ys.length; k++) assert.ok(ys[k] - ys[k - 1] >= EVENT_ROW_HEIGHT, `${name}: row ${k}`);
  }
});

test('sslv2-hello-ssl3: the labels tell the story, the hello carries the finding in colour with its rule id', () => {
  const { events, root } = draw(readSample('sslv2-hello-ssl3.transcript'));
  assert.deepEqual(events.map(labelOf), [
    '220 mx.example.test ESMTP Postfix (Debian/GNU)',
    'EHLO client.example.test',
    events.map(labelOf)[2],
    'STARTTLS',
    '220 2.0.0 Ready to start TLS',
    'ClientHello (SSLv2-compatible) SSL 3.0 · 6 cipher specs',
    'Alert fatal handshake_failure',
  ]);
  assert.deepEqual(
    events.map((g) => g.attrs.class.split(' ').find((c) => c.startsWith('from-'))),
    ['from-server', 'from-client', 'from-server', 'from-client', 'from-server', 'from-client', 'from-server'],
  );
  const hello = events[5];
  assert.ok(hasClass(hello, 'sev-error'));
  assert.equal(hello.attrs['data-line'], '24');
  assert.match(labelOf(events[2]), /^250 mx\.example\.test \+10 lines: PIPELINING SIZE VRFY ETRN .*…$/);
  assert.equal(hello.children.find((c) => c.name === 'line')!.attrs['marker-end'], 'url(#ladder-head-error)');
  const finding = hello.children.find((c) => c.name === 'text' && hasClass(c, 'finding'));
  assert.ok(finding && textOf(finding).includes('tls-hello-version-below-3.1'));
  assert.match(textOf(hello.children[0]), /error tls-hello-version-below-3\.1: SSLv2-compatible ClientHello after STARTTLS offers SSL 3\.0/);
  // Other arrows are coloured exactly when they carry a finding mark.
  for (const g of events) assert.equal(hasClass(g, 'sev-none'), !g.children.some((c) => hasClass(c, 'finding')), labelOf(g));
  for (const g of events.slice(0, 5)) assert.ok(hasClass(g, 'sev-none'), labelOf(g));
  // The full reply is in the tooltip, the label is cut to fit.
  assert.match(textOf(events[2].children[0]), /250 CHUNKING/);
  // STARTTLS boundary after the 220, the TLS phase shaded from the hello on.
  const boundary = allElements(root).find((e) => e.name === 'g' && hasClass(e, 'starttls'));
  assert.ok(boundary && textOf(boundary).includes('STARTTLS accepted: 220 2.0.0 Ready to start TLS'));
  const phase = allElements(root).find((e) => e.name === 'rect' && hasClass(e, 'tls-phase'));
  assert.ok(phase);
  const helloY = Number(hello.children.find((c) => c.name === 'line')!.attrs.y1);
  const replyY = Number(events[4].children.find((c) => c.name === 'line')!.attrs.y1);
  assert.ok(Number(phase.attrs.y) < helloY && Number(phase.attrs.y) > replyY, 'shading starts between the 220 and the hello');
});

test('every finding of every sample is on an arrow in colour with its rule id, none left unplaced', () => {
  let checked = 0;
  for (const name of listSamples()) {
    const text = readSample(name);
    const { analysis, events } = draw(text);
    if (analysis.sessions.length === 0) continue;
    assert.deepEqual(buildLadder(analysis, 0).unplaced, [], name);
    const marks = (g: XmlElement) => g.children.filter((c) => hasClass(c, 'finding')).map(textOf).join(' ');
    const shown = events.map(marks).join(' ');
    const fired = new Set(analysis.findings.map((f) => f.rule));
    for (const rule of fired) {
      // The id is written next to the arrow (or counted as "+N" when more than fit, and then in the title).
      const g = events.find((e) => marks(e).includes(rule)) ?? events.find((e) => /\+\d+$/.test(marks(e)) && textOf(e.children[0]).includes(rule));
      assert.ok(g, `${name}: ${rule} not on any arrow`);
      const severity = analysis.findings.find((f) => f.rule === rule)!.severity;
      assert.ok(['error', 'warning', 'information', 'hint'].some((s) => hasClass(g, `sev-${s}`)), `${name}: ${rule} not coloured`);
      assert.ok(textOf(g.children[0]).includes(`${severity} ${rule}`), `${name}: ${rule} not in the title`);
      checked++;
    }
    // The rules the sample was recorded to show, where they fire, are among them.
    for (const rule of expectedRules(text) ?? []) if (fired.has(rule)) assert.ok(shown.includes(rule), `${name}: ${rule}`);
    if (fired.size === 0) assert.equal(shown.trim(), '', name);
  }
  assert.ok(checked >= 8, `only ${checked} findings seen`);
});

test('clean TLS 1.3 openssl session: versions and suite in the labels, no finding, everything inside TLS', () => {
  const { events, root } = draw(readSample('openssl-tls13-clean.transcript'));
  const labels = events.map(labelOf);
  assert.ok(labels.some((l) => /^ClientHello TLS 1\.2 · versions TLS 1\.3 … TLS 1\.0 \(4\)/.test(l)), labels.join('\n'));
  assert.ok(labels.includes('ServerHello TLS 1.3 · TLS_AES_256_GCM_SHA384'), labels.join('\n'));
  assert.ok(labels.includes('Alert warning close_notify'));
  assert.ok(labels.includes('221 2.0.0 Bye'));
  assert.ok(events.every((g) => hasClass(g, 'sev-none')));
  assert.equal(allElements(root).filter((e) => e.name === 'rect' && hasClass(e, 'tls-phase')).length, 1);
});

test('refused STARTTLS and a hello sent before the reply are drawn as such', () => {
  const refused = draw(readSample('tls-hello-after-refused-starttls.transcript'));
  assert.match(textOf(allElements(refused.root).find((e) => hasClass(e, 'starttls'))!), /STARTTLS not accepted: 501 /);
  const early = draw(readSample('tls-hello-without-220.transcript'));
  assert.match(textOf(allElements(early.root).find((e) => hasClass(e, 'starttls'))!), /came before its reply/);
});

test('labels and titles are XML-escaped; control characters cannot break the document', () => {
  const text = [
    'S: 220 <mx> & "friends" \'here\'',
    'C: EHLO <script>alert("x")</script>&amp;',
    'S: 250 ok\u0001\u0007',
    'C: MAIL FROM:<a&b@example.test>',
    'S: 250 2.1.0 Ok',
  ].join('\n');
  const { svg, events } = draw(text);
  assert.ok(!svg.includes('<script'), 'raw markup leaked');
  assert.ok(svg.includes('EHLO &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;'));
  assert.deepEqual(events.map(labelOf), [
    '220 <mx> & "friends" \'here\'',
    'EHLO <script>alert("x")</script>&amp;',
    '250 ok\ufffd\ufffd',
    'MAIL FROM:<a&b@example.test>',
    '250 2.1.0 Ok',
  ]);
});

test('AUTH: initial responses and SASL continuation lines never reach the drawing', () => {
  const secrets = ['AGFsaWNlAHMzY3IzdA==', 'YWxpY2U=', 'czNjcjN0', 'dXNlciBhYmNkZWY='];
  const text = [
    'S: 220 mx.example.test ESMTP',
    'C: EHLO client.example.test',
    'S: 250-mx.example.test',
    'S: 250 AUTH PLAIN LOGIN CRAM-MD5',
    `C: AUTH PLAIN ${secrets[0]}`,
    'S: 535 5.7.8 Error: authentication failed',
    'C: AUTH LOGIN',
    'S: 334 VXNlcm5hbWU6',
    `C: ${secrets[1]}`,
    'S: 334 UGFzc3dvcmQ6',
    `C: ${secrets[2]}`,
    'S: 235 2.7.0 Authentication successful',
    'C: AUTH CRAM-MD5',
    'S: 334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+',
    `C: ${secrets[3]}`,
    'S: 235 2.7.0 Authentication successful',
    'C: QUIT',
    'S: 221 2.0.0 Bye',
  ].join('\n');
  const { svg, events } = draw(text);
  for (const s of secrets) assert.ok(!svg.includes(s), `credential ${s} in the SVG`);
  const labels = events.map(labelOf);
  assert.equal(labels[3], 'AUTH PLAIN ‹credentials hidden, 20 chars›');
  assert.equal(labels[5], 'AUTH LOGIN');
  assert.equal(labels[6], '334 VXNlcm5hbWU6', 'server challenges are not credentials');
  assert.equal(labels[7], '‹credentials hidden, 8 chars›');
  assert.equal(labels[9], '‹credentials hidden, 8 chars›');
  assert.equal(labels[13], '‹credentials hidden, 16 chars›');
  // After the exchange ends, commands are shown again.
  assert.equal(labels[15], 'QUIT');
});

test('bytes that are not TLS: one arrow with a printable preview, masked when they carry AUTH', () => {
  const hex = (t: string) => 'C: ' + Array.from(Buffer.from(t, 'latin1'), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const plain = draw(['S: 220 mx ESMTP', 'C: STARTTLS', hex('RSET\r\n'), 'S: 220 2.0.0 Ready'].join('\n'));
  assert.equal(labelOf(plain.events[2]), '6 bytes, not TLS: "RSET␍␊"');
  assert.ok(plain.svg.includes('6 bytes, not TLS: &quot;RSET␍␊&quot;'));
  // Plain text and AUTH in one write: what comes before AUTH is shown, the rest is not.
  const secret = 'AGJvYgBzM2NyM3Q=';
  const auth = draw(['S: 220 mx ESMTP', hex(`RSET\r\nAUTH PLAIN ${secret}\r\n`), 'S: 250 ok', 'S: 235 ok'].join('\n'));
  assert.ok(!auth.svg.includes(secret), 'credential sent as hex bytes leaked');
  assert.equal(labelOf(auth.events[1]), '35 bytes, not TLS: "RSET␍␊AUTH ‹credentials hidden, 25 chars›"');
});

test('200 events: fixed rows, the drawing just gets taller', () => {
  const lines = ['S: 220 mx.example.test ESMTP'];
  for (let i = 0; i < 99; i++) lines.push(`C: NOOP ${i}`, 'S: 250 2.0.0 Ok');
  lines.push('C: QUIT');
  const { root, events } = draw(lines.join('\n'));
  assert.equal(events.length, 200);
  const ys = events.map((g) => Number(g.children.find((c) => c.name === 'line')!.attrs.y1));
  for (let k = 1; k < ys.length; k++) assert.equal(ys[k] - ys[k - 1], EVENT_ROW_HEIGHT);
  const height = Number(root.attrs.height);
  assert.ok(height >= 200 * EVENT_ROW_HEIGHT && height < 200 * EVENT_ROW_HEIGHT + 200, String(height));
  assert.equal(root.attrs.viewBox, `0 0 ${root.attrs.width} ${height}`);
  assert.equal(Number(root.attrs.width), LADDER_WIDTH, 'width does not grow with the events');
});

test('message content after DATA is one arrow; the text of the message is not drawn', () => {
  const text = [
    'S: 220 mx ESMTP',
    'C: DATA',
    'S: 354 End data with <CR><LF>.<CR><LF>',
    'C: Subject: private matters',
    'C: ',
    'C: the body',
    'C: .',
    'S: 250 2.0.0 Ok: queued',
  ].join('\n');
  const { svg, events, analysis } = draw(text);
  const dataLines = analysis.sessions[0].session.events.filter((e) => e.kind === 'command' && e.dataLine).length;
  if (dataLines > 0) {
    assert.equal(events.length, 5);
    assert.equal(labelOf(events[3]), `message content (${dataLines} lines)`);
    assert.ok(!svg.includes('private matters'));
  } else {
    assert.equal(events.length, 5 + 3, 'without message-content marking every line is a command');
  }
});

test('theme: colours are CSS variables over --vscode-* with light defaults; the style can be left out for a webview', () => {
  const analysis = analyzeDocument(readSample('ssl3-hello.transcript'));
  const withStyle = drawSessionDiagram(analysis, 0);
  assert.match(withStyle.svg, /<style>[\s\S]*--ladder-bg: var\(--vscode-editor-background, #ffffff\)/);
  assert.match(withStyle.svg, /--ladder-error: var\(--vscode-editorError-foreground, #[0-9a-f]{6}\)/);
  const bare = drawSessionDiagram(analysis, 0, { embedStyle: false });
  assert.ok(!bare.svg.includes('<style'));
  assert.ok(bare.css.includes('.ladder .sev-error .arrow'));
  assert.ok(!/style="/.test(withStyle.svg), 'no inline style attributes (a strict CSP would block them)');
  assert.deepEqual(
    bare.events,
    buildLadder(analysis, 0).events.map((e) => ({ id: e.id, line: e.line })),
  );
});

test('no session, a session index past the end, garbage and binary input: a well-formed drawing, never an exception', () => {
  const empty = draw('');
  assert.equal(empty.events.length, 0);
  assert.match(empty.svg, /No SMTP or TLS session found/);
  assert.equal(parseXml(renderLadderSvg(buildLadder(analyzeDocument(readSample('ssl3-hello.transcript')), 7))).name, 'svg');
  let binary = '';
  for (let i = 0; i < 4096; i++) binary += String.fromCharCode((i * 7919) % 256);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const alphabet = 'CS: 0123456789abcdef<>&"\'\n\r\t\u0000\ud800AUTH STARTTLS 220 250-';
  for (const text of [binary, Array.from({ length: 20000 }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('')]) {
    const analysis = analyzeDocument(text);
    for (let s = 0; s < Math.max(1, analysis.sessions.length); s++) parseXml(drawSessionDiagram(analysis, s).svg);
  }
});

test('findSessionIndexAt: the session around a line, else the one before, else the first', () => {
  const text = ['S: 220 a ESMTP', 'C: QUIT', 'S: 221 bye', '', '# next capture', '', 'S: 220 b ESMTP', 'C: QUIT', 'S: 221 bye'].join('\n');
  const analysis = analyzeDocument(text);
  if (analysis.sessions.length < 2) return; // the reader keeps these as one session: nothing to choose
  const second = analysis.sessions[1].session.startLine;
  assert.equal(findSessionIndexAt(analysis, 0), 0);
  assert.equal(findSessionIndexAt(analysis, second), 1);
  assert.equal(findSessionIndexAt(analysis, 10_000), analysis.sessions.length - 1);
});

test('a failed handshake told in words: the alert is one arrow from its sender, named as a decoded alert is, the tool\'s words as its detail (real postfix log stating it twice)', () => {
  const text = readFileSync(path.join(__dirname, '..', 'fixtures', 'stated-alerts', 'sclient-state-unknown-ca.postfix.log'), 'utf8');
  const ladder = buildLadder(analyzeDocument(text), 0);
  const stated = ladder.events.filter((e) => e.kind === 'stated');
  assert.deepEqual(stated.map((e) => [e.from, e.label, e.detail]), [['client', 'Alert: fatal unknown_ca (48) (stated by the tool)', 'SSL3 alert read:fatal:unknown CA']]);
  // gnutls-cli's alert without its level line is still drawn, with no level.
  const gnutls = readFileSync(path.join(__dirname, '..', 'fixtures', 'stated-alerts', 'gnutls-cli-no-shared-cipher.txt'), 'utf8').split('\n').slice(1).join('\n');
  assert.deepEqual(buildLadder(analyzeDocument(gnutls), 0).events.filter((e) => e.kind === 'stated').map((e) => [e.from, e.label]), [['server', 'Alert: handshake_failure (40) (stated by the tool)']]);
});
