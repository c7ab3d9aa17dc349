/** markdownToPlainText: the hovers' Markdown as plain text, checked on the hovers of real samples. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import { markdownToPlainText } from '../../src/core/features/plainText';
import { readSample } from '../helpers/samples';
import { AUTH_LINES, AUTH_SECRETS, offsetOf } from './helpers';

test('a cipher-suite hover: title, path, aligned rows, meaning, links with their addresses', () => {
  const text = readSample('ssl3-hello.transcript');
  const h = computeHover(analyzeDocument(text), offsetOf(text, '00 35\nC: 00 2f') + 3);
  assert.ok(h);
  const plain = markdownToPlainText(h.markdown).split('\n');
  assert.equal(plain[0], 'cipher_suites[0] — TLS_RSA_WITH_AES_256_CBC_SHA');
  assert.equal(plain[2], 'Record › Handshake › ClientHello › cipher_suites[0]');
  assert.deepEqual(plain.slice(4, 8), [
    'Raw        00 35',
    'Value      0x0035 (53)',
    'IANA name  TLS_RSA_WITH_AES_256_CBC_SHA (IANA registered)',
    'Position   bytes 46–47 (2) of the client → server stream',
  ]);
  const last = plain[plain.length - 1];
  assert.match(last, /^RFC 5246 §7\.4\.1\.2 <https:\/\/www\.rfc-editor\.org\/rfc\/rfc5246#section-7\.4\.1\.2> · /);
});

test('every hover of the samples: no Markdown left, the same words, links kept as addresses', () => {
  let hovers = 0;
  for (const name of ['ssl3-hello.transcript', 'sslv2-hello-tls10.transcript', 'swaks-starttls.transcript', 'openssl-tls13-clean.transcript']) {
    const text = readSample(name);
    const a = analyzeDocument(text);
    let last = '';
    for (let at = 0; at < text.length; at++) {
      const h = computeHover(a, at);
      if (!h || h.markdown === last) continue;
      last = h.markdown;
      hovers++;
      const plain = markdownToPlainText(h.markdown);
      assert.doesNotMatch(plain, /\*\*|^\||^\|?:?--|\\[_*`|[\]<>\\]/m, `${name}@${at}:\n${plain}`);
      for (const m of h.markdown.matchAll(/\]\((https:[^)\s]+)\)/g)) assert.ok(plain.includes(`<${m[1]}>`), `${name}@${at}: link ${m[1]}`);
      // Words survive: every word of three letters or more of the Markdown, escapes and stars removed, is in the text.
      const words = h.markdown.replace(/\\(.)/g, '$1').replace(/[*`|]/g, ' ').match(/[A-Za-z]{3,}/g) ?? [];
      for (const w of words) assert.ok(plain.includes(w), `${name}@${at}: "${w}" lost:\n${plain}`);
    }
  }
  assert.ok(hovers > 100, `${hovers} distinct hovers`);
});

test('the AUTH hover stays masked as plain text', () => {
  const text = AUTH_LINES.join('\n') + '\n';
  const h = computeHover(analyzeDocument(text), offsetOf(text, 'AGFsaWNl') + 2);
  assert.ok(h);
  const plain = markdownToPlainText(h.markdown);
  assert.match(plain, /^AUTH credentials \(base64, masked here\)/);
  for (const s of AUTH_SECRETS) assert.ok(!plain.includes(s), s);
});

test('the Markdown the hovers write, piece by piece', () => {
  const cases: [string, string][] = [
    ['**bold** and *emphasis*', 'bold and emphasis'],
    ['`code | with \\| pipe`', 'code | with | pipe'],
    ['TLS\\_RSA\\_WITH \\*star\\* \\[x\\] a\\\\b', 'TLS_RSA_WITH *star* [x] a\\b'],
    ['see [RFC 5321 §4.2](https://www.rfc-editor.org/rfc/rfc5321#section-4.2) · [IANA](https://iana.org/x)', 'see RFC 5321 §4.2 <https://www.rfc-editor.org/rfc/rfc5321#section-4.2> · IANA <https://iana.org/x>'],
    ['cipher_suites[1] and [not a link] and [x](no url) [y]()', 'cipher_suites[1] and [not a link] and [x](no url) [y]()'],
    ['[[a](u)', '[a <u>'],
    ['unclosed `code', 'unclosed `code'],
    ['| | |\n|:--|:--|\n| Raw | `00 2f` |\n| IANA name | x |\n\nafter', 'Raw        00 2f\nIANA name  x\n\nafter'],
    ['| only |', 'only'],
    ['', ''],
  ];
  for (const [md, plain] of cases) assert.equal(markdownToPlainText(md), plain, md);
});

test('brackets and backticks in any number: the output is the input without its escapes, each line read once', () => {
  const line = '['.repeat(5000) + '`'.repeat(3) + ']('.repeat(5000) + '\\'.repeat(10);
  const plain = markdownToPlainText(line);
  assert.equal(plain.length <= line.length, true);
  assert.ok(plain.startsWith('['.repeat(5000)));
});
