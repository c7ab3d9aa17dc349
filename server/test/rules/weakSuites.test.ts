/**
 * classifyWeakSuite: the weak classes read from IANA suite names (RFC 7465 §2, RFC 9325 §4.1), each
 * name classified once and handed out as a copy. registryOfField: which registry tls-unknown-value
 * looks a field's value up in, by the field's name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyWeakSuite, registryOfField } from '../../src/core/rules/checks/helloContent';
import { lookupCipherSuite } from '../../src/core/tls/registry/cipherSuites';
import { lookupCipherSpec } from '../../src/core/tls/registry/sslv2CipherKinds';

test('weak classes of registry names', () => {
  const cases: [string, string[]][] = [
    [lookupCipherSuite(0x0000).name, ['NULL']], // TLS_NULL_WITH_NULL_NULL
    [lookupCipherSuite(0x0002).name, ['NULL']], // TLS_RSA_WITH_NULL_SHA
    [lookupCipherSuite(0x0003).name, ['EXPORT', 'RC4']], // TLS_RSA_EXPORT_WITH_RC4_40_MD5
    [lookupCipherSuite(0x0005).name, ['RC4']], // TLS_RSA_WITH_RC4_128_SHA
    [lookupCipherSuite(0x0009).name, ['DES']], // TLS_RSA_WITH_DES_CBC_SHA
    [lookupCipherSuite(0x000a).name, []], // TLS_RSA_WITH_3DES_EDE_CBC_SHA: not single DES
    [lookupCipherSuite(0x0018).name, ['anon', 'RC4']], // TLS_DH_anon_WITH_RC4_128_MD5
    [lookupCipherSuite(0x002f).name, []], // TLS_RSA_WITH_AES_128_CBC_SHA
    [lookupCipherSuite(0x1301).name, []], // TLS_AES_128_GCM_SHA256
    [lookupCipherSpec(0x010080).name, ['RC4']], // SSL2_RC4_128_WITH_MD5
    [lookupCipherSpec(0x060040).name, ['DES']], // SSL2_DES_64_CBC_WITH_MD5
    [lookupCipherSpec(0x0700c0).name, []], // SSL2_DES_192_EDE3_CBC_WITH_MD5
  ];
  for (const [name, expected] of cases) {
    assert.deepEqual(classifyWeakSuite(name), expected, name);
    assert.deepEqual(classifyWeakSuite(name), expected, `${name}, classified again`);
  }
});

test('a caller changing its result does not change the next one', () => {
  const name = lookupCipherSuite(0x0005).name;
  const first = classifyWeakSuite(name);
  first.push('NULL');
  assert.deepEqual(classifyWeakSuite(name), ['RC4']);
});

test('many unknown names (SSLv2 specs have 2^24 values) are classified without error, the same each time', () => {
  for (let v = 0; v < 6000; v++) {
    const name = lookupCipherSpec(0x800000 + v).name;
    assert.deepEqual(classifyWeakSuite(name), classifyWeakSuite(name));
  }
});

test('registry of a field, by its name: suites, extension types, groups, signature schemes; nothing for lengths and lists', () => {
  const cases: [string, string | null][] = [
    ['cipher_suites[0]', 'cipher suite'],
    ['cipher_suites[41]', 'cipher suite'],
    ['cipher_suite', 'cipher suite'], // ServerHello
    ['extension_type', 'extension type'],
    ['named_group_list[3]', 'group'],
    ['group', 'group'], // a key_share entry
    ['selected_group', 'group'], // HelloRetryRequest
    ['supported_signature_algorithms[7]', 'signature scheme'],
    ['cipher_suites', null],
    ['cipher_suites_length', null],
    ['cipher_specs[0]', null], // SSLv2 cipher kinds have their own registry and rule
    ['extensions[2]', null],
    ['named_group_list_length', null],
    ['groups', null],
    ['supported_signature_algorithms_length', null],
    ['selected_version', null],
    ['signature_algorithms', null],
    ['', null],
  ];
  for (const [name, what] of cases) assert.equal(registryOfField(name)?.what ?? null, what, name);
  assert.equal(registryOfField('cipher_suites[1]')?.lookup(0x1301).name, 'TLS_AES_128_GCM_SHA256');
  assert.equal(registryOfField('group')?.lookup(0x001d).name, 'x25519');
});
