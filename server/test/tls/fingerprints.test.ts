/**
 * JA3 / JA3S / JA4 checked against independent answers:
 * - JA3 and JA3S of every corpus capture as tshark 4.0.17 computes them
 *   (ja3-tshark.json, with the command that produced it);
 * - JA4 of the worked example in FoxIO's JA4 specification
 *   (technical_details/JA4.md: t13d1516h2_8daaf6152771_e5627efa2ab1);
 * - JA3 and JA4 of a published browser fingerprint report (a Chrome 143
 *   ClientHello: ja3_text, ja3_hash, ja4 and ja4_r given together), rebuilt
 *   here as a ClientHello with GREASE values added, which must not count.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ClientHelloMessage, ServerHelloMessage } from '../../src/core/model/tls';
import { decodeTlsStream } from '../../src/core/tls/decodeStream';
import { ja3String, ja3sString, ja4Raw } from '../../src/core/tls/fingerprints';
import { ascii, cat, clientHelloRecord, ext, list16, u16, u8, vec16, vec8 } from './helpers';

const SESSIONS = join(__dirname, '..', 'fixtures', 'corpus', 'sessions');
const tshark = JSON.parse(readFileSync(join(__dirname, 'ja3-tshark.json'), 'utf8')) as {
  sessions: Record<string, { ja3?: string; ja3_full?: string; ja3s?: string; ja3s_full?: string }>;
};

for (const [session, want] of Object.entries(tshark.sessions)) {
  test(`${session}: JA3/JA3S equal tshark's`, () => {
    const ch = decodeTlsStream(new Uint8Array(readFileSync(join(SESSIONS, session, 'clienthello.bin')))).records[0].messages[0] as ClientHelloMessage;
    if (want.ja3) {
      assert.equal(ch.form, 'tls');
      assert.equal(ja3String({ ...ch, cipherSuites: ch.cipherSuites ?? [], extensions: ch.extensions.map((e) => e.type), supportedGroups: ch.supportedGroups ?? null, ecPointFormats: ch.ecPointFormats ?? null, signatureAlgorithms: ch.signatureAlgorithms ?? null }), want.ja3_full);
      assert.equal(ch.ja3, want.ja3);
    } else {
      assert.equal(ch.form, 'sslv2', 'tshark skips only SSLv2-format hellos');
    }
    const sh = decodeTlsStream(new Uint8Array(readFileSync(join(SESSIONS, session, 'server-first-record.bin')))).records[0].messages[0] as ServerHelloMessage;
    assert.equal(ja3sString(sh.version, sh.cipherSuite, sh.extensions.map((e) => e.type)), want.ja3s_full);
    assert.equal(sh.ja3s, want.ja3s);
  });
}

/** SNI extension data: server_name_list<1..> of {name_type 0 = host_name, HostName<1..>} (RFC 6066 §3). */
const sni = (host: string): Uint8Array => vec16(cat(u8(0), vec16(ascii(host))));
/** ALPN extension data: protocol_name_list of ProtocolName<1..255> (RFC 7301 §3.1). */
const alpn = (...ids: string[]): Uint8Array => vec16(...ids.map((id) => vec8(ascii(id))));

test('JA4 of the FoxIO specification example', () => {
  const suites = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
  const sigs = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];
  // Extensions in the example's wire order: 001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015.
  const extensions = [
    ext(0x001b, vec8(u16(2))), // compress_certificate: brotli
    ext(0x0000, sni('example.com')),
    ext(0x0033, vec16()), // key_share: empty client_shares
    ext(0x0010, alpn('h2', 'http/1.1')),
    ext(0x4469, vec16()), // application_settings (non-IANA)
    ext(0x0017), // extended_master_secret
    ext(0x002d, vec8(u8(1))), // psk_key_exchange_modes: psk_dhe_ke
    ext(0x000d, vec16(list16(sigs))),
    ext(0x0005, Uint8Array.of(1, 0, 0, 0, 0)), // status_request: ocsp, empty lists
    ext(0x0023), // session_ticket
    ext(0x0012), // signed_certificate_timestamp
    ext(0x002b, vec8(list16([0x0304, 0x0303]))),
    ext(0xff01, vec8()), // renegotiation_info
    ext(0x000b, vec8(u8(0))),
    ext(0x000a, vec16(list16([0x001d, 0x0017, 0x0018]))),
    ext(0x0015, new Uint8Array(10)), // padding
  ];
  const decoded = decodeTlsStream(clientHelloRecord({ suites, extensions }));
  assert.deepEqual(decoded.problems, []);
  const ch = decoded.records[0].messages[0] as ClientHelloMessage;
  assert.equal(
    ja4Raw({ ...ch, cipherSuites: ch.cipherSuites ?? [], extensions: ch.extensions.map((e) => e.type), supportedGroups: null, ecPointFormats: null, signatureAlgorithms: ch.signatureAlgorithms ?? null }),
    't13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601',
  );
  assert.equal(ch.ja4, 't13d1516h2_8daaf6152771_e5627efa2ab1');
});

test('JA3 and JA4 of a published Chrome ClientHello, GREASE left out', () => {
  // ja3_text: 771,<15 suites>,45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0
  const suites = [0x0a0a /* GREASE */, 4865, 4866, 4867, 49195, 49199, 49196, 49200, 52393, 52392, 49171, 49172, 156, 157, 47, 53];
  const sigs = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];
  const extensions = [
    ext(0x3a3a), // GREASE extension, empty
    ext(45, vec8(u8(1))),
    ext(51, vec16(cat(u16(0x2a2a), vec16(u8(0))), cat(u16(29), vec16(new Uint8Array(32))))), // key_share with a GREASE share
    ext(16, alpn('h2', 'http/1.1')),
    ext(65037, Uint8Array.of(0, 0, 1, 0, 1, 0x7b, 0, 0, 0, 0)), // encrypted_client_hello (opaque here)
    ext(23),
    ext(17613, vec16(vec8(ascii('h2')))), // application_settings (non-IANA)
    ext(0, sni('tls.browserleaks.com')),
    ext(11, vec8(u8(0))),
    ext(10, vec16(list16([0x2a2a /* GREASE */, 4588, 29, 23, 24]))),
    ext(43, vec8(list16([0x5a5a /* GREASE */, 0x0304, 0x0303]))),
    ext(65281, vec8()),
    ext(35),
    ext(18),
    ext(5, Uint8Array.of(1, 0, 0, 0, 0)),
    ext(13, vec16(list16(sigs))),
    ext(27, vec8(u16(2))),
    ext(0x4a4a, u8(0)), // GREASE extension with one byte
  ];
  const decoded = decodeTlsStream(clientHelloRecord({ suites, extensions }));
  assert.deepEqual(decoded.problems, []);
  const ch = decoded.records[0].messages[0] as ClientHelloMessage;
  assert.equal(ch.serverName, 'tls.browserleaks.com');
  assert.deepEqual(ch.alpn, ['h2', 'http/1.1']);
  assert.equal(ch.ja3, '98487aa16281980e7d1120d399efb6a4');
  assert.equal(ch.ja4, 't13d1516h2_8daaf6152771_d8a2da3f94cd');
  // GREASE values are kept as data and named.
  assert.equal(ch.cipherSuites?.[0], 0x0a0a);
  assert.equal(ch.extensions[0].name, 'GREASE (0x3a3a)');
});

test('JA4 ALPN characters: non-alphanumeric ends use the hex digits, none gives 00', () => {
  const make = (ids: string[] | null): string => {
    const extensions = ids ? [ext(16, alpn(...ids))] : [];
    return (decodeTlsStream(clientHelloRecord({ extensions })).records[0].messages[0] as ClientHelloMessage).ja4.slice(8, 10);
  };
  assert.equal(make(['http/1.1']), 'h1');
  assert.equal(make(['h2']), 'h2');
  assert.equal(make(null), '00');
  assert.equal(make(['\xab']), 'ab'); // 0xAB -> hex "ab" -> a, b
  assert.equal(make(['\xab\xcd']), 'ad');
  assert.equal(make(['0\xab']), '3b');
});

test('JA4 cipher hash of the OpenSSL 3 default suite list agrees with a published curl fingerprint', () => {
  // curl on OpenSSL 3 sends the same 31 suites as openssl s_client; a published
  // curl JA4 reads t13d3112h2_e8f1e7e78f70_..., so the suite hash must be e8f1e7e78f70.
  const ch = decodeTlsStream(new Uint8Array(readFileSync(join(SESSIONS, 'curl-v-starttls', 'clienthello.bin')))).records[0].messages[0] as ClientHelloMessage;
  assert.equal(ch.ja4.split('_')[1], 'e8f1e7e78f70');
  assert.equal(ch.ja4.slice(0, 6), 't13i31');
});

test('memo: made on first read only, then a plain enumerable value', async () => {
  const { memo } = await import('../../src/core/tls/fingerprints');
  let made = 0;
  const o = {
    get fp(): string {
      return memo(this, 'fp', () => `v${++made}`);
    },
  };
  assert.equal(made, 0, 'nothing made before a read');
  assert.equal(o.fp, 'v1');
  assert.equal(o.fp, 'v1');
  assert.equal(made, 1);
  assert.deepEqual(Object.getOwnPropertyDescriptor(o, 'fp'), { value: 'v1', enumerable: true, configurable: true, writable: false });
  assert.equal(JSON.stringify(o), '{"fp":"v1"}');
});
