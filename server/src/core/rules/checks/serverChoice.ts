/**
 * What a server chose: tls-server-version-ssl3, tls-server-rejects-compat-hello,
 * tls-deprecated-version, tls13-legacy-version, tls-downgrade-sentinel,
 * tls-grease-selected.
 */
import type { ClientHelloMessage, ServerHelloMessage } from '../../model/tls';
import type { RuleCheck } from '../ruleContext';
import {
  collectFields,
  findAnsweredClientHello,
  findServerAnswer,
  highestOfferedVersion,
  isClientHello,
  listClientHellos,
  listRecords,
  listServerHellos,
  listStatedNegotiations,
  listStatedOfferedVersions,
  negotiatedVersion,
  relatedClientHello,
  relatedStarttls,
  spanOfBytes,
  type StatedNegotiationSite,
} from '../sites';
import { isGrease16 } from '../../tls/registry/grease';
import { SSL_3_0, TLS_1_0, TLS_1_1, TLS_1_2, TLS_1_3, describeVersion } from '../../tls/registry/versions';
import { EXT_SUPPORTED_VERSIONS } from '../../tls/registry/extensionTypes';
import { lookupCipherSuite } from '../../tls/registry/cipherSuites';
import { isSubmissionPort } from '../portContext';

const LAST_CALL = 'STARTTLS last-call proposal (2001)';
/** SSLv2 SERVER-HELLO message type (RFC 6101 App. E). */
const SSL2_MT_SERVER_HELLO = 4;

export const checkServerVersionSsl3: RuleCheck = (ctx) => {
  for (const site of listServerHellos(ctx.input.sessions)) {
    const sh = site.message;
    if (negotiatedVersion(sh) !== SSL_3_0) continue;
    const ch = findAnsweredClientHello(site);
    ctx.report({
      span: spanOfBytes(site, sh.versionSpan.start, sh.versionSpan.end),
      message: `ServerHello selects ${describeVersion(SSL_3_0)}; RFC 7568 §3 forbids negotiating SSL 3.0 (a server must choose TLS 1.0 or later or refuse).`,
      related: ch ? [relatedClientHello(ch)] : undefined,
    });
  }
  for (const site of listStatedNegotiations(ctx.input.sessions)) {
    if (site.version !== SSL_3_0) continue;
    ctx.report({
      span: site.span,
      message: `${statedOutcome(site, SSL_3_0)}; RFC 7568 §3 forbids negotiating SSL 3.0 (a server must choose TLS 1.0 or later or refuse).`,
    });
  }
  for (const site of listRecords(ctx.input.sessions)) {
    if (site.record.format !== 'sslv2') continue;
    for (const m of site.record.messages) {
      if (m.type !== SSL2_MT_SERVER_HELLO || isClientHello(m)) continue;
      ctx.report({
        span: spanOfBytes(site, site.record.start, site.record.start + 2),
        message: 'The server answers with an SSL 2.0 SERVER-HELLO; RFC 6176 §3 forbids negotiating SSL 2.0.',
      });
    }
  }
};

export const checkServerRejectsCompatHello: RuleCheck = (ctx) => {
  const rfc3207 = ctx.input.settings.baseline === 'rfc3207';
  for (const hello of listClientHellos(ctx.input.sessions)) {
    const ch = hello.message;
    if (ch.form !== 'sslv2' || ch.version < TLS_1_0) continue;
    const answer = findServerAnswer(hello);
    const alert = answer?.record.alert;
    if (!answer || !alert) continue;
    const offered = describeVersion(ch.version);
    const why = rfc3207
      ? `the ${LAST_CALL} requires servers to understand SSLv2-compatible hellos that offer TLS 1.0 or later`
      : 'RFC 6176 §3 lets servers accept such hellos but does not require it';
    ctx.report({
      span: spanOfBytes(answer, answer.record.start, answer.record.end),
      message: `The server answers an SSLv2-compatible ClientHello offering ${offered} with a ${alert.level === 2 ? 'fatal ' : ''}${alert.name} (${alert.description}) alert; ${why}.`,
      related: [relatedClientHello(hello), ...relatedStarttls(hello.starttls)],
    });
  }
};

/** How a finding on a stated version opens: the tool's word on the outcome, or a ServerHello it shows in words. */
function statedOutcome(site: StatedNegotiationSite, version: number): string {
  return site.fromServerHello
    ? `The ServerHello (as the tool states it) selects ${describeVersion(version)}`
    : `The log states that ${describeVersion(version)} was negotiated`;
}

function isDeprecated(version: number): boolean {
  return version === TLS_1_0 || version === TLS_1_1;
}

export const checkDeprecatedVersion: RuleCheck = (ctx) => {
  for (const site of listServerHellos(ctx.input.sessions)) {
    const v = negotiatedVersion(site.message);
    if (!isDeprecated(v)) continue;
    const port = ctx.portOf(site.session);
    ctx.report({
      span: spanOfBytes(site, site.message.versionSpan.start, site.message.versionSpan.end),
      severity: isSubmissionPort(port) ? 'error' : undefined,
      message: `The server negotiates ${describeVersion(v)}; RFC 8996 deprecates TLS 1.0 and 1.1 (MUST NOT be negotiated)${portNote(port)}.`,
      related: relatedStarttls(site.starttls),
    });
  }
  for (const site of listStatedNegotiations(ctx.input.sessions)) {
    if (!isDeprecated(site.version)) continue;
    const port = ctx.portOf(site.session);
    ctx.report({
      span: site.span,
      severity: isSubmissionPort(port) ? 'error' : undefined,
      message: `${statedOutcome(site, site.version)}; RFC 8996 deprecates TLS 1.0 and 1.1 (MUST NOT be negotiated)${portNote(port)}.`,
    });
  }
  for (const site of listClientHellos(ctx.input.sessions)) {
    const v = highestOfferedVersion(site.message);
    if (!isDeprecated(v)) continue;
    const port = ctx.portOf(site.session);
    ctx.report({
      span: spanOfBytes(site, site.message.versionSpan.start, site.message.versionSpan.end),
      severity: isSubmissionPort(port) ? 'error' : undefined,
      message: `ClientHello offers at most ${describeVersion(v)}; RFC 8996 requires TLS 1.2 or later${portNote(port)}.`,
      related: relatedStarttls(site.starttls),
    });
  }
  for (const site of listStatedOfferedVersions(ctx.input.sessions)) {
    if (!isDeprecated(site.version)) continue;
    const port = ctx.portOf(site.session);
    ctx.report({
      span: site.span,
      severity: isSubmissionPort(port) ? 'error' : undefined,
      message: `ClientHello (as the tool states it) offers at most ${describeVersion(site.version)}; RFC 8996 requires TLS 1.2 or later${portNote(port)}.`,
    });
  }
};

function portNote(port: number | null): string {
  if (isSubmissionPort(port)) return ` (port ${port} is submission: an error there)`;
  if (port === 25) return ' (port 25: opportunistic TLS still beats cleartext, so a warning)';
  return '';
}

export const checkTls13LegacyVersion: RuleCheck = (ctx) => {
  for (const site of listClientHellos(ctx.input.sessions)) {
    const ch: ClientHelloMessage = site.message;
    if (ch.form !== 'tls' || !ch.supportedVersions?.includes(TLS_1_3) || ch.version === TLS_1_2) continue;
    ctx.report({
      span: spanOfBytes(site, ch.versionSpan.start, ch.versionSpan.end),
      message: `ClientHello offers TLS 1.3 in supported_versions but legacy_version is ${describeVersion(ch.version)}; RFC 8446 §4.1.2 requires 0x0303.`,
    });
  }
  for (const site of listServerHellos(ctx.input.sessions)) {
    const sh: ServerHelloMessage = site.message;
    const span = spanOfBytes(site, sh.versionSpan.start, sh.versionSpan.end);
    if (sh.selectedVersion === TLS_1_3 && sh.version !== TLS_1_2) {
      ctx.report({ span, message: `ServerHello negotiates TLS 1.3 but legacy_version is ${describeVersion(sh.version)}; RFC 8446 §4.1.3 requires 0x0303.` });
    } else if (sh.version === TLS_1_3 && !sh.extensions.some((e) => e.type === EXT_SUPPORTED_VERSIONS)) {
      ctx.report({ span, message: 'ServerHello carries 0x0304 in legacy_version without a supported_versions extension; RFC 8446 §4.1.3 negotiates TLS 1.3 only through supported_versions, with legacy_version 0x0303.' });
    }
  }
};

/** RFC 8446 §4.1.3: "DOWNGRD" followed by 01 (TLS 1.2) or 00 (TLS 1.1 and below). */
const SENTINEL_PREFIX = '444f574e475244';

export const checkDowngradeSentinel: RuleCheck = (ctx) => {
  for (const site of listServerHellos(ctx.input.sessions)) {
    const sh = site.message;
    if (sh.random.length !== 64 || sh.random.slice(48, 62) !== SENTINEL_PREFIX) continue;
    const last = sh.random.slice(62);
    if (last !== '00' && last !== '01') continue;
    const answered = findAnsweredClientHello(site);
    if (!answered) continue;
    const highest = highestOfferedVersion(answered.message);
    // 01: the server negotiated TLS 1.2 although the client offered 1.3; 00: 1.1 or lower although the client offered 1.2+.
    const higher = last === '01' ? highest >= TLS_1_3 : highest >= TLS_1_2;
    if (!higher) continue;
    const randomStart = sh.versionSpan.end;
    ctx.report({
      span: spanOfBytes(site, randomStart + 24, randomStart + 32),
      message:
        `ServerHello.random ends in the downgrade sentinel DOWNGRD ${last} (negotiating ${describeVersion(negotiatedVersion(sh))}) ` +
        `while the ClientHello offered ${describeVersion(highest)}; RFC 8446 §4.1.3: a client must abort such a handshake (a middlebox or attacker may have removed the higher version).`,
      related: [relatedClientHello(answered)],
    });
  }
};

export const checkGreaseSelected: RuleCheck = (ctx) => {
  for (const site of listServerHellos(ctx.input.sessions)) {
    const sh = site.message;
    const choices: { what: string; value: number; start: number; end: number }[] = [];
    if (isGrease16(sh.version)) choices.push({ what: 'server_version', value: sh.version, ...sh.versionSpan });
    const fields = collectFields(sh.field, (f) => ['cipher_suite', 'selected_version', 'selected_group', 'group', 'extension_type'].includes(f.name));
    for (const f of fields) {
      if (typeof f.value !== 'number' || !isGrease16(f.value)) continue;
      choices.push({ what: f.name === 'extension_type' ? 'extension' : f.name, value: f.value, start: f.start, end: f.end });
    }
    for (const c of choices) {
      ctx.report({
        span: spanOfBytes(site, c.start, c.end),
        message: `ServerHello selects the GREASE value 0x${c.value.toString(16).padStart(4, '0')} as ${c.what}; RFC 8701 reserves GREASE values so that peers ignore them: a server must never choose one, and a client must reject it.`,
      });
    }
  }
};

/** Names for messages that mention suites or groups (shared with the cipher checks). */
export function describeSuite(value: number): string {
  return `${lookupCipherSuite(value).name} (0x${value.toString(16).padStart(4, '0')})`;
}
