#!/usr/bin/env node
// craft-hellos.mjs - write hand-made ClientHello binaries that no modern TLS
// stack sends any more, with every byte explained.
//
// Usage: node tools/craft-hellos.mjs [OUT_DIR]
//   OUT_DIR defaults to server/test/fixtures/crafted (relative to the repo).
//
// Writes, for every case below:
//   OUT_DIR/<case>.bin   the exact bytes to send after "220 Ready to start TLS"
// and once:
//   OUT_DIR/README.md    a table per case: offset, bytes, field, meaning
//   OUT_DIR/cases.json   machine-readable summary (format, versions, lengths,
//                        which analyser rule the bytes should trigger)
//
// No dependencies; output is deterministic (no real randomness, no dates), so
// running it twice gives byte-identical files.
//
// How a case is described: a list of fields. Each field is
//   { name, bytes: Uint8Array, note }
// and the bytes of a case are the fields concatenated in order. Length fields
// are computed from the fields they cover (helpers u8len/u16len/u24len), except
// where a case deliberately lies (truncated, malformed), which is spelled out.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, '..', 'server', 'test', 'fixtures', 'crafted'));

// ---------------------------------------------------------------- helpers

/** Bytes from a list of numbers. */
const b = (...xs) => Uint8Array.from(xs);
const u16 = (n) => b((n >> 8) & 0xff, n & 0xff);
const u24 = (n) => b((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
/** `count` bytes counting up from `start` (a fixed, documented filler). */
const seq = (start, count) => Uint8Array.from({ length: count }, (_, i) => (start + i) & 0xff);
const total = (fields) => fields.reduce((n, f) => n + f.bytes.length, 0);
const field = (name, bytes, note) => ({ name, bytes, note });
const hex = (u8) => Array.from(u8, (x) => x.toString(16).padStart(2, '0')).join(' ');

// Names of the values used below (IANA TLS Cipher Suites registry and the
// SSL 2.0 CIPHER-KIND list). Three-byte entries are SSLv2 CIPHER-SPECs.
const SUITE = {
  0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA',
  0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA',
  0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
};
const SSL2_KIND = {
  0x010080: 'SSL2_RC4_128_WITH_MD5',
  0x0700c0: 'SSL2_DES_192_EDE3_CBC_WITH_MD5',
};

// ------------------------------------------------ shared building blocks

// The cipher list offered by the SSL 3.0-format and TLS 1.0-record hellos:
// the classic RSA key-exchange suites a 2001-era client sent, plus the
// renegotiation SCSV (RFC 5746) that clients of the 2010s added.
const LEGACY_SUITES = [0x0035, 0x002f, 0x000a, 0x00ff];

// The SSLv2-compatible hellos offer the same four suites written as 3-byte
// CIPHER-SPECs (00 + the 2-byte TLS value; RFC 5246 App. E.2) and two
// SSL 2.0 CIPHER-KINDs, as OpenSSL 0.9.x "SSLv23" hellos did.
const SSL2_SPECS = [0x000035, 0x00002f, 0x00000a, 0x0700c0, 0x010080, 0x0000ff];

const specNote = (v) =>
  v >> 16 === 0
    ? `${SUITE[v & 0xffff]} (TLS suite 0x${(v & 0xffff).toString(16).padStart(4, '0')} as a V2CipherSpec)`
    : `${SSL2_KIND[v]} (SSL 2.0 CIPHER-KIND)`;

/**
 * An SSLv2-compatible CLIENT-HELLO (RFC 5246 App. E.2, RFC 2246 App. E.1;
 * the SSL 2.0 draft's CLIENT-HELLO), in a 2-byte record header.
 */
function sslv2Hello(version, versionNote) {
  const specs = SSL2_SPECS.map((v) => field('cipher_spec', b((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff), specNote(v)));
  // 32-byte challenge: RFC 5246 App. E.2 says a client using this format
  // SHOULD use 32 bytes; the server right-aligns it into ClientHello.random.
  const challenge = field('challenge', seq(0x20, 32), 'challenge: fixed filler 20..3f (a real client sends random bytes); becomes the 32-byte ClientHello.random');
  const body = [
    field('msg_type', b(0x01), 'msg_type = 1, CLIENT-HELLO'),
    field('version', version, versionNote),
    field('cipher_spec_length', u16(specs.length * 3), `cipher_spec_length = ${specs.length * 3} (${specs.length} specs of 3 bytes)`),
    field('session_id_length', u16(0), 'session_id_length = 0 (no session to resume)'),
    field('challenge_length', u16(challenge.bytes.length), `challenge_length = ${challenge.bytes.length}`),
    ...specs,
    challenge,
  ];
  const len = total(body);
  // Two-byte header: high bit set = no padding, remaining 15 bits = length.
  const header = field('record_header', b(0x80 | (len >> 8), len & 0xff), `SSLv2 2-byte record header: high bit set (no padding), length = ${len}`);
  return [header, ...body];
}

/**
 * A ClientHello in the SSL 3.0 / TLS format: 5-byte record header, 4-byte
 * handshake header, then the body. `opts`:
 *   recordVersion, clientVersion: 2-byte arrays with notes
 *   sessionId: bytes (may be empty)
 *   suites: list of 2-byte suite values
 *   extensions: list of fields (already encoded) or null for none
 */
function tlsHello(opts) {
  const suites = opts.suites.map((s) => field('cipher_suite', u16(s), `${SUITE[s]} (0x${s.toString(16).padStart(4, '0')})`));
  const body = [
    field('client_version', opts.clientVersion, opts.clientVersionNote),
    field('random.gmt_unix_time', b(0x3b, 0x9a, 0xca, 0x00), 'gmt_unix_time = 1000000000 (2001-09-09T01:46:40Z), fixed'),
    field('random.random_bytes', seq(0x01, 28), 'random_bytes: fixed filler 01..1c (a real client sends random bytes)'),
    field('session_id_length', b(opts.sessionId.length), opts.sessionId.length === 0
      ? 'session_id length = 0 (new session)'
      : `session_id length = ${opts.sessionId.length} (asks to resume a cached session)`),
  ];
  if (opts.sessionId.length) {
    body.push(field('session_id', opts.sessionId, 'session_id: fixed filler 40..5f standing for an id a server gave out earlier'));
  }
  body.push(field('cipher_suites_length', u16(opts.suitesLength ?? suites.length * 2),
    opts.suitesLengthNote ?? `cipher_suites length = ${suites.length * 2} (${suites.length} suites)`));
  body.push(...suites);
  if (opts.suitesTail) body.push(opts.suitesTail);
  body.push(field('compression_methods_length', b(0x01), 'compression_methods length = 1'));
  body.push(field('compression_method', b(0x00), 'compression method null (0)'));
  if (opts.extensions) {
    body.push(field('extensions_length', u16(total(opts.extensions)), `extensions length = ${total(opts.extensions)}`));
    body.push(...opts.extensions);
  }
  const hsLen = total(body);
  const hs = [
    field('handshake.msg_type', b(0x01), 'handshake type = 1, client_hello'),
    field('handshake.length', u24(hsLen), `handshake length = ${hsLen}`),
    ...body,
  ];
  const recLen = opts.recordLength ?? total(hs);
  const rec = [
    field('record.content_type', b(0x16), 'record content type = 22, handshake'),
    field('record.version', opts.recordVersion, opts.recordVersionNote),
    field('record.length', u16(recLen), opts.recordLengthNote ?? `record length = ${recLen}`),
  ];
  return [...rec, ...hs];
}

// Extensions of the TLS 1.2 hello (RFC 8422, RFC 5246 §7.4.1.4.1, RFC 7627).
const TLS12_EXTENSIONS = [
  field('ext.supported_groups.type', u16(0x000a), 'extension type 10, supported_groups'),
  field('ext.supported_groups.length', u16(6), 'extension length = 6'),
  field('ext.supported_groups.list_length', u16(4), 'named group list length = 4'),
  field('ext.supported_groups.x25519', u16(0x001d), 'x25519 (29)'),
  field('ext.supported_groups.secp256r1', u16(0x0017), 'secp256r1 (23)'),
  field('ext.ec_point_formats.type', u16(0x000b), 'extension type 11, ec_point_formats'),
  field('ext.ec_point_formats.length', u16(2), 'extension length = 2'),
  field('ext.ec_point_formats.list', b(0x01, 0x00), 'list length 1: uncompressed (0)'),
  field('ext.signature_algorithms.type', u16(0x000d), 'extension type 13, signature_algorithms'),
  field('ext.signature_algorithms.length', u16(10), 'extension length = 10'),
  field('ext.signature_algorithms.list_length', u16(8), 'list length = 8 (4 schemes)'),
  field('ext.signature_algorithms.0804', u16(0x0804), 'rsa_pss_rsae_sha256'),
  field('ext.signature_algorithms.0401', u16(0x0401), 'rsa_pkcs1_sha256'),
  field('ext.signature_algorithms.0501', u16(0x0501), 'rsa_pkcs1_sha384'),
  field('ext.signature_algorithms.0403', u16(0x0403), 'ecdsa_secp256r1_sha256'),
  field('ext.extended_master_secret.type', u16(0x0017), 'extension type 23, extended_master_secret'),
  field('ext.extended_master_secret.length', u16(0), 'extension length = 0 (empty)'),
];
const TLS12_SUITES = [0xc02f, 0xc030, 0x009c, 0x0035, 0x002f, 0x000a, 0x00ff];

const V = {
  ssl2: [b(0x00, 0x02), '0x0002 = SSL 2.0'],
  ssl3: [b(0x03, 0x00), '3.0 = SSL 3.0'],
  tls10: [b(0x03, 0x01), '3.1 = TLS 1.0'],
  tls12: [b(0x03, 0x03), '3.3 = TLS 1.2'],
};

// ------------------------------------------------------------------ cases

const cases = [];

// (a) SSLv2-compatible hello offering SSL 2.0 itself (version 0x0002).
cases.push({
  name: 'sslv2-hello-ssl2',
  title: 'SSLv2-compatible hello offering SSL 2.0 (version 0x0002)',
  format: 'sslv2', offered: '0x0002 (SSL 2.0)',
  rules: ['tls-hello-version-below-3.1'],
  why: 'offered version below 3.1 (below 3.0 even: RFC 6176 forbids SSL 2.0). tls-sslv2-compat-hello is for compat hellos offering 3.1 or later, so only the version rule fires.',
  fields: sslv2Hello(V.ssl2[0], 'version = 0x0002, SSL 2.0 (the SSL 2.0 draft writes it as major 0, minor 2)'),
});

// (b) SSLv2-compatible hello offering SSL 3.0.
cases.push({
  name: 'sslv2-hello-ssl3',
  title: 'SSLv2-compatible hello offering SSL 3.0 (version 3.0)',
  format: 'sslv2', offered: '3.0 (SSL 3.0)',
  rules: ['tls-hello-version-below-3.1'],
  why: 'offered version 3.0 < 3.1 (RFC 7568 §3; the SSLv2 format itself RFC 6176 §3).',
  fields: sslv2Hello(V.ssl3[0], 'version = 3.0, SSL 3.0: the highest version the client supports'),
});

// (c) SSLv2-compatible hello offering TLS 1.0: the case the 2001 STARTTLS
// last-call text made legal ("version field ... at least 3.1").
cases.push({
  name: 'sslv2-hello-tls10',
  title: 'SSLv2-compatible hello offering TLS 1.0 (version 3.1)',
  format: 'sslv2', offered: '3.1 (TLS 1.0)',
  rules: ['tls-sslv2-compat-hello'],
  why: 'format forbidden for clients by RFC 6176 §3, but the version is fine (legal under the rfc3207 baseline: information only). If the server refuses it, tls-server-rejects-compat-hello applies.',
  fields: sslv2Hello(V.tls10[0], 'version = 3.1, TLS 1.0: the highest version the client supports'),
});

// (d) SSL 3.0-format hello: record 16 03 00, client_version 03 00, new session.
cases.push({
  name: 'ssl3-hello',
  title: 'SSL 3.0 hello (record 3.0, client_version 3.0), empty session_id',
  format: 'ssl3/tls', offered: '3.0 (SSL 3.0)',
  rules: ['tls-hello-version-below-3.1'],
  why: 'client_version 3.0 < 3.1, new session: error under both baselines (RFC 7568 §3).',
  fields: tlsHello({
    recordVersion: V.ssl3[0], recordVersionNote: 'record version = 3.0 (SSL 3.0 record layer)',
    clientVersion: V.ssl3[0], clientVersionNote: 'client_version = 3.0, SSL 3.0: the highest version offered',
    sessionId: b(), suites: LEGACY_SUITES, extensions: null,
  }),
});

// (e) The same with a 32-byte session_id: a resumption attempt.
cases.push({
  name: 'ssl3-hello-resumption',
  title: 'SSL 3.0 hello with a 32-byte session_id (resumption attempt)',
  format: 'ssl3/tls', offered: '3.0 (SSL 3.0)',
  rules: ['tls-hello-version-below-3.1'],
  why: 'client_version 3.0 with a non-empty session_id: the 2001 text allowed this for session resumption (rfc3207 baseline: information); current baseline: error (RFC 7568 §3).',
  fields: tlsHello({
    recordVersion: V.ssl3[0], recordVersionNote: 'record version = 3.0 (SSL 3.0 record layer)',
    clientVersion: V.ssl3[0], clientVersionNote: 'client_version = 3.0, SSL 3.0',
    sessionId: seq(0x40, 32), suites: LEGACY_SUITES, extensions: null,
  }),
});

// (f) A TLS 1.2 hello whose record header says 3.0: legal (RFC 5246 App. E.1
// lets a client put any of {03,00}..{03,03} there; the record version of the
// first ClientHello is not the offered version).
cases.push({
  name: 'tls12-record-ssl3-legal',
  title: 'TLS 1.2 hello in a record whose version is 3.0 (legal)',
  format: 'ssl3/tls', offered: '3.3 (TLS 1.2)',
  rules: [],
  why: 'no rule: record-layer version 3.0 on a ClientHello is legal (RFC 5246 App. E.1); client_version 3.3 is what counts.',
  fields: tlsHello({
    recordVersion: V.ssl3[0], recordVersionNote: 'record version = 3.0 (allowed for a first ClientHello, RFC 5246 App. E.1)',
    clientVersion: V.tls12[0], clientVersionNote: 'client_version = 3.3, TLS 1.2',
    sessionId: b(), suites: TLS12_SUITES, extensions: TLS12_EXTENSIONS,
  }),
});

// (g) Truncated: the TLS 1.2 hello of (f) in a 3.1 record, but only the
// first 40 bytes of the record body are sent; the header still claims all.
{
  const full = tlsHello({
    recordVersion: V.tls10[0], recordVersionNote: 'record version = 3.1 (TLS 1.0), the usual value',
    clientVersion: V.tls12[0], clientVersionNote: 'client_version = 3.3, TLS 1.2',
    sessionId: b(), suites: TLS12_SUITES, extensions: TLS12_EXTENSIONS,
  });
  const claimed = total(full) - 5;
  const keep = 40; // bytes of record body actually sent
  const kept = [];
  let used = 0;
  for (const f of full) {
    const bodyStart = used >= 5 ? used - 5 : 0;
    if (used < 5) { kept.push(f); used += f.bytes.length; continue; }
    if (bodyStart >= keep) break;
    const room = keep - bodyStart;
    if (f.bytes.length <= room) kept.push(f);
    else kept.push(field(`${f.name} (cut)`, f.bytes.slice(0, room), `${f.note}: only the first ${room} of ${f.bytes.length} bytes are present; the capture ends here`));
    used += Math.min(f.bytes.length, room);
  }
  kept[2] = field('record.length', kept[2].bytes, `record length = ${claimed}, but only ${keep} bytes follow: ${claimed - keep} bytes missing`);
  cases.push({
    name: 'truncated-hello',
    title: `TLS 1.2 hello cut short: record header claims ${claimed} bytes, ${keep} present`,
    format: 'ssl3/tls', offered: '3.3 (TLS 1.2)',
    rules: ['tls-truncated'],
    why: `the record declares ${claimed} bytes but the data ends after ${keep}; decode what is there (client_version 3.3) and report ${claimed - keep} missing bytes.`,
    fields: kept,
    extra: { claimedRecordLength: claimed, presentRecordBytes: keep, missing: claimed - keep },
  });
}

// (h) Malformed: cipher_suites length 7 (odd; suites are 2 bytes each). All
// enclosing lengths are consistent, so only the cipher list is wrong.
cases.push({
  name: 'malformed-hello',
  title: 'TLS 1.2 hello with an odd cipher_suites length (7)',
  format: 'ssl3/tls', offered: '3.3 (TLS 1.2)',
  rules: ['tls-malformed'],
  why: 'cipher_suites is a vector of 2-byte values; a length of 7 cannot be right (decode_error, RFC 5246 §7.4.1.2 / RFC 8446 §4.1.2). Record and handshake lengths agree with the bytes, so it is malformed, not truncated.',
  fields: tlsHello({
    recordVersion: V.tls10[0], recordVersionNote: 'record version = 3.1 (TLS 1.0), the usual value',
    clientVersion: V.tls12[0], clientVersionNote: 'client_version = 3.3, TLS 1.2',
    sessionId: b(), suites: [0x0035, 0x002f, 0x000a],
    suitesLength: 7, suitesLengthNote: 'cipher_suites length = 7: ODD, not a whole number of 2-byte suites',
    suitesTail: field('cipher_suite (half)', b(0x00), 'one stray byte (first half of a suite) counted by the odd length'),
    extensions: null,
  }),
});

// -------------------------------------------------------- self-checks

// Re-read every well-formed case with an independent minimal parser, so a
// helper bug cannot silently produce wrong length fields.
function check(c, bytes) {
  const fail = (m) => { throw new Error(`${c.name}: ${m}`); };
  if (c.format === 'sslv2') {
    const len = ((bytes[0] & 0x7f) << 8) | bytes[1];
    if (!(bytes[0] & 0x80)) fail('no high bit');
    if (len !== bytes.length - 2) fail(`v2 length ${len} vs ${bytes.length - 2}`);
    const cs = (bytes[5] << 8) | bytes[6], sid = (bytes[7] << 8) | bytes[8], ch = (bytes[9] << 8) | bytes[10];
    if (9 + cs + sid + ch !== len) fail('v2 inner lengths');
    return;
  }
  const recLen = (bytes[3] << 8) | bytes[4];
  if (c.name === 'truncated-hello') {
    if (recLen <= bytes.length - 5) fail('not truncated');
    return;
  }
  if (recLen !== bytes.length - 5) fail(`record length ${recLen} vs ${bytes.length - 5}`);
  const hsLen = (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
  if (hsLen !== recLen - 4) fail('handshake length');
  let p = 9 + 2 + 32;
  p += 1 + bytes[p];
  const csLen = (bytes[p] << 8) | bytes[p + 1];
  if (c.name === 'malformed-hello') { if (csLen % 2 !== 1) fail('cipher length not odd'); } else if (csLen % 2) fail('odd cipher length');
  p += 2 + csLen;
  p += 1 + bytes[p];
  if (p < bytes.length) { const el = (bytes[p] << 8) | bytes[p + 1]; p += 2 + el; }
  if (p !== bytes.length) fail(`parse ends at ${p} of ${bytes.length}`);
}

// ------------------------------------------------------------- output

mkdirSync(outDir, { recursive: true });
const summary = [];
let md = `# Crafted ClientHello vectors

Generated by \`node tools/craft-hellos.mjs\` — do not edit by hand; change the
tool and run it again. The output is deterministic: no real randomness, no
dates, so re-running it yields identical files.

Each \`<case>.bin\` holds exactly the bytes a client sends after
\`220 2.0.0 Ready to start TLS\`. \`tools/send-after-starttls.mjs\` sends them to
a real Postfix, and \`tools/make-samples.sh\` saves what the server answered
under \`samples/\` and \`server/test/fixtures/live/\`. \`cases.json\` lists the
same cases in machine-readable form, with the rules the analyser should report.

Version notation: "3.1" means the two bytes \`03 01\` (TLS 1.0); "3.0" is
SSL 3.0; \`00 02\` is SSL 2.0. Fixed fillers stand in for random values
(client random, SSLv2 challenge, session id) so that the files are
reproducible; they are marked as such.

Cases:

| file | what | rules that should fire |
|---|---|---|
`;
for (const c of cases) {
  md += `| \`${c.name}.bin\` | ${c.title} | ${c.rules.length ? c.rules.map((r) => `\`${r}\``).join(', ') : 'none'} |\n`;
}
md += '\n';

for (const c of cases) {
  const bytes = new Uint8Array(total(c.fields));
  let off = 0;
  for (const f of c.fields) { bytes.set(f.bytes, off); off += f.bytes.length; }
  check(c, bytes);
  writeFileSync(join(outDir, `${c.name}.bin`), bytes);

  md += `## ${c.name}.bin — ${c.title}\n\n`;
  md += `${bytes.length} bytes. Format: ${c.format === 'sslv2' ? 'SSLv2-compatible CLIENT-HELLO (2-byte record header)' : 'SSL 3.0/TLS record + handshake'}; offered version ${c.offered}.\n`;
  md += `Expected: ${c.rules.length ? c.rules.map((r) => `\`${r}\``).join(', ') : 'no finding'} — ${c.why}\n\n`;
  md += '```\n';
  for (let i = 0; i < bytes.length; i += 16) md += hex(bytes.subarray(i, i + 16)) + '\n';
  md += '```\n\n';
  md += '| offset | bytes | field | meaning |\n|---:|---|---|---|\n';
  off = 0;
  for (const f of c.fields) {
    // Long runs (random, challenge, session id) are shown in full but wrapped.
    const h = f.bytes.length > 8 ? `${hex(f.bytes.subarray(0, 8))} … (${f.bytes.length} bytes)` : hex(f.bytes);
    md += `| ${off} | \`${h}\` | ${f.name} | ${f.note} |\n`;
    off += f.bytes.length;
  }
  md += '\n';
  summary.push({
    name: c.name, file: `${c.name}.bin`, title: c.title, length: bytes.length,
    format: c.format, offered_version: c.offered, expected_rules: c.rules, ...(c.extra ?? {}),
    hex: hex(bytes),
  });
}

writeFileSync(join(outDir, 'README.md'), md);
writeFileSync(join(outDir, 'cases.json'), JSON.stringify(summary, null, 1) + '\n');
process.stderr.write(`craft-hellos: wrote ${cases.length} cases to ${outDir}\n`);
