/**
 * What a hello offers or a server picks: weak suites, compression, secure
 * renegotiation, the fallback SCSV, server_name, duplicate extensions,
 * record_size_limit and values no registry knows.
 */
import type { ClientHelloMessage, FieldNode, HandshakeMessage } from '../../model/tls';
import type { RuleCheck } from '../ruleContext';
import {
  collectFields,
  findAnsweredClientHello,
  findField,
  forEachField,
  isDamaged,
  listClientHellos,
  listRecords,
  listServerHellos,
  listStatedClientHellos,
  listStatedOffers,
  listStatedSelections,
  negotiatedVersion,
  offeredVersions,
  relatedClientHello,
  spanOfBytes,
} from '../sites';
import { TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV, lookupCipherSuite } from '../../tls/registry/cipherSuites';
import { lookupCipherSpec } from '../../tls/registry/sslv2CipherKinds';
import { EXT_RECORD_SIZE_LIMIT, EXT_RENEGOTIATION_INFO, lookupExtensionType } from '../../tls/registry/extensionTypes';
import { lookupSupportedGroup } from '../../tls/registry/supportedGroups';
import { lookupSignatureScheme } from '../../tls/registry/signatureSchemes';
import { TLS_1_2, TLS_1_3 } from '../../tls/registry/versions';
import type { RegistryEntry } from '../../tls/registry/entry';
import { algorithmGroups } from '../../formats/statedFacts';

export type WeakClass = 'NULL' | 'EXPORT' | 'anon' | 'DES' | 'RC4';

/**
 * The weak classes a suite belongs to, read from its IANA name (RFC 7465 §2 RC4;
 * RFC 9325 §4.1: NULL, export-grade, anonymous and single-DES suites). 3DES is not single DES.
 */
export function classifyWeakSuite(name: string): WeakClass[] {
  return [...weakClassesOf(name)];
}

/** classifyWeakSuite, shared: a hello offers dozens of suites, the same in every session, so each name is classified once. */
function weakClassesOf(name: string): readonly WeakClass[] {
  const known = weakClasses.get(name);
  if (known) return known;
  const out = classifyByName(name);
  if (weakClasses.size < MAX_CLASSIFIED) weakClasses.set(name, out);
  return out;
}

/**
 * The weak classes of the algorithms GnuTLS's session description names, "(RSA)-(ARCFOUR-128)-(SHA1)":
 * ARCFOUR is RC4, a 40-bit cipher export-grade, NULL no cipher, DES-CBC single DES (3DES-CBC is not),
 * ANON-DH and ANON-ECDH anonymous key exchange.
 */
export function classifyDescribedAlgorithms(algorithms: string): WeakClass[] {
  const found = new Set(algorithmGroups(algorithms).flatMap(classifyAlgorithmGroup));
  return WEAK_CLASS_ORDER.filter((c) => found.has(c));
}

/** The order classes are listed in, as classifyByName lists them. */
const WEAK_CLASS_ORDER: readonly WeakClass[] = ['NULL', 'EXPORT', 'anon', 'DES', 'RC4'];

/** The weak classes of one algorithm of a GnuTLS description ("ARCFOUR-40": EXPORT and RC4), in WEAK_CLASS_ORDER. */
export function classifyAlgorithmGroup(group: string): WeakClass[] {
  const out: WeakClass[] = [];
  if (group === 'NULL') out.push('NULL');
  if (/-40$|EXPORT/.test(group)) out.push('EXPORT');
  if (group.startsWith('ANON-')) out.push('anon');
  if (group === 'DES-CBC' || group === 'DES-40') out.push('DES');
  if (group.startsWith('ARCFOUR')) out.push('RC4');
  return out;
}

/** Names classified so far (bounded: an SSLv2 cipher spec has 2^24 values, each with its own name). */
const weakClasses = new Map<string, readonly WeakClass[]>();
const MAX_CLASSIFIED = 4096;

function classifyByName(name: string): WeakClass[] {
  const out: WeakClass[] = [];
  if (/_WITH_NULL_|^TLS_NULL_WITH/.test(name)) out.push('NULL');
  if (/EXPORT/.test(name)) out.push('EXPORT');
  if (/_anon_/.test(name)) out.push('anon');
  if (/(^|_)DES(40)?_|DES_CBC_40|DES_64_CBC/.test(name) && !/3DES|DES_192_EDE3/.test(name)) out.push('DES');
  if (/_RC4_|^SSL2_RC4/.test(name)) out.push('RC4');
  return out;
}

/** Suites (TLS form) or cipher specs (SSLv2-compatible form) a hello offers, in its order. */
function offeredValues(ch: ClientHelloMessage): readonly number[] {
  return ch.form === 'sslv2' ? (ch.cipherSpecs ?? []) : (ch.cipherSuites ?? []);
}

function suiteName(ch: ClientHelloMessage, value: number): string {
  return ch.form === 'sslv2' ? lookupCipherSpec(value).name : lookupCipherSuite(value).name;
}

/** The field of each offered suite or cipher spec, in the order of offeredValues. */
function offeredFields(ch: ClientHelloMessage): FieldNode[] {
  const prefix = ch.form === 'sslv2' ? 'cipher_specs[' : 'cipher_suites[';
  return collectFields(ch.field, (f) => f.name.startsWith(prefix));
}

function hasSuite(ch: ClientHelloMessage, suite: number): boolean {
  return offeredValues(ch).includes(suite);
}

function listField(ch: ClientHelloMessage): { start: number; end: number } {
  const f = findField(ch.field, ch.form === 'sslv2' ? 'cipher_specs' : 'cipher_suites');
  return f ? { start: f.start, end: f.end } : ch.versionSpan;
}

/** The weak suites a hello offers, in its order, with their index in the list (no field lookup). */
function listWeakSuites(ch: ClientHelloMessage): WeakSuite[] {
  const values = offeredValues(ch);
  const out: WeakSuite[] = [];
  for (let i = 0; i < values.length; i++) {
    const name = suiteName(ch, values[i]);
    const classes = weakClassesOf(name);
    if (classes.length > 0) out.push({ index: i, name, classes });
  }
  return out;
}

type WeakSuite = { index: number; name: string; classes: readonly WeakClass[] };

/** The finding's severity and message for the weak suites a hello offers (decoded or stated). */
function weakOfferVerdict(weak: readonly WeakSuite[], who: string): { severity: 'error' | undefined; message: string } {
  const rc4 = weak.some((s) => s.classes.includes('RC4'));
  const classes = [...new Set(weak.flatMap((s) => s.classes))].join(', ');
  const names = weak.slice(0, 4).map((s) => s.name).join(', ') + (weak.length > 4 ? `, and ${weak.length - 4} more` : '');
  return {
    severity: rc4 ? 'error' : undefined,
    message:
      `${who} offers ${weak.length} weak cipher suite${weak.length === 1 ? '' : 's'} (${classes}): ${names}. ` +
      (rc4 ? 'RFC 7465 §2 forbids offering RC4; ' : '') +
      'RFC 9325 §4.1 rules out NULL, export-grade and single-DES suites; RFC 5246 App. A.5 keeps anonymous suites for peers that explicitly accept no authentication.',
  };
}

export const checkWeakCipherOffered: RuleCheck = (ctx) => {
  for (const site of listClientHellos(ctx.input.sessions)) {
    // Most hellos offer no weak suite: the field tree is walked only for those that do.
    const weak = listWeakSuites(site.message);
    if (weak.length === 0) continue;
    const first = offeredFields(site.message)[weak[0].index] ?? listField(site.message);
    ctx.report({ span: spanOfBytes(site, first.start, first.end), ...weakOfferVerdict(weak, 'ClientHello') });
  }
  // Hellos a tool states in words (gnutls-cli -d 4, openssl -trace, tshark -V); SSLv2 cipher specs are 24-bit.
  for (const site of listStatedOffers(ctx.input.sessions)) {
    const weak: WeakSuite[] = [];
    site.suites.forEach((value, index) => {
      const name = value > 0xffff ? lookupCipherSpec(value).name : lookupCipherSuite(value).name;
      const classes = weakClassesOf(name);
      if (classes.length > 0) weak.push({ index, name, classes });
    });
    if (weak.length === 0) continue;
    const span = site.event.valueSpans?.[`cipherSuites[${weak[0].index}]`] ?? site.event.span;
    ctx.report({ span, ...weakOfferVerdict(weak, 'The ClientHello the log states') });
  }
};

/** "an anon suite", "a NULL suite", "an EXPORT/RC4 suite": the classes with the article their first one is read with. */
function describeClasses(classes: readonly WeakClass[]): string {
  const an = classes[0] === 'anon' || classes[0] === 'EXPORT' || classes[0] === 'RC4';
  return `${an ? 'an' : 'a'} ${classes.join('/')} suite`;
}

/** Why a selected suite of these weak classes matters, and the port note (shared by decoded and stated selections). */
function selectedSuiteVerdict(classes: readonly WeakClass[], port: number | null): { severity: 'warning' | undefined; why: string } {
  const anonOnly = classes.length === 1 && classes[0] === 'anon';
  return {
    severity: anonOnly && port === 25 ? 'warning' : undefined,
    why:
      (classes.includes('RC4')
        ? 'RFC 7465 §2 forbids negotiating RC4.'
        : anonOnly
          ? 'RFC 5246 App. A.5 allows anonymous suites only where the application explicitly accepts an unauthenticated peer.'
          : 'RFC 9325 §4.1 says not to negotiate it.') +
      (anonOnly && port === 25 ? ' On port 25 an anonymous suite still encrypts opportunistically (RFC 5246 App. A.5), so only a warning.' : ''),
  };
}

export const checkWeakCipherSelected: RuleCheck = (ctx) => {
  for (const site of listStatedSelections(ctx.input.sessions)) {
    let classes: readonly WeakClass[];
    let what: string;
    if (site.code === undefined) {
      classes = classifyDescribedAlgorithms(site.stated);
      what = `the algorithms ${site.stated} were`;
    } else {
      const name = lookupCipherSuite(site.code).name;
      const hex = `0x${site.code.toString(16).padStart(4, '0')}`;
      classes = weakClassesOf(name);
      what = `${site.stated === name || site.stated === hex ? name : `${site.stated} (${name})`} (${hex}) was`;
    }
    if (classes.length === 0) continue;
    const verdict = selectedSuiteVerdict(classes, ctx.portOf(site.session));
    ctx.report({
      span: site.span,
      severity: verdict.severity,
      message: `The log states that ${what} negotiated, ${describeClasses(classes)}; ${verdict.why}`,
    });
  }
  for (const site of listServerHellos(ctx.input.sessions)) {
    const sh = site.message;
    // A ServerHello cut before its cipher_suite (a dump that ends inside it) selects nothing.
    const field = findField(sh.field, 'cipher_suite');
    if (!field) continue;
    const name = lookupCipherSuite(sh.cipherSuite).name;
    const classes = weakClassesOf(name);
    if (classes.length === 0) continue;
    const verdict = selectedSuiteVerdict(classes, ctx.portOf(site.session));
    const ch = findAnsweredClientHello(site);
    ctx.report({
      span: spanOfBytes(site, field.start, field.end),
      severity: verdict.severity,
      message: `ServerHello selects ${name} (0x${sh.cipherSuite.toString(16).padStart(4, '0')}), ${describeClasses(classes)}; ${verdict.why}`,
      related: ch ? [relatedClientHello(ch)] : undefined,
    });
  }
};

const NULL_COMPRESSION = 0;
const DEFLATE = 1;

export const checkCompression: RuleCheck = (ctx) => {
  for (const site of listClientHellos(ctx.input.sessions)) {
    const ch = site.message;
    if (ch.form !== 'tls' || isDamaged(site)) continue;
    const lacksNull = !ch.compressionMethods.includes(NULL_COMPRESSION);
    if (!lacksNull && !ch.compressionMethods.includes(DEFLATE)) continue;
    const field = findField(ch.field, 'compression_methods');
    const span = field ? spanOfBytes(site, field.start, field.end) : spanOfBytes(site, ch.versionSpan.start, ch.versionSpan.end);
    const list = ch.compressionMethods.map((m) => `0x${m.toString(16).padStart(2, '0')}`).join(', ') || 'empty';
    if (lacksNull) {
      ctx.report({ span, severity: 'error', message: `ClientHello compression_methods (${list}) lacks null (0x00); RFC 5246 §7.4.1.2 requires every ClientHello to include it.` });
    } else {
      ctx.report({ span, message: `ClientHello offers DEFLATE compression (${list}); compressed TLS leaks secrets (CRIME, RFC 7457 §2.6) and RFC 9325 says to disable it.` });
    }
  }
  for (const site of listServerHellos(ctx.input.sessions)) {
    const sh = site.message;
    if (sh.compressionMethod === NULL_COMPRESSION || isDamaged(site)) continue;
    const field = findField(sh.field, 'compression_method');
    const tls13 = negotiatedVersion(sh) === TLS_1_3;
    ctx.report({
      span: field ? spanOfBytes(site, field.start, field.end) : spanOfBytes(site, sh.versionSpan.start, sh.versionSpan.end),
      severity: tls13 ? 'error' : undefined,
      message: tls13
        ? `ServerHello selects compression method 0x${sh.compressionMethod.toString(16).padStart(2, '0')} in TLS 1.3; RFC 8446 §4.1.3 requires legacy_compression_method 0.`
        : `ServerHello selects compression method 0x${sh.compressionMethod.toString(16).padStart(2, '0')}; compressed TLS leaks secrets (CRIME, RFC 7457 §2.6).`,
    });
  }
};

function signalsRenegotiationInfo(ch: ClientHelloMessage): boolean {
  return hasSuite(ch, TLS_EMPTY_RENEGOTIATION_INFO_SCSV) || ch.extensions.some((e) => e.type === EXT_RENEGOTIATION_INFO);
}

export const checkNoRenegotiationInfo: RuleCheck = (ctx) => {
  for (const site of listClientHellos(ctx.input.sessions)) {
    const ch = site.message;
    if (isDamaged(site)) continue;
    // RFC 5746 §3.4 binds clients that may negotiate TLS 1.2 or earlier; a TLS 1.3-only hello is exempt.
    if (!offeredVersions(ch).some((v) => v <= TLS_1_2)) continue;
    if (signalsRenegotiationInfo(ch)) continue;
    const f = listField(ch);
    ctx.report({
      span: spanOfBytes(site, f.start, f.end),
      message: 'ClientHello carries neither the renegotiation_info extension nor TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00ff); RFC 5746 §3.4 requires one of them in every initial hello.',
    });
  }
  for (const site of listServerHellos(ctx.input.sessions)) {
    const sh = site.message;
    if (isDamaged(site) || negotiatedVersion(sh) >= TLS_1_3) continue;
    const ch = findAnsweredClientHello(site);
    if (!ch || !signalsRenegotiationInfo(ch.message)) continue;
    if (sh.extensions.some((e) => e.type === EXT_RENEGOTIATION_INFO)) continue;
    ctx.report({
      span: spanOfBytes(site, sh.versionSpan.start, sh.versionSpan.end),
      message: 'The client signalled secure renegotiation but the ServerHello has no renegotiation_info extension; RFC 5746 §3.6 requires a server that supports it to answer with one.',
      related: [relatedClientHello(ch)],
    });
  }
};

export const checkFallbackScsv: RuleCheck = (ctx) => {
  for (const site of listClientHellos(ctx.input.sessions)) {
    const ch = site.message;
    if (!hasSuite(ch, TLS_FALLBACK_SCSV)) continue;
    const index = offeredValues(ch).findIndex((v) => (v & 0xffff) === TLS_FALLBACK_SCSV && v >>> 16 === 0);
    const field = (index >= 0 ? offeredFields(ch)[index] : undefined) ?? listField(ch);
    ctx.report({
      span: spanOfBytes(site, field.start, field.end),
      message:
        'ClientHello carries TLS_FALLBACK_SCSV (0x5600): the client is retrying with a lower version after a failed handshake. ' +
        'A server that supports a higher version than offered must answer with a fatal inappropriate_fallback (86) alert (RFC 7507 §3).',
    });
  }
};

const IPV4 = /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/;

/** What is wrong with a server_name (host_name) under RFC 6066 §3, or '' when nothing is. */
/** An IPv4 or IPv6 address literal (bracketed or not), which server_name may not carry (RFC 6066 §3). */
export function isIpLiteral(name: string): boolean {
  return IPV4.test(name) || name.includes(':') || /^\[.*\]$/.test(name);
}

export function sniProblem(name: string): string {
  if (isIpLiteral(name)) return 'is an IP address literal; RFC 6066 §3 allows only DNS host names there';
  if (name.endsWith('.')) return 'ends with a dot; RFC 6066 §3 requires the host name without the trailing dot';
  return '';
}

export const checkSniInvalid: RuleCheck = (ctx) => {
  for (const site of listClientHellos(ctx.input.sessions)) {
    const name = site.message.serverName;
    if (name === null) continue;
    const why = sniProblem(name);
    if (!why) continue;
    const field = findField(site.message.field, 'host_name');
    const span = field ? spanOfBytes(site, field.start, field.end) : spanOfBytes(site, site.message.start, site.message.start + 1);
    ctx.report({ span, message: `server_name "${name}" ${why}.` });
  }
  // A ClientHello a tool states in words (tshark -V's "Server Name:"), in a session with no decoded ClientHello.
  for (const site of listStatedClientHellos(ctx.input.sessions)) {
    const name = site.event.serverName;
    const why = name === undefined ? '' : sniProblem(name);
    if (!why) continue;
    ctx.report({ span: site.event.valueSpans?.serverName ?? site.event.span, message: `server_name "${name}" (as the tool states it) ${why}.` });
  }
};

/** RFC 8449 §4: the smallest record_size_limit an endpoint may send. */
export const MIN_RECORD_SIZE_LIMIT = 64;

/** ClientHello, ServerHello, EncryptedExtensions. */
const RECORD_SIZE_LIMIT_CARRIERS: ReadonlySet<number> = new Set([1, 2, 8]);

/** The extensions a hello lists, or those of EncryptedExtensions (its details); none for other messages. */
function extensionsOf(m: HandshakeMessage): readonly { readonly type: number }[] {
  if ('extensions' in m) return m.extensions;
  const list = m.details?.extensions;
  return Array.isArray(list) ? (list as { type: number }[]) : [];
}

export const checkRecordSizeLimitTooSmall: RuleCheck = (ctx) => {
  // ClientHello, a TLS 1.2 ServerHello, or TLS 1.3 EncryptedExtensions when the log shows it decrypted.
  const seen = new Set<object>();
  for (const site of listRecords(ctx.input.sessions)) {
    for (const m of site.record.messages) {
      // Only these messages carry record_size_limit (RFC 8449 §4); a Certificate's tree is not walked.
      if (!RECORD_SIZE_LIMIT_CARRIERS.has(m.type) || seen.has(m)) continue;
      seen.add(m);
      // The field is decoded only inside a record_size_limit extension: without one, no walk.
      if (!extensionsOf(m).some((e) => e.type === EXT_RECORD_SIZE_LIMIT)) continue;
      forEachField(m.field, (f) => {
        if (f.name === 'record_size_limit' && typeof f.value === 'number' && f.value < MIN_RECORD_SIZE_LIMIT) {
          ctx.report({
            span: spanOfBytes(site, f.start, f.end),
            message: `${m.name} sends record_size_limit ${f.value}; RFC 8449 §4 forbids values below ${MIN_RECORD_SIZE_LIMIT}, and the peer must abort with a fatal illegal_parameter alert.`,
          });
        }
      });
    }
  }
};

/** Byte spans [start, start+2) of the type of each repeated extension, by stream view. */
export function findDuplicateExtensions(ch: ClientHelloMessage | { extensions: ClientHelloMessage['extensions'] }): { type: number; name: string; start: number }[] {
  const seen = new Set<number>();
  const out: { type: number; name: string; start: number }[] = [];
  for (const e of ch.extensions) {
    if (seen.has(e.type)) out.push({ type: e.type, name: e.name, start: e.start });
    seen.add(e.type);
  }
  return out;
}

export const checkDuplicateExtension: RuleCheck = (ctx) => {
  const sites = [...listClientHellos(ctx.input.sessions), ...listServerHellos(ctx.input.sessions)];
  for (const site of sites) {
    for (const d of findDuplicateExtensions(site.message)) {
      ctx.report({
        span: spanOfBytes(site, d.start, d.start + 2),
        message: `${site.message.name} repeats the ${d.name} extension (type ${d.type}); RFC 8446 §4.2 and RFC 5246 §7.4.1.4 allow each extension type at most once per message.`,
      });
    }
  }
};

interface ValueLookup {
  readonly what: string;
  readonly lookup: (v: number) => RegistryEntry;
}

const CIPHER_SUITE: ValueLookup = { what: 'cipher suite', lookup: lookupCipherSuite };
const EXTENSION_TYPE: ValueLookup = { what: 'extension type', lookup: lookupExtensionType };
const GROUP: ValueLookup = { what: 'group', lookup: lookupSupportedGroup };
const SIGNATURE_SCHEME: ValueLookup = { what: 'signature scheme', lookup: lookupSignatureScheme };

/** The registry a field's value is looked up in, by the field's name; null for other fields. */
export function registryOfField(name: string): ValueLookup | null {
  switch (name.charCodeAt(0)) {
    case 0x63: // c
      return name === 'cipher_suite' || name.startsWith('cipher_suites[') ? CIPHER_SUITE : null;
    case 0x65: // e
      return name === 'extension_type' ? EXTENSION_TYPE : null;
    case 0x67: // g
      return name === 'group' ? GROUP : null;
    case 0x6e: // n
      return name.startsWith('named_group_list[') ? GROUP : null;
    case 0x73: // s
      return name === 'selected_group' ? GROUP : name.startsWith('supported_signature_algorithms[') ? SIGNATURE_SCHEME : null;
    default:
      return null;
  }
}

export const checkUnknownValue: RuleCheck = (ctx) => {
  const sites = [...listClientHellos(ctx.input.sessions), ...listServerHellos(ctx.input.sessions)];
  for (const site of sites) {
    // Depth first, as the fields are shown; a hello has a few hundred fields and almost never an unknown value.
    forEachField(site.message.field, (f) => {
      if (typeof f.value !== 'number') return;
      const l = registryOfField(f.name);
      const entry = l?.lookup(f.value);
      if (l && entry && !entry.known && !entry.grease) {
        ctx.report({
          span: spanOfBytes(site, f.start, f.end),
          message: `${site.message.name} carries ${l.what} 0x${f.value.toString(16).padStart(4, '0')}, which is neither in the IANA registry nor a GREASE value.`,
        });
      }
    });
  }
};
