/**
 * What the key-exchange runs must give (server/test/fixtures/dh-groups/make-fixtures.sh, made again by the
 * live stage): tls-weak-dh-group on the 1024-bit group, from every output that shows it, at the words or
 * bytes that state it; nothing from the 2048-bit group, ECDHE, or Postfix (which names no TLS 1.2 key exchange).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { createBufferSource } from '../../src/core/capture/captureSource';
import { importCapture } from '../../src/core/capture/importCapture';
import { locatedFindings } from './mtaVerdictRuns';

const TEMP_KEY = 'tls-weak-dh-group warning: DH, 1024 bits';

export const DH_GROUP_RUNS: Readonly<Record<string, readonly string[]>> = {
  // -msg shows the ServerKeyExchange: the finding is on its dh_p bytes (checked apart: they are hex), not on `Server Temp Key:`.
  'dhe1024.msg.txt': ['dh_p'],
  'dhe1024.plain.txt': [TEMP_KEY],
  'dhe1024.brief.txt': [TEMP_KEY],
  'dhe1024.pcap': ['dh_p'],
  // tshark -V states p's length (and cuts p): the finding is on its words.
  'dhe1024.tshark-V.txt': ['tls-weak-dh-group warning: p Length: 128'],
  // -trace writes the ServerKeyExchange in words, the prime in full: the finding is on `dh_p (len=128)`.
  'dhe1024.trace.txt': ['tls-weak-dh-group warning: dh_p (len=128)'],
  'dhe2048.trace.txt': [],
  'ecdhe.trace.txt': [],
  // GnuTLS's description names the group: `(DHE-CUSTOM1024)`.
  'dhe1024.gnutls.txt': ['tls-weak-dh-group warning: DHE-CUSTOM1024'],
  'dhe2048.gnutls.txt': [],
  'ecdhe.gnutls.txt': [],
  'dhe2048.msg.txt': [],
  'dhe2048.tshark-V.txt': [],
  'ecdhe.tshark-V.txt': [],
  'dhe2048.plain.txt': [],
  'dhe2048.pcap': [],
  'ecdhe.msg.txt': [],
  'ecdhe.brief.txt': [],
  'ecdhe.pcap': [],
  'posttls-finger-dhe1024.txt': [],
  'postfix-dhe1024.log': [],
};

/** The text of a run's output: a capture imported as `smtptls import` writes it. */
export function readDhRun(dir: string, file: string): string {
  const bytes = readFileSync(join(dir, file));
  return file.endsWith('.pcap') ? importCapture(createBufferSource(new Uint8Array(bytes)), { name: file }).text : bytes.toString('utf8');
}

/** tshark's dh_p length in bytes of a run's ServerKeyExchange (its `frame;p_len;named_curve` line), or null. */
export function tsharkPLength(dir: string, name: string): number | null {
  const [line] = readFileSync(join(dir, `${name}.tshark.txt`), 'utf8').trim().split('\n');
  const p = line?.split(';')[1];
  return p ? Number(p) : null;
}

export function assertDhGroupRuns(dir: string): void {
  for (const [file, want] of Object.entries(DH_GROUP_RUNS)) {
    const text = readDhRun(dir, file);
    const analysis = analyzeDocument(text);
    const findings = analysis.findings.filter((f) => f.rule === 'tls-weak-dh-group');
    if (want[0] === 'dh_p') {
      assert.equal(findings.length, 1, file);
      assert.match(findings[0].message, /^ServerKeyExchange offers a 1024-bit Diffie-Hellman group \(dh_p of 128 bytes\)/, file);
      // The finding covers the 128 bytes of dh_p, as hex pairs in the text: tshark's p_len of the same handshake.
      const name = file.replace(/\.(msg\.txt|pcap)$/, '');
      assert.equal(tsharkPLength(dir, name), 128, file);
      const hex = text.slice(findings[0].span.start, findings[0].span.end).replace(/[^0-9a-fA-F]/g, '');
      assert.ok(hex.length >= 256, `${file}: ${hex.length} hex digits under the finding`);
    } else {
      assert.deepEqual(locatedFindings(text, findings), want, file);
    }
  }
  // The near misses are what they should be by tshark: a 256-byte dh_p, and X25519 (0x001d).
  assert.equal(tsharkPLength(dir, 'dhe2048'), 256);
  assert.match(readFileSync(join(dir, 'ecdhe.tshark.txt'), 'utf8'), /;0x001d$/m);
}
