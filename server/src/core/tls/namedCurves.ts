/**
 * Named elliptic curves of certificate keys (the ECParameters namedCurve OID of an
 * id-ecPublicKey subjectPublicKeyInfo, RFC 5480 §2.1.1), with the size of their field in bits:
 * what the key strength rules judge. SEC 2 (secp*, sect*), RFC 5639 §4.1 (brainpool*).
 * Names as openssl and @peculiar/x509 give them (NIST curves as "P-256").
 */
export interface NamedCurve {
  readonly name: string;
  readonly bits: number;
}

const CURVES: ReadonlyMap<string, NamedCurve> = new Map(
  (
    [
      ['1.2.840.10045.3.1.1', 'P-192', 192],
      ['1.3.132.0.33', 'P-224', 224],
      ['1.2.840.10045.3.1.7', 'P-256', 256],
      ['1.3.132.0.34', 'P-384', 384],
      ['1.3.132.0.35', 'P-521', 521],
      ['1.3.132.0.10', 'K-256', 256],
      ['1.3.132.0.6', 'secp112r1', 112],
      ['1.3.132.0.7', 'secp112r2', 112],
      ['1.3.132.0.28', 'secp128r1', 128],
      ['1.3.132.0.29', 'secp128r2', 128],
      ['1.3.132.0.9', 'secp160k1', 160],
      ['1.3.132.0.8', 'secp160r1', 160],
      ['1.3.132.0.30', 'secp160r2', 160],
      ['1.3.132.0.31', 'secp192k1', 192],
      ['1.3.132.0.32', 'secp224k1', 224],
      ['1.3.132.0.1', 'sect163k1', 163],
      ['1.3.132.0.2', 'sect163r1', 163],
      ['1.3.132.0.15', 'sect163r2', 163],
      ['1.3.132.0.26', 'sect233k1', 233],
      ['1.3.132.0.27', 'sect233r1', 233],
      ['1.3.132.0.16', 'sect283k1', 283],
      ['1.3.132.0.17', 'sect283r1', 283],
      ['1.3.132.0.36', 'sect409k1', 409],
      ['1.3.132.0.37', 'sect409r1', 409],
      ['1.3.132.0.38', 'sect571k1', 571],
      ['1.3.132.0.39', 'sect571r1', 571],
      ['1.3.36.3.3.2.8.1.1.1', 'brainpoolP160r1', 160],
      ['1.3.36.3.3.2.8.1.1.3', 'brainpoolP192r1', 192],
      ['1.3.36.3.3.2.8.1.1.5', 'brainpoolP224r1', 224],
      ['1.3.36.3.3.2.8.1.1.7', 'brainpoolP256r1', 256],
      ['1.3.36.3.3.2.8.1.1.9', 'brainpoolP320r1', 320],
      ['1.3.36.3.3.2.8.1.1.11', 'brainpoolP384r1', 384],
      ['1.3.36.3.3.2.8.1.1.13', 'brainpoolP512r1', 512],
    ] as const
  ).map(([oid, name, bits]) => [oid, { name, bits }]),
);

/** openssl's names of the NIST curves and secp256k1, which the table names as @peculiar/x509 does. */
const OPENSSL_NAMES: Readonly<Record<string, string>> = { prime192v1: 'P-192', secp224r1: 'P-224', prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp256k1: 'K-256' };

/** The curve openssl names ("prime256v1", "brainpoolP256r1", "secp160r1"), or undefined for one not in the table. */
export function lookupCurveByName(name: string): NamedCurve | undefined {
  const wanted = OPENSSL_NAMES[name] ?? name;
  for (const c of CURVES.values()) if (c.name === wanted) return c;
  return undefined;
}

/** The curve a namedCurve OID names, or undefined for one not in the table. */
export function lookupNamedCurve(oid: string): NamedCurve | undefined {
  return CURVES.get(oid);
}
