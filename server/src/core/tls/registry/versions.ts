/** Protocol versions (RFC 6101, 2246, 4346, 5246, 8446; DTLS RFC 6347, 9147). */
import { createLookup, hexOf, memoizeLookup, tableOf, type RegistryEntry } from './entry';
import { isGrease16 } from './grease';

export const SSL_2_0 = 0x0002;
export const SSL_3_0 = 0x0300;
export const TLS_1_0 = 0x0301;
export const TLS_1_1 = 0x0302;
export const TLS_1_2 = 0x0303;
export const TLS_1_3 = 0x0304;

const VERSIONS = tableOf([
  [0x0002, 'SSL 2.0'],
  [0x0300, 'SSL 3.0'],
  [0x0301, 'TLS 1.0'],
  [0x0302, 'TLS 1.1'],
  [0x0303, 'TLS 1.2'],
  [0x0304, 'TLS 1.3'],
  [0xfeff, 'DTLS 1.0'],
  [0xfefd, 'DTLS 1.2'],
  [0xfefc, 'DTLS 1.3'],
]);

const baseLookup = createLookup(VERSIONS, 4, { isGrease: isGrease16 });

export const lookupVersion: (value: number) => RegistryEntry = memoizeLookup((value: number): RegistryEntry => {
  // RFC 8446 §4.2.1 (drafts): 0x7f00 | N was TLS 1.3 draft N.
  if ((value & 0xff00) === 0x7f00) {
    return { value, name: `TLS 1.3 draft ${value & 0xff}`, known: true, iana: false, grease: false };
  }
  return baseLookup(value);
});

/** "TLS 1.2 (0x0303)": the form tshark prints and hovers show. */
export function describeVersion(value: number): string {
  return `${lookupVersion(value).name} (${hexOf(value, 4)})`;
}
