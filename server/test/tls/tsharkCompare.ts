/**
 * Comparison of our TLS dissector with tshark's `-T json` dissection, shared by the
 * fixture suite (server/test/tls/messages.test.ts) and the live stage (test/live).
 *
 * Every handshake message of real sessions (server/test/fixtures/tls, made by
 * make-fixtures.sh: postfix STARTTLS and openssl s_server, TLS 1.0-1.3,
 * ECDHE/DHE/RSA, client certificates, HelloRetryRequest, PSK resumption)
 * decoded by our dissector and compared field by field with tshark 4.0.17's
 * `-T json` dissection of the same capture, stored next to it. The TLS 1.3
 * messages that travel encrypted are taken from the client's `openssl -msg`
 * output and compared with tshark's decryption through the session's keylog.
 * The suite does not need tshark installed.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ClientHelloMessage, HandshakeMessage, OtherHandshakeMessage, ServerHelloMessage, TlsExtension } from '../../src/core/model/tls';
import { decodeDecryptedContent, decodeTlsStream } from '../../src/core/tls/decodeStream';
import { TLS_1_3 } from '../../src/core/tls/registry/versions';
import { findSpanViolation, hex } from './helpers';

export type Json = { [key: string]: unknown };
export type Direction = 'client' | 'server';

export const arr = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
export const num = (s: unknown): number => Number(s);

/** Every leaf value of `key` anywhere under `o`, in document order. */
export function collect(o: unknown, key: string, out: string[] = []): string[] {
  if (Array.isArray(o)) for (const x of o) collect(x, key, out);
  else if (o && typeof o === 'object') {
    for (const [k, v] of Object.entries(o as Json)) {
      if (k === key && (typeof v === 'string' || Array.isArray(v)) && arr(v).every((x) => typeof x === 'string')) out.push(...arr(v as string | string[]));
      else collect(v, key, out);
    }
  }
  return out;
}

/** The extension subtrees of a tshark handshake object, in order. */
function tsharkExtensions(h: Json): Json[] {
  return Object.entries(h)
    .filter(([k]) => k.startsWith('Extension: '))
    .flatMap(([, v]) => arr(v as Json | Json[]));
}

export interface TsharkMessage {
  readonly dir: Direction;
  readonly encrypted: boolean;
  readonly h: Json;
}

/** tshark's handshake messages of one capture, from `-T json --no-duplicate-keys` text. */
export function readTsharkJson(text: string): TsharkMessage[] {
  const frames = JSON.parse(text) as { _source: { layers: Json } }[];
  if (frames.length === 0) return [];
  const clientPort = (frames[0]._source.layers.tcp as Json)['tcp.srcport'];
  const out: TsharkMessage[] = [];
  for (const f of frames) {
    const dir: Direction = (f._source.layers.tcp as Json)['tcp.srcport'] === clientPort ? 'client' : 'server';
    for (const t of arr(f._source.layers.tls as Json | Json[])) {
      for (const r of arr((t as Json)['tls.record'] as Json | Json[])) {
        for (const h of arr(r['tls.handshake'] as Json | Json[])) {
          if (!h || typeof h !== 'object' || !('tls.handshake.type' in h)) continue;
          // tshark 4.0 puts a KeyUpdate's request_update beside the handshake subtree, in the record.
          const keyUpdate = r['tls.handshake.key_update.request_update'];
          out.push({ dir, encrypted: 'tls.record.opaque_type' in r, h: keyUpdate !== undefined && h['tls.handshake.type'] === '24' ? { ...h, 'tls.handshake.key_update.request_update': keyUpdate } : h });
        }
      }
    }
  }
  return out;
}

interface MsgBlock {
  readonly dir: Direction;
  readonly version: number;
  readonly bytes: Uint8Array;
}

/** Handshake messages that `openssl s_client -msg` printed after an InnerContent line: the TLS 1.3 encrypted ones. */
function readDecryptedFromMsg(dir: string, name: string): MsgBlock[] {
  const lines = readFileSync(join(dir, `${name}.msg.txt`), 'utf8').split('\n');
  const out: MsgBlock[] = [];
  let afterInner = false;
  for (let i = 0; i < lines.length; i++) {
    const m = /^(<<<|>>>) (TLS [0-9.]+), (\w+) \[length ([0-9a-f]+)\]/.exec(lines[i]);
    if (!m) continue;
    if (m[3] === 'RecordHeader') {
      // A new record: its content is decrypted only when an InnerContent line follows the header.
      afterInner = false;
      continue;
    }
    if (m[3] === 'InnerContent') {
      afterInner = true;
      continue;
    }
    if (m[3] === 'Handshake' && afterInner) {
      let text = '';
      for (let j = i + 1; j < lines.length && /^ {4}[0-9a-f]{2}( |$)/.test(lines[j]); j++) text += lines[j];
      out.push({ dir: m[1] === '>>>' ? 'client' : 'server', version: m[2] === 'TLS 1.3' ? TLS_1_3 : 0x0303, bytes: hex(text) });
    }
    afterInner = false;
  }
  return out;
}

/** Our messages for one direction: the plaintext ones off the wire, then the decrypted ones in order. */
function readOurs(folder: string, name: string, dir: Direction): { plain: HandshakeMessage[]; decrypted: HandshakeMessage[] } {
  const bytes = new Uint8Array(readFileSync(join(folder, `${name}.${dir}.bin`)));
  const decoded = decodeTlsStream(bytes, { direction: dir });
  assert.deepEqual(decoded.problems, [], `${name} ${dir}: no problems`);
  assert.equal(findSpanViolation(decoded, bytes.length), null);
  const plain = decoded.records.filter((r) => !r.encrypted).flatMap((r) => r.messages);
  const decrypted: HandshakeMessage[] = [];
  for (const block of readDecryptedFromMsg(folder, name).filter((b) => b.dir === dir)) {
    const d = decodeDecryptedContent(block.bytes, 22, { version: block.version });
    assert.deepEqual(d.problems, [], `${name} ${dir}: decrypted message decodes cleanly`);
    decrypted.push(...d.records.flatMap((r) => r.messages));
  }
  return { plain, decrypted };
}

/** Counts every field compared, for the agreement line. */
export class Tally {
  compared = 0;
  agreed = 0;
  readonly mismatches: string[] = [];

  check(what: string, ours: unknown, theirs: unknown): void {
    this.compared++;
    const a = JSON.stringify(ours);
    const b = JSON.stringify(theirs);
    if (a === b) this.agreed++;
    else this.mismatches.push(`${what}: ours ${a} tshark ${b}`);
  }
}

/** The first value of `key` anywhere under `o` (tshark nests some fields in subtrees). */
export const first = (o: unknown, key: string): string | undefined => collect(o, key)[0];
export const hexOf = (s: string | undefined): string => (s ?? '').replace(/:/g, '');
const details = (m: HandshakeMessage): Json => ((m as OtherHandshakeMessage).details ?? {}) as Json;
const declaredLength = (m: HandshakeMessage): number => Number(m.field.children?.find((c) => c.name === 'length')?.value);

/** tshark prints validity as "2026-11-29 04:25:41 (UTC)". */
/** tshark's UTCTime ("2026-11-30 08:36:37 (UTC)") or GeneralizedTime ("Jan  1, 2099 00:00:00.000000000 UTC") as ISO 8601. */
const isoOf = (t: string): string =>
  /^\d{4}-/.test(t) ? `${t.slice(0, 10)}T${t.slice(11, 19)}.000Z` : new Date(Date.parse(String(t).replace(/\.\d+ UTC$/, ' UTC'))).toISOString();

export function compareExtensions(t: Tally, where: string, ours: readonly TlsExtension[], h: Json): void {
  const theirs = tsharkExtensions(h);
  t.check(`${where} extension types`, ours.map((x) => x.type), theirs.map((x) => num(x['tls.handshake.extension.type'])));
  for (const x of theirs) {
    const type = num(x['tls.handshake.extension.type']);
    const mine = ours.find((o) => o.type === type);
    const d = (mine?.details ?? {}) as Json;
    const w = `${where} ext ${type}`;
    switch (type) {
      case 0:
        if (collect(x, 'tls.handshake.extensions_server_name').length > 0) t.check(`${w} host names`, d.hostNames, collect(x, 'tls.handshake.extensions_server_name'));
        break;
      case 10:
        t.check(`${w} groups`, d.groups, collect(x, 'tls.handshake.extensions_supported_group').map(num));
        break;
      case 11:
        t.check(`${w} formats`, d.formats, collect(x, 'tls.handshake.extensions_ec_point_format').map(num));
        break;
      case 13:
      case 50:
        t.check(`${w} schemes`, d.schemes, collect(x, 'tls.handshake.sig_hash_alg').map(num));
        break;
      case 16:
        t.check(`${w} protocols`, d.protocols, collect(x, 'tls.handshake.extensions_alpn_str'));
        break;
      case 43: {
        const v = collect(x, 'tls.handshake.extensions.supported_version').map(num);
        if ('versions' in d) t.check(`${w} versions`, d.versions, v);
        else t.check(`${w} selected version`, d.selectedVersion, v[0]);
        break;
      }
      case 45:
        t.check(`${w} modes`, d.modes, collect(x, 'tls.extension.psk_ke_mode').map(num));
        break;
      case 51: {
        const selected = collect(x, 'tls.handshake.extensions_key_share_selected_group').map(num);
        const groups = collect(x, 'tls.handshake.extensions_key_share_group').map(num);
        const lengths = collect(x, 'tls.handshake.extensions_key_share_key_exchange_length').map(num);
        if (selected.length > 0) t.check(`${w} HRR selected_group`, d.selectedGroup, selected[0]);
        else if ('serverShare' in d) t.check(`${w} server share`, d.serverShare, { group: groups[0], keyExchangeLength: lengths[0] });
        else t.check(`${w} client shares`, d.clientShares, groups.map((g, i) => ({ group: g, keyExchangeLength: lengths[i] })));
        break;
      }
      case 41: {
        const sel = collect(x, 'tls.handshake.extensions.psk.identity.selected').map(num);
        if (sel.length > 0) t.check(`${w} selected identity`, d.selectedIdentity, sel[0]);
        else {
          const lens = collect(x, 'tls.handshake.extensions.psk.identity.identity_length').map(num);
          const ages = collect(x, 'tls.handshake.extensions.psk.identity.obfuscated_ticket_age').map(num);
          t.check(`${w} identities`, d.identities, lens.map((l, i) => ({ identityLength: l, obfuscatedTicketAge: ages[i] })));
          const bindersLen = num(collect(x, 'tls.handshake.extensions.psk.binders_len')[0]);
          t.check(`${w} binders length`, ((d.binderLengths as number[]) ?? []).reduce((a, b) => a + b + 1, 0), bindersLen);
        }
        break;
      }
      case 5: {
        const type5 = collect(x, 'tls.handshake.extensions_status_request_type').map(num);
        if (type5.length > 0) t.check(`${w} status type`, d.statusType, type5[0] === 1 ? 'ocsp' : type5[0]);
        break;
      }
      case 42: {
        const max = collect(x, 'tls.early_data.max_early_data_size').map(num);
        if (max.length > 0) t.check(`${w} max_early_data_size`, d.maxEarlyDataSize, max[0]);
        else t.check(`${w} empty early_data`, mine?.details, undefined);
        break;
      }
      case 44:
        t.check(`${w} cookie length`, d.cookieLength, num(collect(x, 'tls.handshake.extensions.cookie_len')[0]));
        break;
      case 49:
        t.check(`${w} empty post_handshake_auth`, mine?.details, undefined);
        break;
      case 65281:
        t.check(`${w} renegotiated_connection`, hexOf(d.renegotiatedConnection as string | undefined), hexOf(collect(x, 'tls.handshake.extensions_reneg_info')[0]));
        break;
      default:
        break;
    }
  }
}

export function compareCertificate(t: Tally, where: string, m: HandshakeMessage, h: Json): void {
  const d = details(m);
  const certs = (d.certificates as Json[]) ?? [];
  if ('tls.handshake.certificate_request_context_length' in h) {
    t.check(`${where} form`, d.form, 'tls13');
    t.check(`${where} context length`, hexOf(d.certificateRequestContext as string).length / 2, num(h['tls.handshake.certificate_request_context_length']));
  }
  const list = arr(h['tls.handshake.certificates'] as Json | Json[]);
  const lengths = collect(list, 'tls.handshake.certificate_length').map(num);
  const trees = list.flatMap((c) => arr(c['tls.handshake.certificate_tree'] as Json | Json[]));
  t.check(`${where} certificate lengths`, certs.map((c) => c.length), lengths);
  // RFC 8446 §4.4.2.1: an OCSP response in a TLS 1.3 CertificateEntry's status_request extension.
  const ocsp = collect(list, 'tls.handshake.ocsp_response_len').map(num);
  if (ocsp.length > 0) {
    const ours = certs.flatMap((c) => ((c.extensions as Json[]) ?? []).filter((x) => x.type === 5).map((x) => x.ocspResponseLength));
    t.check(`${where} OCSP response lengths in certificate entries`, ours, ocsp);
  }
  trees.forEach((tree, i) => {
    const c = (certs[i] ?? {}) as { keyType?: string; keyBits?: number } & Json;
    const w = `${where} cert ${i}`;
    const signed = tree['x509af.signedCertificate_element'] as Json;
    const times = collect(signed['x509af.validity_element'], 'x509af.utcTime').concat(collect(signed['x509af.validity_element'], 'x509af.generalizedTime'));
    t.check(`${w} notBefore`, c.notBefore, isoOf(times[0]));
    t.check(`${w} notAfter`, c.notAfter, isoOf(times[1]));
    t.check(`${w} signature algorithm`, c.signatureAlgorithmOid, collect(signed['x509af.signature_element'], 'x509af.algorithm.id')[0]);
    // tshark shows the INTEGER's bytes: a serial whose first bit is set has a 00 byte before it that we (and openssl) leave out.
    t.check(`${w} serial`, c.serialNumber, hexOf(signed['x509af.serialNumber'] as string).replace(/^00(?=[89a-f])/, ''));
    const sans = [...collect(signed, 'x509ce.dNSName').map((n) => `DNS:${n}`), ...collect(signed, 'x509ce.IPAddress.ipv4').map((n) => `IP:${n}`)];
    t.check(`${w} subjectAltNames`, c.subjectAltNames, sans);
    const subjectCn = collect(signed['x509af.subject_tree'], 'x509sat.uTF8String').concat(collect(signed['x509af.subject_tree'], 'x509sat.printableString'));
    t.check(`${w} subject CN`, String(c.subject).includes(`CN=${subjectCn[0]}`), true);
    // The certificate rules chain certificates by issuer and subject names: every value of the issuer tshark reads is in ours.
    const issuerValues = collect(signed['x509af.issuer_tree'], 'x509sat.uTF8String').concat(collect(signed['x509af.issuer_tree'], 'x509sat.printableString'));
    t.check(`${w} issuer values`, issuerValues.length > 0 && issuerValues.every((v) => String(c.issuer).includes(`=${v}`)), true);
    // tshark does not size keys; the SubjectPublicKey BIT STRING length bounds it: RSA 2048 is 270 bytes, P-256 65.
    const spk = hexOf(collect(signed, 'x509af.subjectPublicKey')[0]).length / 2;
    t.check(`${w} key bits plausible`, c.keyType === 'RSA' ? spk > Number(c.keyBits) / 8 && spk < Number(c.keyBits) / 8 + 20 : c.keyType === 'EC' ? spk === 2 * Math.ceil(Number(c.keyBits) / 8) + 1 : true, true);
  });
}

export function compareMessage(t: Tally, where: string, m: HandshakeMessage, h: Json): void {
  const type = num(h['tls.handshake.type']);
  t.check(`${where} type`, m.type, type);
  t.check(`${where} length`, declaredLength(m), num(h['tls.handshake.length']));
  t.check(`${where} complete`, m.incomplete ?? false, false);
  const d = details(m);
  switch (type) {
    case 1: {
      const ch = m as ClientHelloMessage;
      t.check(`${where} version`, ch.version, num(h['tls.handshake.version']));
      t.check(`${where} random`, ch.random, hexOf(h['tls.handshake.random'] as string));
      t.check(`${where} session id`, ch.sessionId, hexOf(h['tls.handshake.session_id'] as string | undefined));
      t.check(`${where} suites`, ch.cipherSuites, collect(h['tls.handshake.ciphersuites'], 'tls.handshake.ciphersuite').map(num));
      t.check(`${where} ja3`, ch.ja3, h['tls.handshake.ja3']);
      compareExtensions(t, where, ch.extensions, h);
      break;
    }
    case 2: {
      const sh = m as ServerHelloMessage;
      t.check(`${where} version`, sh.version, num(h['tls.handshake.version']));
      t.check(`${where} suite`, sh.cipherSuite, num(h['tls.handshake.ciphersuite']));
      t.check(`${where} ja3s`, sh.ja3s, h['tls.handshake.ja3s']);
      const hrr = hexOf(h['tls.handshake.random'] as string) === 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';
      t.check(`${where} name`, sh.name, hrr ? 'HelloRetryRequest' : 'ServerHello');
      compareExtensions(t, where, sh.extensions, h);
      break;
    }
    case 11:
      compareCertificate(t, where, m, h);
      break;
    case 12:
      if (first(h, 'tls.handshake.server_named_curve') !== undefined) {
        t.check(`${where} curve type`, d.curveType, num(first(h, 'tls.handshake.server_curve_type')) === 3 ? 'named_curve' : first(h, 'tls.handshake.server_curve_type'));
        t.check(`${where} named curve`, d.namedGroup, num(first(h, 'tls.handshake.server_named_curve')));
        t.check(`${where} point length`, d.publicKeyLength, num(first(h, 'tls.handshake.server_point_len')));
        t.check(`${where} point`, d.publicKey, hexOf(first(h, 'tls.handshake.server_point') as string));
      } else if (first(h, 'tls.handshake.p_len') !== undefined) {
        t.check(`${where} p/g/Ys lengths`, [d.pLength, d.gLength, d.ysLength], [num(first(h, 'tls.handshake.p_len')), num(first(h, 'tls.handshake.g_len')), num(first(h, 'tls.handshake.ys_len'))]);
      }
      if (first(h, 'tls.handshake.hint_len') !== undefined) {
        // RFC 4279 §2: psk_identity_hint; tshark shows its bytes in hex.
        t.check(`${where} PSK identity hint`, Buffer.from(String(d.pskIdentityHint), 'latin1').toString('hex'), hexOf(first(h, 'tls.handshake.hint')));
      }
      t.check(`${where} signature algorithm`, d.signatureAlgorithm, first(h, 'tls.handshake.sig_hash_alg') !== undefined ? num(first(h, 'tls.handshake.sig_hash_alg')) : undefined);
      // Anonymous and PSK key exchanges are not signed (RFC 5246 §7.4.3, RFC 4279 §2).
      t.check(`${where} signature length`, d.signatureLength, first(h, 'tls.handshake.sig_len') !== undefined ? num(first(h, 'tls.handshake.sig_len')) : undefined);
      break;
    case 13:
      if (first(h, 'tls.handshake.certificate_request_context_length') !== undefined) {
        t.check(`${where} form`, d.form, 'tls13');
        t.check(`${where} schemes`, d.signatureAlgorithms, collect(h, 'tls.handshake.sig_hash_alg').map(num));
        t.check(`${where} extension types`, ((d.extensions as Json[]) ?? []).map((x) => x.type), tsharkExtensions(h).map((x) => num(x['tls.handshake.extension.type'])));
      } else {
        t.check(`${where} certificate types`, d.certificateTypes, collect(h, 'tls.handshake.cert_type').map(num));
        t.check(`${where} schemes`, d.signatureAlgorithms, collect(h, 'tls.handshake.sig_hash_alg').map(num));
        t.check(`${where} CA names`, ((d.certificateAuthorities as string[]) ?? []).length, collect(h, 'tls.handshake.dname_len').length);
      }
      break;
    case 15:
      t.check(`${where} signature algorithm`, d.signatureAlgorithm, num(first(h, 'tls.handshake.sig_hash_alg')));
      t.check(`${where} signature length`, d.signatureLength, num(first(h, 'tls.handshake.sig_len') ?? first(h, 'tls.handshake.client_cert_vrfy.sig_len')));
      break;
    case 16:
      if (first(h, 'tls.handshake.client_point_len') !== undefined) {
        t.check(`${where} point length`, d.publicKeyLength, num(first(h, 'tls.handshake.client_point_len')));
        t.check(`${where} point`, d.publicKey, hexOf(first(h, 'tls.handshake.client_point') as string));
      } else if (first(h, 'tls.handshake.identity_len') !== undefined) {
        // A PSK ClientKeyExchange: our client stream has no ServerHello, so the suite (and
        // with it the PSK layout) is known only when the stream says so.
        if ('pskIdentity' in d) t.check(`${where} PSK identity`, d.pskIdentity, first(h, 'tls.handshake.identity'));
      } else if (first(h, 'tls.handshake.epms_len') !== undefined || first(h, 'tls.handshake.yc_len') !== undefined) {
        // Our client stream has no ServerHello: an RSA secret and a DH value look alike.
        t.check(`${where} exchange keys length`, d.exchangeKeysLength, num(first(h, 'tls.handshake.epms_len') ?? first(h, 'tls.handshake.yc_len')));
      }
      break;
    case 4: {
      t.check(`${where} lifetime`, d.ticketLifetime, num(first(h, 'tls.handshake.session_ticket_lifetime_hint')));
      t.check(`${where} ticket length`, d.ticketLength, num(first(h, 'tls.handshake.session_ticket_length')));
      if (first(h, 'tls.handshake.session_ticket_age_add') !== undefined) {
        t.check(`${where} age add`, d.ticketAgeAdd, num(first(h, 'tls.handshake.session_ticket_age_add')));
        t.check(`${where} nonce`, d.ticketNonce, hexOf(first(h, 'tls.handshake.session_ticket_nonce') as string));
        const ext = ((d.extensions as Json[]) ?? []).find((x) => x.type === 42);
        const max = collect(h, 'tls.early_data.max_early_data_size').map(num);
        t.check(`${where} max_early_data_size`, ext?.maxEarlyDataSize, max[0]);
      } else {
        t.check(`${where} form`, d.form, 'tls12');
      }
      break;
    }
    case 22:
      // RFC 6066 §8: CertificateStatus.
      t.check(`${where} status type`, d.statusType, num(first(h, 'tls.handshake.extensions_status_request_type')) === 1 ? 'ocsp' : first(h, 'tls.handshake.extensions_status_request_type'));
      t.check(`${where} OCSP response length`, d.ocspResponseLength, num(first(h, 'tls.handshake.ocsp_response_len')));
      break;
    case 24: {
      // RFC 8446 §4.6.3: KeyUpdateRequest.
      const v = num(first(h, 'tls.handshake.key_update.request_update'));
      t.check(`${where} request_update`, d.requestUpdate, v === 0 ? 'update_not_requested' : v === 1 ? 'update_requested' : v);
      break;
    }
    case 8:
      t.check(`${where} extension types`, ((d.extensions as Json[]) ?? []).map((x) => x.type), tsharkExtensions(h).map((x) => num(x['tls.handshake.extension.type'])));
      break;
    case 20:
      t.check(`${where} verify_data length`, d.verifyDataLength, num(h['tls.handshake.length']));
      break;
    default:
      break;
  }
}

/**
 * Registers one test per case of `folder` (files <name>.tshark.json, .client.bin, .server.bin,
 * .msg.txt as make-fixtures.sh writes them) and a last test printing the agreement rate.
 * The fixture suite and the live stage (test/live) both call it.
 */
export function registerTlsDifferential(folder: string, options: { label: string; minCases: number; minFields: number; total?: Tally }): void {
const CASES = readdirSync(folder)
  .filter((f) => f.endsWith('.tshark.json'))
  .map((f) => f.replace(/\.tshark\.json$/, ''))
  .sort();
const total = options.total ?? new Tally();

test(`${options.label}: the TLS cases are there`, () => {
  assert.ok(CASES.length >= options.minCases, CASES.join(' '));
});

for (const name of CASES) {
  test(`${name}: every handshake message agrees with tshark`, () => {
    const t = new Tally();
    const theirs = readTsharkJson(readFileSync(join(folder, `${name}.tshark.json`), 'utf8'));
    for (const dir of ['client', 'server'] as const) {
      const ours = readOurs(folder, name, dir);
      const plain = theirs.filter((x) => x.dir === dir && !x.encrypted);
      const decrypted = theirs.filter((x) => x.dir === dir && x.encrypted);
      t.check(`${dir} plaintext message types`, ours.plain.map((m) => m.type), plain.map((x) => num(x.h['tls.handshake.type'])));
      t.check(`${dir} decrypted message types`, ours.decrypted.map((m) => m.type), decrypted.map((x) => num(x.h['tls.handshake.type'])));
      plain.forEach((x, i) => ours.plain[i] && compareMessage(t, `${dir} ${i} (${ours.plain[i].name})`, ours.plain[i], x.h));
      decrypted.forEach((x, i) => ours.decrypted[i] && compareMessage(t, `${dir} decrypted ${i} (${ours.decrypted[i].name})`, ours.decrypted[i], x.h));
    }
    total.compared += t.compared;
    total.agreed += t.agreed;
    assert.deepEqual(t.mismatches, []);
    assert.ok(t.compared > 20, `only ${t.compared} fields compared`);
  });
}

test(`${options.label}: agreement with tshark over all cases`, () => {
  // Runs after the per-case tests (node:test runs top-level tests in order).
  console.log(`# ${options.label}: TLS dissector vs tshark: ${total.agreed}/${total.compared} fields agree (${((100 * total.agreed) / Math.max(1, total.compared)).toFixed(1)}%)`);
  assert.equal(total.agreed, total.compared);
  assert.ok(total.compared > options.minFields);
});
}
