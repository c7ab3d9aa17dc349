/**
 * The named curves of certificate keys against openssl (fixtures/certificates/curves/make-curves.sh):
 * each curve's namedCurve OID as `openssl ecparam -name NAME -outform DER` writes it, and certificates
 * openssl made with keys on curves WebCrypto knows (P-256, P-384) and does not (brainpool, secp160r1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBER, ObjectIdentifier } from 'asn1js';
import { lookupNamedCurve } from '../../src/core/tls/namedCurves';
import { readCertificate } from '../../src/core/tls/x509Summary';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';

const DIR = join(__dirname, '..', 'fixtures', 'certificates', 'curves');

/** openssl's name of a curve by the name the table gives it (NIST curves as "P-256"). */
const OPENSSL_NAMES: Record<string, string> = { 'P-192': 'prime192v1', 'P-224': 'secp224r1', 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', 'K-256': 'secp256k1' };

function opensslCurves(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(join(DIR, 'curves.txt'), 'utf8').split('\n')) {
    const [name, hex] = line.split(' ');
    if (!name || !hex) continue;
    const { result } = fromBER(Uint8Array.from(Buffer.from(hex, 'hex')).buffer);
    assert.ok(result instanceof ObjectIdentifier, name);
    out.set(result.valueBlock.toString(), name);
  }
  return out;
}

test('namedCurves: every OID openssl gives a curve the table knows names that curve, with the size its name states', () => {
  const byOid = opensslCurves();
  let known = 0;
  for (const [oid, opensslName] of byOid) {
    const curve = lookupNamedCurve(oid);
    if (!curve) continue;
    known++;
    assert.equal(OPENSSL_NAMES[curve.name] ?? curve.name, opensslName, oid);
    // The field size is the number in the curve's name (P-256, secp160r1, brainpoolP512r1, sect571k1).
    assert.equal(String(curve.bits), /[0-9]{3}/.exec(opensslName)?.[0], opensslName);
  }
  // The table's 33 curves are all among openssl's (none made up), and an unknown OID is no curve.
  assert.equal(known, 33);
  assert.equal(lookupNamedCurve('1.2.3.4'), undefined);
});

test('namedCurves: certificates with keys on curves WebCrypto does not know are sized by their namedCurve OID', () => {
  const want: Record<string, [string, number]> = {
    secp160r1: ['secp160r1', 160],
    prime192v1: ['P-192', 192],
    secp224r1: ['P-224', 224],
    brainpoolP256r1: ['brainpoolP256r1', 256],
    prime256v1: ['P-256', 256],
    secp384r1: ['P-384', 384],
    brainpoolP512r1: ['brainpoolP512r1', 512],
  };
  for (const [file, [name, bits]] of Object.entries(want)) {
    const pem = readFileSync(join(DIR, `${file}.pem`), 'utf8');
    const reading = readCertificate(Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64')));
    assert.ok('summary' in reading, file);
    assert.deepEqual([reading.summary.keyType, reading.summary.namedCurve, reading.summary.keyBits], ['EC', name, bits], file);
  }
});

test('namedCurves: a 160-bit curve is a weak key (tls-certificate-weak-key), a 192-bit one and brainpool are not', () => {
  const weak = (file: string): string[] =>
    analyzeDocument(readFileSync(join(DIR, `${file}.pem`), 'utf8'))
      .findings.filter((f) => f.rule === 'tls-certificate-weak-key')
      .map((f) => f.message);
  assert.deepEqual(weak('secp160r1'), [
    "The server's certificate (CN=secp160r1.cert-lab.test) has a 160-bit EC key; BCP 195 (RFC 7525 §4.3) asks for no curves under 192 bits.",
  ]);
  for (const file of ['prime192v1', 'brainpoolP256r1', 'brainpoolP512r1']) assert.deepEqual(weak(file), [], file);
});
