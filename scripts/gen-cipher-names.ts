/**
 * Writes the tables that turn the cipher suite names logs print into codes:
 *
 * - server/src/core/tls/registry/opensslCipherNames.ts: OpenSSL's names. First what
 *   `openssl ciphers -stdname -V 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'` prints (name, code, IANA
 *   name); then the names of the openssl-ciphers(1) manual's tables ("TLS_RSA_WITH_RC4_128_SHA
 *   RC4-SHA"), which also name suites this OpenSSL no longer builds (RC4, 3DES) and the names
 *   older OpenSSL releases printed (EDH-RSA-DES-CBC3-SHA), resolved to codes by their IANA name.
 * - server/src/core/tls/registry/gnutlsCipherNames.ts: GnuTLS's names as `gnutls-cli -l` lists
 *   them (TLS_RSA_ARCFOUR_128_SHA1 0x00, 0x05), kept without their TLS_ prefix: GnuTLS's debug
 *   output writes GNUTLS_RSA_ARCFOUR_128_SHA1, Exim built with GnuTLS RSA_ARCFOUR_128_SHA1.
 *
 * Run from the repository root on a machine with openssl, its manual pages and gnutls-bin:
 *   npx tsx scripts/gen-cipher-names.ts
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { cipherSuiteCodeOf, lookupCipherSuite } from '../server/src/core/tls/registry/cipherSuites';

const MAN = '/usr/share/man/man1/openssl-ciphers.1ssl.gz';

/**
 * Names OpenSSL 1.0.x printed for suites that neither this OpenSSL nor its manual still names (export
 * and single-DES suites, removed in 1.1.0), as `openssl ciphers -V 'ALL'` of 1.0.1 listed them, with
 * IANA's name of the same code; the code itself comes from our registry. Old postfix logs name them.
 */
const OPENSSL_1_0_NAMES: readonly (readonly [string, string])[] = [
  ['EXP-RC4-MD5', 'TLS_RSA_EXPORT_WITH_RC4_40_MD5'],
  ['EXP-RC2-CBC-MD5', 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5'],
  ['EXP-DES-CBC-SHA', 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  ['DES-CBC-SHA', 'TLS_RSA_WITH_DES_CBC_SHA'],
  ['EXP-EDH-DSS-DES-CBC-SHA', 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA'],
  ['EDH-DSS-DES-CBC-SHA', 'TLS_DHE_DSS_WITH_DES_CBC_SHA'],
  ['EXP-EDH-RSA-DES-CBC-SHA', 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  ['EDH-RSA-DES-CBC-SHA', 'TLS_DHE_RSA_WITH_DES_CBC_SHA'],
  ['EXP-ADH-RC4-MD5', 'TLS_DH_anon_EXPORT_WITH_RC4_40_MD5'],
  ['EXP-ADH-DES-CBC-SHA', 'TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA'],
  ['ADH-DES-CBC-SHA', 'TLS_DH_anon_WITH_DES_CBC_SHA'],
];
const hex4 = (code: number): string => `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' });

/** [OpenSSL name, code, IANA name] as `openssl ciphers -stdname -V` prints them. */
function fromOpensslCiphers(): [string, number, string][] {
  const out: [string, number, string][] = [];
  for (const line of run('openssl', ['ciphers', '-stdname', '-V', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0']).split('\n')) {
    const m = /^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2})\s+-\s+(\S+)\s+-\s+(\S+)\s/.exec(line);
    if (m) out.push([m[4], parseInt(m[1] + m[2], 16), m[3]]);
  }
  return out;
}

/** The manual's spec name as IANA writes it: SSL_RSA_... is TLS_RSA_..., PSK_WITH_... is TLS_PSK_WITH_.... */
function ianaCodeOf(spec: string): number | undefined {
  const name = spec.startsWith('SSL_') ? `TLS_${spec.slice(4)}` : spec.startsWith('TLS_') ? spec : `TLS_${spec}`;
  return cipherSuiteCodeOf(name);
}

/** [OpenSSL name, code, IANA name] from the manual's tables, old names in parentheses' place included; and the specs left out. */
function fromManual(): { rows: [string, number, string][]; unresolved: string[] } {
  const text = zlib.gunzipSync(fs.readFileSync(MAN)).toString('utf8').replace(/\\-/g, '-');
  const rows: [string, number, string][] = [];
  const unresolved: string[] = [];
  for (const line of text.split('\n')) {
    // "\& TLS_RSA_WITH_RC4_128_SHA   RC4-SHA" and "\& SSL_DHE_RSA_WITH_3DES_EDE_CBC_SHA   EDH-RSA-DES-CBC3-SHA (DHE-RSA-DES-CBC3-SHA)"
    const m = /^\\& ((?:SSL_|TLS_)?[A-Z0-9]+(?:_[A-Za-z0-9]+)*_WITH_[A-Z0-9_]+)\s+([A-Z][A-Z0-9-]*[A-Z0-9])(?:\s+\(([A-Z0-9-]+)\))?\s*$/.exec(line);
    if (!m) continue;
    const code = ianaCodeOf(m[1]);
    if (code === undefined) {
      unresolved.push(m[1]);
      continue;
    }
    const iana = lookupCipherSuite(code).name;
    rows.push([m[2], code, iana]);
    if (m[3]) rows.push([m[3], code, iana]);
  }
  return { rows, unresolved };
}

function writeOpenssl(): void {
  const listed = fromOpensslCiphers();
  const manual = fromManual();
  const byName = new Map<string, [string, number, string]>();
  for (const row of listed) byName.set(row[0], row);
  let added = 0;
  for (const row of manual.rows) {
    const known = byName.get(row[0]);
    if (known) {
      if (known[1] !== row[1]) throw new Error(`${row[0]}: openssl ciphers says ${hex4(known[1])}, the manual ${hex4(row[1])}`);
      continue;
    }
    byName.set(row[0], row);
    added++;
  }
  let older = 0;
  for (const [name, iana] of OPENSSL_1_0_NAMES) {
    const code = cipherSuiteCodeOf(iana);
    if (code === undefined) throw new Error(`${name}: ${iana} is not in the registry`);
    if (byName.has(name)) continue;
    byName.set(name, [name, code, iana]);
    older++;
  }
  const version = run('openssl', ['version']).split(' ').slice(0, 2).join(' ');
  const rows = [...byName.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const body = rows.map(([n, code, iana]) => `  ['${n}', ${hex4(code)}, '${iana}'],`).join('\n');
  fs.writeFileSync(
    'server/src/core/tls/registry/opensslCipherNames.ts',
    `/**
 * OpenSSL's cipher suite names: [OpenSSL name, code, IANA name], generated by
 * scripts/gen-cipher-names.ts (${version}): ${listed.length} from
 * \`openssl ciphers -stdname -V 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'\`, ${added} more from the tables
 * of the openssl-ciphers(1) manual (suites this OpenSSL no longer builds, such as RC4-SHA and
 * DES-CBC3-SHA, and names older releases printed, such as EDH-RSA-DES-CBC3-SHA) and ${older} from
 * the script's list of OpenSSL 1.0's export and single-DES names (EXP-RC4-MD5, DES-CBC-SHA).
 */
export const OPENSSL_CIPHER_NAMES: readonly (readonly [string, number, string])[] = [
${body}
];
`,
  );
  console.log(`opensslCipherNames.ts: ${rows.length} names (${listed.length} listed by openssl ciphers, ${added} from the manual, ${older} of OpenSSL 1.0; ${manual.unresolved.length} manual specs without an IANA code: ${manual.unresolved.join(', ')})`);
}

function writeGnutls(): void {
  const rows: [string, number][] = [];
  for (const line of run('gnutls-cli', ['-l']).split('\n')) {
    const m = /^TLS_([A-Z0-9_]+)\s+0x([0-9a-f]{2}), 0x([0-9a-f]{2})\s/.exec(line);
    if (m) rows.push([m[1], parseInt(m[2] + m[3], 16)]);
  }
  const version = run('gnutls-cli', ['--version']).split('\n')[0];
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const body = rows.map(([n, code]) => `  ['${n}', ${hex4(code)}],`).join('\n');
  fs.writeFileSync(
    'server/src/core/tls/registry/gnutlsCipherNames.ts',
    `/**
 * GnuTLS's cipher suite names without their prefix: [name, code], generated by
 * scripts/gen-cipher-names.ts from \`gnutls-cli -l\` (${version}), which lists them as
 * TLS_RSA_ARCFOUR_128_SHA1. GnuTLS's debug output writes GNUTLS_RSA_ARCFOUR_128_SHA1, Exim built
 * with GnuTLS RSA_ARCFOUR_128_SHA1.
 */
export const GNUTLS_CIPHER_NAMES: readonly (readonly [string, number])[] = [
${body}
];
`,
  );
  console.log(`gnutlsCipherNames.ts: ${rows.length} names`);
}

writeOpenssl();
writeGnutls();
