/**
 * Every corpus session's first client flight (clienthello.bin) and first
 * server record (server-first-record.bin) decoded and compared field by field
 * with tshark 4.0.17's dissection of the same capture (facts.json).
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ClientHelloMessage, ServerHelloMessage, TlsRecord } from '../../src/core/model/tls';
import { decodeTlsStream } from '../../src/core/tls/decodeStream';
import { lookupCipherSpec } from '../../src/core/tls/registry/sslv2CipherKinds';
import { lookupCipherSuite } from '../../src/core/tls/registry/cipherSuites';
import { lookupExtensionType } from '../../src/core/tls/registry/extensionTypes';
import { lookupCompressionMethod } from '../../src/core/tls/registry/supportedGroups';
import { describeVersion } from '../../src/core/tls/registry/versions';
import { findSpanViolation } from './helpers';

const SESSIONS = join(__dirname, '..', 'fixtures', 'corpus', 'sessions');

interface TlsFact {
  readonly dir: 'C' | 'S';
  readonly kind: string;
  readonly type?: string;
  readonly record_version?: string;
  readonly record_length?: string;
  readonly length?: string;
  readonly version?: string | null;
  readonly cipher_suites?: string[];
  readonly cipher_specs?: string[];
  readonly cipher_suites_length?: string | null;
  readonly comp_methods?: string[];
  readonly extensions?: string[];
  readonly sni?: string[];
  readonly supported_versions?: string[];
  readonly session_id_length?: string | null;
  readonly challenge_length?: string;
}

/** "TLS_AES_128_GCM_SHA256 (0x1301)" -> [name, value]; "supported_groups (10)" -> [name, 10]. */
function split(fact: string): [string, number] {
  const m = /^(.*) \((0x[0-9a-fA-F]+|\d+)\)$/.exec(fact);
  assert.ok(m, `unparseable fact ${fact}`);
  return [m[1], Number(m[2])];
}

const hex = (v: number, digits: number): string => `0x${v.toString(16).padStart(digits, '0')}`;

const sessions = readdirSync(SESSIONS).filter((s) => existsSync(join(SESSIONS, s, 'facts.json')));

test('the corpus has sessions to compare', () => {
  assert.ok(sessions.length >= 11, `only ${sessions.length} sessions`);
});

for (const session of sessions) {
  const facts = JSON.parse(readFileSync(join(SESSIONS, session, 'facts.json'), 'utf8')) as { tls: TlsFact[] };
  const clientFact = facts.tls.find((t) => t.dir === 'C' && (t.type === 'Client Hello (1)'));
  const serverFact = facts.tls.find((t) => t.dir === 'S' && t.type === 'Server Hello (2)');

  test(`${session}: ClientHello matches tshark`, () => {
    assert.ok(clientFact, 'tshark saw a ClientHello');
    const bytes = new Uint8Array(readFileSync(join(SESSIONS, session, 'clienthello.bin')));
    const decoded = decodeTlsStream(bytes, { direction: 'client' });
    assert.deepEqual(decoded.problems, []);
    assert.equal(findSpanViolation(decoded, bytes.length), null);
    const rec = decoded.records[0] as TlsRecord;
    const hello = rec.messages[0] as ClientHelloMessage;
    assert.equal(hello.name, 'ClientHello');
    assert.equal(hello.incomplete, undefined);
    assert.equal(rec.length, Number(clientFact.record_length));
    assert.equal(describeVersion(hello.version), clientFact.version);
    assert.deepEqual(bytes.subarray(hello.versionSpan.start, hello.versionSpan.end), Uint8Array.of(hello.version >> 8, hello.version & 0xff));
    assert.equal(hello.sessionId.length / 2, Number(clientFact.session_id_length ?? 0));

    if (clientFact.kind === 'sslv2') {
      assert.equal(rec.format, 'sslv2');
      assert.equal(hello.form, 'sslv2');
      const expected = (clientFact.cipher_specs ?? []).map(split);
      assert.deepEqual(hello.cipherSpecs, expected.map(([, v]) => v));
      assert.deepEqual(hello.cipherSpecs?.map((v) => `${lookupCipherSpec(v).name} (${hex(v, 6)})`), clientFact.cipher_specs);
      assert.equal((hello.challenge ?? '').length / 2, Number(clientFact.challenge_length));
      assert.deepEqual(hello.compressionMethods, []);
      assert.deepEqual(hello.extensions, []);
      return;
    }
    assert.equal(rec.format, 'tls');
    assert.equal(describeVersion(rec.version), clientFact.record_version);
    assert.equal(hello.end - hello.start - 4, Number(clientFact.length));
    // Cipher suites: values and names, in order.
    assert.deepEqual(hello.cipherSuites, (clientFact.cipher_suites ?? []).map((s) => split(s)[1]));
    assert.deepEqual(hello.cipherSuites?.map((v) => `${lookupCipherSuite(v).name} (${hex(v, 4)})`), clientFact.cipher_suites);
    if (clientFact.cipher_suites_length) assert.equal((hello.cipherSuites?.length ?? 0) * 2, Number(clientFact.cipher_suites_length));
    assert.deepEqual(hello.compressionMethods.map((v) => `${lookupCompressionMethod(v).name} (${v})`), clientFact.comp_methods);
    assert.deepEqual(hello.extensions.map((e) => `${e.name} (${e.type})`), clientFact.extensions);
    assert.deepEqual(hello.extensions.map((e) => `${lookupExtensionType(e.type).name} (${e.type})`), clientFact.extensions);
    const sv = clientFact.supported_versions ?? [];
    assert.deepEqual(hello.supportedVersions?.map(describeVersion) ?? [], sv);
    if (sv.length === 0) assert.equal(hello.supportedVersions, null);
    assert.equal(hello.serverName, (clientFact.sni ?? [])[0] ?? null);
    assert.match(hello.ja3, /^[0-9a-f]{32}$/);
    assert.match(hello.ja4, /^t(1[0-3]|s3)[di]\d{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}$/);
  });

  test(`${session}: ServerHello matches tshark`, () => {
    assert.ok(serverFact, 'tshark saw a ServerHello');
    const bytes = new Uint8Array(readFileSync(join(SESSIONS, session, 'server-first-record.bin')));
    const decoded = decodeTlsStream(bytes, { direction: 'server' });
    assert.deepEqual(decoded.problems, []);
    assert.equal(findSpanViolation(decoded, bytes.length), null);
    const rec = decoded.records[0] as TlsRecord;
    assert.equal(describeVersion(rec.version), serverFact.record_version);
    assert.equal(rec.length, Number(serverFact.record_length));
    const hello = rec.messages[0] as ServerHelloMessage;
    assert.equal(hello.name, 'ServerHello');
    assert.equal(hello.end - hello.start - 4, Number(serverFact.length));
    assert.equal(describeVersion(hello.version), serverFact.version);
    assert.deepEqual(bytes.subarray(hello.versionSpan.start, hello.versionSpan.end), Uint8Array.of(hello.version >> 8, hello.version & 0xff));
    assert.deepEqual([`${lookupCipherSuite(hello.cipherSuite).name} (${hex(hello.cipherSuite, 4)})`], serverFact.cipher_suites);
    assert.deepEqual([`${lookupCompressionMethod(hello.compressionMethod).name} (${hello.compressionMethod})`], serverFact.comp_methods);
    assert.deepEqual(hello.extensions.map((e) => `${e.name} (${e.type})`), serverFact.extensions);
    assert.equal(hello.sessionId.length / 2, Number(serverFact.session_id_length ?? 0));
    const sv = serverFact.supported_versions ?? [];
    assert.equal(hello.selectedVersion === null ? undefined : describeVersion(hello.selectedVersion), sv[0]);
    assert.match(hello.ja3s, /^[0-9a-f]{32}$/);
  });
}
