/**
 * Crafted vectors: bytes written by hand, each byte explained, for cases no
 * modern stack sends (SSLv2-compatible and SSL 3.0 hellos) and for every kind
 * of framing error the decoder must point at exactly.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ClientHelloMessage, OtherHandshakeMessage, ServerHelloMessage, TlsRecord } from '../../src/core/model/tls';
import { decodeDecryptedContent, decodeRecordHeaderOnly, decodeTlsStream } from '../../src/core/tls/decodeStream';
import { HELLO_RETRY_REQUEST_RANDOM } from '../../src/core/tls/serverHello';
import {
  ascii,
  cat,
  clientHelloBody,
  clientHelloRecord,
  ext,
  fieldAt,
  findSpanViolation,
  handshake,
  hex,
  list16,
  record,
  u16,
  u8,
  vec16,
  vec24,
  vec8,
} from './helpers';

const CHALLENGE = '00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f';

const first = (bytes: Uint8Array): { rec: TlsRecord; hello: ClientHelloMessage } => {
  const decoded = decodeTlsStream(bytes);
  const rec = decoded.records[0];
  return { rec, hello: rec.messages[0] as ClientHelloMessage };
};

test('SSLv2-compatible CLIENT-HELLO offering SSL 2.0 (0x0002)', () => {
  const bytes = hex(`
    80 1f     // SSLv2 record header: high bit set, record length 0x1f = 31
    01        // msg_type 1 = CLIENT-HELLO
    00 02     // version 0x0002 = SSL 2.0
    00 06     // cipher_spec_length 6 = two 3-byte cipher specs
    00 00     // session_id_length 0
    00 10     // challenge_length 16
    01 00 80  // SSL2_RC4_128_WITH_MD5
    07 00 c0  // SSL2_DES_192_EDE3_CBC_WITH_MD5
    ${CHALLENGE} // challenge (16 bytes)
  `);
  const decoded = decodeTlsStream(bytes);
  assert.deepEqual(decoded.problems, []);
  const rec = decoded.records[0];
  const hello = rec.messages[0] as ClientHelloMessage;
  assert.equal(rec.format, 'sslv2');
  assert.equal(rec.version, 0x0002);
  assert.equal(rec.length, 31);
  assert.equal(hello.form, 'sslv2');
  assert.equal(hello.version, 0x0002);
  assert.deepEqual(hello.versionSpan, { start: 3, end: 5 });
  assert.deepEqual(hello.cipherSpecs, [0x010080, 0x0700c0]);
  assert.equal(hello.cipherSuites, undefined);
  assert.equal(hello.challenge, '000102030405060708090a0b0c0d0e0f');
  assert.equal(hello.random, '00'.repeat(16) + '000102030405060708090a0b0c0d0e0f');
  assert.deepEqual(hello.compressionMethods, []);
  assert.deepEqual(hello.extensions, []);
  const specs = fieldAt(rec.field, 'ClientHello', 'cipher_specs');
  assert.deepEqual(specs?.children?.map((c) => c.display), ['SSL2_RC4_128_WITH_MD5', 'SSL2_DES_192_EDE3_CBC_WITH_MD5']);
  assert.equal(findSpanViolation(decoded, bytes.length), null);
});

test('SSLv2-compatible CLIENT-HELLO offering SSL 3.0 (0x0300), TLS suites as {0x00, suite}', () => {
  const bytes = hex(`
    80 25     // record length 0x25 = 37
    01        // CLIENT-HELLO
    03 00     // version 0x0300 = SSL 3.0
    00 0c     // cipher_spec_length 12 = four specs
    00 00     // session_id_length 0
    00 10     // challenge_length 16
    00 00 0a  // TLS_RSA_WITH_3DES_EDE_CBC_SHA
    00 00 2f  // TLS_RSA_WITH_AES_128_CBC_SHA
    01 00 80  // SSL2_RC4_128_WITH_MD5
    00 00 ff  // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
    ${CHALLENGE}
  `);
  const decoded = decodeTlsStream(bytes);
  assert.deepEqual(decoded.problems, []);
  const hello = decoded.records[0].messages[0] as ClientHelloMessage;
  assert.equal(hello.version, 0x0300);
  assert.deepEqual(hello.cipherSpecs, [0x00000a, 0x00002f, 0x010080, 0x0000ff]);
  const names = fieldAt(decoded.records[0].field, 'ClientHello', 'cipher_specs')?.children?.map((c) => c.display);
  assert.deepEqual(names, ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'SSL2_RC4_128_WITH_MD5', 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV']);
  assert.match(hello.ja3, /^[0-9a-f]{32}$/);
  assert.match(hello.ja4, /^ts3i0400/);
});

test('SSLv2 CLIENT-HELLO whose cipher_spec_length is not a multiple of 3', () => {
  const bytes = hex(`
    80 1e     // record length 30
    01 03 01  // CLIENT-HELLO, version TLS 1.0
    00 05     // cipher_spec_length 5: not a multiple of 3
    00 00 00 10 // session_id_length 0, challenge_length 16
    00 00 2f 00 00 // one spec and two stray bytes
    ${CHALLENGE}
  `);
  const decoded = decodeTlsStream(bytes);
  assert.equal(decoded.problems.length, 1);
  assert.equal(decoded.problems[0].kind, 'malformed');
  assert.equal(decoded.problems[0].message, 'cipher_spec_length 5 is not a multiple of 3');
  assert.deepEqual([decoded.problems[0].start, decoded.problems[0].end], [5, 7]);
});

const SSL3_HELLO = `
  16        // content_type 22 = handshake
  03 00     // record version 0x0300 = SSL 3.0
  00 2f     // record length 47
  01        // msg_type 1 = client_hello
  00 00 2b  // handshake length 43
  03 00     // client_version 0x0300 = SSL 3.0
  ${'aa '.repeat(32)} // random (32 bytes)
  00        // session_id length 0
  00 04     // cipher_suites length 4
  00 0a     // TLS_RSA_WITH_3DES_EDE_CBC_SHA
  00 2f     // TLS_RSA_WITH_AES_128_CBC_SHA
  01        // compression_methods length 1
  00        // null
            // no extensions block (RFC 5246 §7.4.1.2 allows it)
`;

test('SSL 3.0-format ClientHello with an empty session_id and no extensions', () => {
  const bytes = hex(SSL3_HELLO);
  const decoded = decodeTlsStream(bytes);
  assert.deepEqual(decoded.problems, []);
  const { rec, hello } = first(bytes);
  assert.equal(rec.version, 0x0300);
  assert.equal(hello.form, 'tls');
  assert.equal(hello.version, 0x0300);
  assert.deepEqual(hello.versionSpan, { start: 9, end: 11 });
  assert.equal(hello.sessionId, '');
  assert.deepEqual(hello.cipherSuites, [0x000a, 0x002f]);
  assert.deepEqual(hello.compressionMethods, [0]);
  assert.deepEqual(hello.extensions, []);
  assert.equal(hello.supportedVersions, null);
  assert.equal(hello.ja4.slice(0, 10), 'ts3i020000');
});

test('SSL 3.0-format ClientHello with a 32-byte session_id (a resumption attempt)', () => {
  const bytes = hex(`
    16 03 00 00 4f  // handshake record, SSL 3.0, length 79
    01 00 00 4b     // client_hello, length 75
    03 00           // client_version SSL 3.0
    ${'aa '.repeat(32)} // random
    20              // session_id length 32
    ${'5e '.repeat(32)} // session_id
    00 04 00 0a 00 2f // two suites
    01 00           // compression: null
  `);
  const decoded = decodeTlsStream(bytes);
  assert.deepEqual(decoded.problems, []);
  const hello = decoded.records[0].messages[0] as ClientHelloMessage;
  assert.equal(hello.version, 0x0300);
  assert.equal(hello.sessionId, '5e'.repeat(32));
  const sid = fieldAt(decoded.records[0].field, 'Handshake', 'ClientHello', 'session_id');
  assert.deepEqual([sid?.start, sid?.end], [44, 76]);
});

test('TLS 1.2 ClientHello in a record of version 0x0300 is legal', () => {
  const bytes = clientHelloRecord({ version: 0x0303, extensions: [ext(0x000d, vec16(list16([0x0401, 0x0201])))] }, 0x0300);
  const decoded = decodeTlsStream(bytes);
  assert.deepEqual(decoded.problems, []);
  assert.equal(decoded.records[0].version, 0x0300);
  const hello = decoded.records[0].messages[0] as ClientHelloMessage;
  assert.equal(hello.version, 0x0303);
  assert.deepEqual(hello.signatureAlgorithms, [0x0401, 0x0201]);
});

test('duplicate extension: malformed at the second extension_type', () => {
  const bytes = clientHelloRecord({ extensions: [ext(23), ext(0xff01, vec8()), ext(23)] });
  const decoded = decodeTlsStream(bytes);
  const hello = decoded.records[0].messages[0] as ClientHelloMessage;
  assert.equal(decoded.problems.length, 1);
  const p = decoded.problems[0];
  assert.equal(p.kind, 'malformed');
  assert.equal(p.message, 'extension extended_master_secret appears twice');
  assert.deepEqual([p.start, p.end], [hello.extensions[2].start, hello.extensions[2].start + 2]);
  assert.deepEqual(hello.extensions.map((e) => e.type), [23, 0xff01, 23]);
});

test('odd cipher_suites length: malformed at the length field, the whole suites kept', () => {
  const bytes = hex(`
    16 03 01 00 2e  // handshake record, TLS 1.0, length 46
    01 00 00 2a     // client_hello, length 42
    03 03           // client_version TLS 1.2
    ${'11 '.repeat(32)} // random
    00              // session_id empty
    00 03           // cipher_suites length 3: odd          <- bytes 44-45
    13 01 00        // TLS_AES_128_GCM_SHA256 and one stray byte
    01 00           // compression: null
  `);
  const decoded = decodeTlsStream(bytes);
  assert.equal(decoded.problems.length, 1);
  const p = decoded.problems[0];
  assert.equal(p.kind, 'malformed');
  assert.equal(p.message, 'cipher_suites length 3 is odd');
  assert.deepEqual([p.start, p.end], [44, 46]);
  const hello = decoded.records[0].messages[0] as ClientHelloMessage;
  assert.deepEqual(hello.cipherSuites, [0x1301]);
  assert.deepEqual(hello.compressionMethods, [0]);
});

test('trailing bytes inside the ClientHello: malformed at the handshake length', () => {
  const body = cat(clientHelloBody({ extensions: [ext(23)] }), Uint8Array.of(0xde, 0xad));
  const bytes = record(22, 0x0301, handshake(1, body));
  const decoded = decodeTlsStream(bytes);
  assert.equal(decoded.problems.length, 1);
  assert.equal(decoded.problems[0].message, '2 trailing bytes after the end of ClientHello');
  assert.deepEqual([decoded.problems[0].start, decoded.problems[0].end], [6, 9]);
});

test('trailing bytes inside an extension: malformed at extension_data_length', () => {
  // supported_versions: versions<2..254> = [0x0304], then one extra byte 0x00.
  const bytes = clientHelloRecord({ extensions: [ext(43, cat(vec8(u16(0x0304)), u8(0)))] });
  const decoded = decodeTlsStream(bytes);
  const hello = decoded.records[0].messages[0] as ClientHelloMessage;
  assert.equal(decoded.problems.length, 1);
  assert.equal(decoded.problems[0].message, '1 trailing byte after the end of extension supported_versions');
  assert.deepEqual([decoded.problems[0].start, decoded.problems[0].end], [hello.extensions[0].start + 2, hello.extensions[0].start + 4]);
  assert.deepEqual(hello.supportedVersions, [0x0304]);
});

test('bytes after the last handshake message of a record: malformed', () => {
  const bytes = record(22, 0x0301, cat(handshake(1, clientHelloBody()), Uint8Array.of(0, 0)));
  const decoded = decodeTlsStream(bytes);
  assert.equal(decoded.problems.length, 1);
  assert.equal(decoded.problems[0].kind, 'malformed');
  assert.match(decoded.problems[0].message, /2 bytes after the last handshake message/);
  assert.deepEqual([decoded.problems[0].start, decoded.problems[0].end], [bytes.length - 2, bytes.length]);
});

test('an extension longer than the extensions block: malformed with both numbers', () => {
  const extensions = hex(`
    00 10        // extensions length 16
    00 00        // extension_type server_name
    00 28        // extension_data length 40, but only 12 bytes remain   <- the offending field
    00 0a 00 00 07 65 78 61 6d 70 6c 65 // 12 bytes
  `);
  const body = cat(clientHelloBody({ extensions: null }), extensions);
  const bytes = record(22, 0x0301, handshake(1, body));
  const decoded = decodeTlsStream(bytes);
  assert.equal(decoded.problems.length, 1);
  const p = decoded.problems[0];
  assert.equal(p.kind, 'malformed');
  assert.equal(p.message, 'extension server_name declares 40 bytes but 12 remain');
  assert.deepEqual([p.start, p.end], [bytes.length - 14, bytes.length - 12]);
});

test('record longer than 2^14: record_overflow', () => {
  // A Finished message of 16381 body bytes (verify_data of any length decodes) fills a 16385-byte record.
  const bytes = record(22, 0x0303, handshake(20, new Uint8Array(16381)));
  const decoded = decodeTlsStream(bytes);
  assert.equal(decoded.problems.length, 1);
  assert.equal(decoded.problems[0].kind, 'malformed');
  assert.match(decoded.problems[0].message, /record length 16385 exceeds 2\^14 \(record_overflow\)/);
  assert.deepEqual([decoded.problems[0].start, decoded.problems[0].end], [3, 5]);
  assert.equal(decoded.records[0].messages[0].name, 'Finished');
  // Protected records may reach 2^14 + 2048.
  assert.deepEqual(decodeTlsStream(record(23, 0x0303, new Uint8Array(18432))).problems, []);
  assert.equal(decodeTlsStream(record(23, 0x0303, new Uint8Array(18433))).problems.length, 1);
});

test('alert 70 protocol_version, and 86 inappropriate_fallback', () => {
  const bytes = hex(`
    15 03 00 00 02  // alert record, version SSL 3.0, length 2
    02              // level 2 = fatal
    46              // description 70 = protocol_version
    15 03 01 00 02 02 56 // fatal inappropriate_fallback (86)
  `);
  const decoded = decodeTlsStream(bytes);
  assert.deepEqual(decoded.problems, []);
  assert.deepEqual(decoded.records[0].alert, { level: 2, description: 70, name: 'protocol_version' });
  assert.deepEqual(decoded.records[1].alert, { level: 2, description: 86, name: 'inappropriate_fallback' });
  assert.equal(fieldAt(decoded.records[0].field, 'Alert', 'description')?.display, 'protocol_version');
});

test('several handshake messages in one record', () => {
  const serverHello = cat(u16(0x0303), new Uint8Array(32).fill(7), vec8(), u16(0xc02f), u8(0), vec16(ext(0xff01, vec8())));
  const bytes = record(22, 0x0303, cat(handshake(2, serverHello), handshake(11, vec24()), handshake(14, new Uint8Array(0))));
  const decoded = decodeTlsStream(bytes);
  assert.deepEqual(decoded.problems, []);
  const names = decoded.records[0].messages.map((m) => m.name);
  assert.deepEqual(names, ['ServerHello', 'Certificate', 'ServerHelloDone']);
  const sh = decoded.records[0].messages[0] as ServerHelloMessage;
  assert.equal(sh.cipherSuite, 0xc02f);
  assert.equal(sh.selectedVersion, null);
  const done = decoded.records[0].messages[2] as OtherHandshakeMessage;
  assert.deepEqual([done.start, done.end], [bytes.length - 4, bytes.length]);
});

test('a ClientHello split across records at every point decodes the same, spans in the stream', () => {
  const message = handshake(1, clientHelloBody({ sessionId: new Uint8Array(32).fill(3), extensions: [ext(0, vec16(cat(u8(0), vec16(ascii('mx.example'))))), ext(43, vec8(list16([0x0304, 0x0303])))] }));
  const whole = first(record(22, 0x0301, message)).hello;
  for (let cut = 1; cut < message.length; cut++) {
    const bytes = cat(record(22, 0x0301, message.subarray(0, cut)), record(22, 0x0301, message.subarray(cut)));
    const decoded = decodeTlsStream(bytes);
    assert.deepEqual(decoded.problems, [], `cut ${cut}`);
    assert.equal(decoded.records.length, 2);
    const hello = decoded.records[0].messages[0] as ClientHelloMessage;
    assert.equal(hello.serverName, 'mx.example');
    assert.deepEqual(hello.cipherSuites, whole.cipherSuites);
    assert.deepEqual(hello.supportedVersions, [0x0304, 0x0303]);
    assert.equal(hello.ja3, whole.ja3);
    assert.deepEqual([hello.start, hello.end], [5, bytes.length]);
    // The version field's span points at its bytes in the stream, wherever the cut fell.
    const v = hello.versionSpan;
    const vb = v.end - v.start === 2 ? [bytes[v.start], bytes[v.start + 1]] : [bytes[v.start], bytes[v.end - 1]];
    assert.deepEqual(vb, [0x03, 0x03], `cut ${cut}`);
    assert.equal(findSpanViolation(decoded, bytes.length), null);
  }
});

test('ChangeCipherSpec, then protected records are shown, not decoded', () => {
  const bytes = hex(`
    14 03 03 00 01 01       // change_cipher_spec
    16 03 03 00 28 ${'c7 '.repeat(40)} // encrypted Finished
    17 03 03 00 10 ${'9a '.repeat(16)} // application_data
    15 03 03 00 1a ${'42 '.repeat(26)} // encrypted alert
  `);
  const decoded = decodeTlsStream(bytes, { direction: 'client' });
  assert.deepEqual(decoded.problems, []);
  assert.deepEqual(decoded.records.map((r) => r.encrypted ?? false), [false, true, true, true]);
  assert.deepEqual(decoded.records.map((r) => r.messages.length), [0, 0, 0, 0]);
  assert.equal(decoded.records[3].alert, undefined);
});

test('TLS 1.3 middlebox compatibility: the ClientHello after ChangeCipherSpec is plaintext', () => {
  const hello = clientHelloRecord({ extensions: [ext(43, vec8(list16([0x0304])))] });
  const bytes = cat(hello, hex('14 03 03 00 01 01'), hello);
  const decoded = decodeTlsStream(bytes, { direction: 'client' });
  assert.deepEqual(decoded.problems, []);
  assert.equal(decoded.records[2].messages[0]?.name, 'ClientHello');
});

test('bytes that start no record: one malformed problem, then the stream stops', () => {
  const bytes = cat(hex('15 03 03 00 02 01 00'), ascii('GET / HTTP/1.1\r\n'), hex('15 03 03 00 02 01 00'));
  const decoded = decodeTlsStream(bytes);
  assert.equal(decoded.records.length, 1);
  assert.equal(decoded.problems.length, 1);
  assert.equal(decoded.problems[0].kind, 'malformed');
  assert.deepEqual([decoded.problems[0].start, decoded.problems[0].end], [7, 8]);
  assert.match(decoded.problems[0].message, /byte 0x47 at offset 7/);
});

test('a handshake message interrupted by another record type', () => {
  const message = handshake(1, clientHelloBody());
  const bytes = cat(record(22, 0x0301, message.subarray(0, 20)), hex('15 03 01 00 02 02 28'));
  const decoded = decodeTlsStream(bytes);
  assert.equal(decoded.problems.length, 1);
  assert.equal(decoded.problems[0].kind, 'malformed');
  assert.match(decoded.problems[0].message, /ClientHello declares \d+ bytes but a alert record follows after 16/);
  assert.deepEqual([decoded.problems[0].start, decoded.problems[0].end], [6, 9]);
  assert.equal((decoded.records[0].messages[0] as ClientHelloMessage).incomplete, true);
  assert.equal(decoded.records[1].alert?.name, 'handshake_failure');
});

test('HelloRetryRequest is recognised by its random', () => {
  const random = hex(HELLO_RETRY_REQUEST_RANDOM);
  const body = cat(u16(0x0303), random, vec8(), u16(0x1301), u8(0), vec16(ext(43, u16(0x0304)), ext(51, u16(0x001d))));
  const decoded = decodeTlsStream(record(22, 0x0303, handshake(2, body)));
  assert.deepEqual(decoded.problems, []);
  const hrr = decoded.records[0].messages[0] as ServerHelloMessage;
  assert.equal(hrr.name, 'HelloRetryRequest');
  assert.equal(hrr.selectedVersion, 0x0304);
  assert.equal(fieldAt(hrr.field, 'HelloRetryRequest', 'extensions', 'extensions[1]', 'selected_group')?.display, 'x25519');
});

test('unknown and GREASE values are kept and named, never thrown on', () => {
  const bytes = clientHelloRecord({ suites: [0x0a0b, 0x1a1a, 0xff85], extensions: [ext(0x1234, u8(9)), ext(0xfe0d, u8(1))] });
  const decoded = decodeTlsStream(bytes);
  assert.deepEqual(decoded.problems, []);
  const hello = decoded.records[0].messages[0] as ClientHelloMessage;
  const suites = fieldAt(hello.field, 'ClientHello', 'cipher_suites')?.children?.map((c) => c.display);
  assert.deepEqual(suites, ['unknown (0x0a0b)', 'GREASE (0x1a1a)', 'unknown (0xff85)']);
  assert.deepEqual(hello.extensions.map((e) => e.name), ['unknown (0x1234)', 'encrypted_client_hello']);
});

test('FieldNode tree: Record › header › Handshake › ClientHello › fields, with kinds and exact spans', () => {
  const bytes = clientHelloRecord({ extensions: [ext(0, vec16(cat(u8(0), vec16(ascii('a.example'))))), ext(16, vec16(vec8(ascii('smtp'))))] });
  const { rec, hello } = first(bytes);
  const root = rec.field;
  assert.deepEqual([root.start, root.end, root.kind], [0, bytes.length, 'container']);
  assert.deepEqual(fieldAt(root, 'record_header')?.children?.map((c) => [c.name, c.start, c.end, c.kind]), [
    ['content_type', 0, 1, 'enum'],
    ['version', 1, 3, 'version'],
    ['length', 3, 5, 'length'],
  ]);
  const ch = fieldAt(root, 'Handshake', 'ClientHello');
  assert.ok(ch);
  assert.deepEqual(ch.children?.map((c) => c.name), [
    'client_version', 'random', 'session_id_length', 'session_id', 'cipher_suites_length', 'cipher_suites',
    'compression_methods_length', 'compression_methods', 'extensions_length', 'extensions',
  ]);
  const v = fieldAt(ch, 'client_version');
  assert.deepEqual([v?.start, v?.end, v?.value, v?.display, v?.kind], [9, 11, 0x0303, 'TLS 1.2 (0x0303)', 'version']);
  const s0 = fieldAt(ch, 'cipher_suites', 'cipher_suites[0]');
  assert.deepEqual([s0?.value, s0?.display, s0?.kind, (s0?.end ?? 0) - (s0?.start ?? 0)], [0x1301, 'TLS_AES_128_GCM_SHA256', 'enum', 2]);
  const sni = fieldAt(ch, 'extensions', 'extensions[0]');
  assert.deepEqual(sni?.children?.map((c) => c.name), ['extension_type', 'extension_data_length', 'server_name_list_length', 'server_name_list']);
  const host = fieldAt(sni ?? root, 'server_name_list', 'server_name_list[0]', 'host_name');
  assert.equal(host?.value, 'a.example');
  assert.equal(String.fromCharCode(...bytes.subarray(host?.start, host?.end)), 'a.example');
  assert.deepEqual(hello.alpn, ['smtp']);
  assert.deepEqual(hello.versionSpan, { start: v?.start, end: v?.end });
});

test('SSLv2 SERVER-HELLO is decoded minimally', () => {
  const bytes = hex(`
    80 22     // record length 34
    04        // msg_type 4 = SERVER-HELLO
    00        // session_id_hit 0
    01        // certificate_type 1 = X509_CERTIFICATE
    00 02     // server_version SSL 2.0
    00 04     // certificate_length 4
    00 03     // cipher_specs_length 3
    00 10     // connection_id_length 16
    30 02 05 00 // certificate (a stand-in)
    01 00 80  // SSL2_RC4_128_WITH_MD5
    ${CHALLENGE} // connection_id
  `);
  const decoded = decodeTlsStream(bytes, { direction: 'server' });
  assert.deepEqual(decoded.problems, []);
  const m = decoded.records[0].messages[0] as OtherHandshakeMessage;
  assert.equal(m.name, 'SSLv2 SERVER-HELLO');
  assert.equal(m.details?.version, 0x0002);
  assert.deepEqual(m.details?.cipherSpecs, [0x010080]);
});

test('a record header shown without its body: decoded, no truncation', () => {
  const decoded = decodeRecordHeaderOnly(hex('17 03 03 00 45'));
  assert.deepEqual(decoded.problems, []);
  assert.equal(decoded.records[0].bodyNotShown, true);
  assert.equal(decoded.records[0].length, 0x45);
  assert.equal(decoded.records[0].contentType, 23);
});

test('decrypted content without a header: handshake messages from the content alone', () => {
  const content = hex(`
    08 00 00 02 00 00            // EncryptedExtensions, empty extensions
    14 00 00 20 ${'ab '.repeat(32)} // Finished, 32-byte verify_data
  `);
  const decoded = decodeDecryptedContent(content, 22);
  assert.deepEqual(decoded.problems, []);
  assert.equal(decoded.records[0].decrypted, true);
  assert.deepEqual(decoded.records[0].messages.map((m) => [m.name, m.start, m.end]), [
    ['EncryptedExtensions', 0, 6],
    ['Finished', 6, 42],
  ]);
  const cut = decodeDecryptedContent(content.subarray(0, 20), 22);
  assert.equal(cut.problems.length, 1);
  assert.equal(cut.problems[0].kind, 'truncated');
  assert.equal(cut.problems[0].missing, 22);
  const alert = decodeDecryptedContent(hex('01 00'), 21);
  assert.deepEqual(alert.records[0].alert, { level: 1, description: 0, name: 'close_notify' });
});
