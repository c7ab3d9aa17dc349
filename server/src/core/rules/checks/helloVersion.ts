/**
 * The founding rules, from the IETF last call of STARTTLS (2001): after
 * STARTTLS a ClientHello must be suitable for negotiating TLS 1.0 or later,
 * except for SSL session resumption; SSLv2-compatible hellos are allowed when
 * they offer TLS 1.0 or later. Since then RFC 6176 §3 forbids SSLv2-compatible
 * hellos and RFC 7568 §3 forbids SSL 3.0 altogether.
 */
import { documentSpanOfBytes } from '../../bytes/byteView';
import type { RuleCheck, RuleContext } from '../ruleContext';
import type { TextSpan } from '../../model/transcript';
import type { RelatedLocation } from '../types';
import { listClientHellos, listStatedOfferedVersions, relatedStarttls, type ClientHelloSite } from '../sites';
import { describeVersion } from '../../tls/registry/versions';

const TLS_1_0 = 0x0301;
const SSL_3_0 = 0x0300;
const LAST_CALL = 'STARTTLS last-call proposal (2001)';

function where(site: ClientHelloSite): string {
  return site.starttls ? 'after STARTTLS ' : '';
}

/** One hello to judge, decoded from bytes or stated by the tool in words (openssl -trace, gnutls-cli -d). */
interface OfferedHello {
  readonly form: 'tls' | 'sslv2';
  readonly version: number;
  readonly hasSessionId: boolean;
  readonly span: TextSpan;
  readonly afterStarttls: boolean;
  readonly related: RelatedLocation[];
  /** How the log shows it, for the message: '' for bytes, ' (as the tool states it)' for words. */
  readonly source: string;
}

function judgeOfferedVersion(ctx: RuleContext, h: OfferedHello): void {
  const rfc3207 = ctx.input.settings.baseline === 'rfc3207';
  if (h.version >= TLS_1_0) return;
  const form = h.form === 'sslv2' ? 'SSLv2-compatible ClientHello' : 'ClientHello';
  const field = h.form === 'sslv2' ? 'version' : 'client_version';
  const at = h.afterStarttls ? 'after STARTTLS ' : '';
  const offered = describeVersion(h.version);
  const requirement = `a hello must allow ${describeVersion(TLS_1_0)} or later`;
  const resumption = h.form === 'tls' && h.version === SSL_3_0 && h.hasSessionId;
  if (resumption && rfc3207) {
    ctx.report({
      span: h.span,
      severity: 'information',
      related: h.related,
      message:
        `${form}${h.source} ${at}offers ${offered} in ${field} with a session_id: an SSL 3.0 hello is ` +
        `allowed only to resume an SSL session (${LAST_CALL}).`,
    });
    return;
  }
  let why: string;
  if (rfc3207) why = LAST_CALL;
  else if (h.version === SSL_3_0) why = resumption ? 'RFC 7568 §3 forbids SSL 3.0, session resumption included' : 'RFC 7568 §3 forbids SSL 3.0';
  else why = 'RFC 6176 §3 forbids SSL 2.0';
  ctx.report({ span: h.span, related: h.related, message: `${form}${h.source} ${at}offers ${offered} in ${field}; ${requirement} (${why}).` });
}

export const checkHelloVersionBelow31: RuleCheck = (ctx: RuleContext) => {
  for (const site of listClientHellos(ctx.input.sessions)) {
    const hello = site.message;
    // A hello cut before its version field (the end of a dump or of the text): nothing to judge.
    if (hello.versionSpan.end <= hello.versionSpan.start) continue;
    judgeOfferedVersion(ctx, {
      form: hello.form,
      version: hello.version,
      hasSessionId: hello.sessionId.length > 0,
      span: documentSpanOfBytes(site.event.stream.view, hello.versionSpan.start, hello.versionSpan.end),
      afterStarttls: site.starttls !== null,
      related: relatedStarttls(site.starttls),
      source: '',
    });
  }
  // Hellos a tool only describes (openssl -trace prints `client_version=0x300 (SSL 3.0)`): the same judgement,
  // pointed at the words that state the version.
  for (const s of ctx.input.sessions) {
    s.session.events.forEach((e, index) => {
      if (e.kind !== 'stated' || e.subject !== 'client-hello' || e.version === undefined) return;
      const starttls = s.starttls[index] ?? null;
      judgeOfferedVersion(ctx, {
        form: e.sslv2 ? 'sslv2' : 'tls',
        version: e.version,
        hasSessionId: (e.sessionIdLength ?? 0) > 0,
        span: e.valueSpans?.version ?? e.span,
        afterStarttls: starttls !== null,
        related: relatedStarttls(starttls),
        source: ' (as the tool states it)',
      });
    });
  }
};

export const checkSslv2CompatHello: RuleCheck = (ctx: RuleContext) => {
  const rfc3207 = ctx.input.settings.baseline === 'rfc3207';
  for (const site of listClientHellos(ctx.input.sessions)) {
    const hello = site.message;
    if (hello.form !== 'sslv2' || hello.version < TLS_1_0) continue;
    // The 2-byte SSLv2 record header (high bit set) is what makes the format; point at it.
    // site.record is the record the hello came in (each message belongs to one record).
    const headerStart = site.record.start;
    const span = documentSpanOfBytes(site.event.stream.view, headerStart, headerStart + 2);
    const offered = describeVersion(hello.version);
    const message = rfc3207
      ? `SSLv2-compatible ClientHello ${where(site)}offering ${offered}: legal under the ${LAST_CALL}, which requires servers to understand it.`
      : `ClientHello ${where(site)}uses the SSLv2-compatible format (offering ${offered}); RFC 6176 §3 forbids clients to send SSLv2-compatible hellos.`;
    ctx.report({ span, message, related: relatedStarttls(site.starttls) });
  }
  // Hellos a tool states in words (tshark -V's "SSLv2 Record Layer: Client Hello"), in sessions with no decoded ClientHello.
  for (const site of listStatedOfferedVersions(ctx.input.sessions)) {
    const e = site.event;
    if (!e.sslv2 || e.version === undefined || e.version < TLS_1_0) continue;
    const starttls = site.session.starttls[site.session.session.events.indexOf(e)] ?? null;
    const at = starttls ? 'after STARTTLS ' : '';
    const offered = describeVersion(e.version);
    const message = rfc3207
      ? `SSLv2-compatible ClientHello (as the tool states it) ${at}offering ${offered}: legal under the ${LAST_CALL}, which requires servers to understand it.`
      : `ClientHello (as the tool states it) ${at}uses the SSLv2-compatible format (offering ${offered}); RFC 6176 §3 forbids clients to send SSLv2-compatible hellos.`;
    ctx.report({ span: e.valueSpans?.recordHeader ?? e.span, message, related: relatedStarttls(starttls) });
  }
};
