/**
 * The founding rules, from the IETF last call of STARTTLS (2001): after
 * STARTTLS a ClientHello must be suitable for negotiating TLS 1.0 or later,
 * except for SSL session resumption; SSLv2-compatible hellos are allowed when
 * they offer TLS 1.0 or later. Since then RFC 6176 §3 forbids SSLv2-compatible
 * hellos and RFC 7568 §3 forbids SSL 3.0 altogether.
 */
import { documentSpanOfBytes } from '../../bytes/byteView';
import type { RuleCheck, RuleContext } from '../ruleContext';
import { listClientHellos, relatedStarttls, type ClientHelloSite } from '../sites';
import { describeVersion } from '../../tls/registry/versions';

const TLS_1_0 = 0x0301;
const SSL_3_0 = 0x0300;
const LAST_CALL = 'STARTTLS last-call proposal (2001)';

function where(site: ClientHelloSite): string {
  return site.starttls ? 'after STARTTLS ' : '';
}

export const checkHelloVersionBelow31: RuleCheck = (ctx: RuleContext) => {
  const rfc3207 = ctx.input.settings.baseline === 'rfc3207';
  for (const site of listClientHellos(ctx.input.sessions)) {
    const hello = site.message;
    if (hello.version >= TLS_1_0) continue;
    const span = documentSpanOfBytes(site.event.stream.view, hello.versionSpan.start, hello.versionSpan.end);
    const related = relatedStarttls(site.starttls);
    const form = hello.form === 'sslv2' ? 'SSLv2-compatible ClientHello' : 'ClientHello';
    const field = hello.form === 'sslv2' ? 'version' : 'client_version';
    const offered = describeVersion(hello.version);
    const requirement = `a hello must allow ${describeVersion(TLS_1_0)} or later`;
    const resumption = hello.form === 'tls' && hello.version === SSL_3_0 && hello.sessionId.length > 0;
    if (resumption && rfc3207) {
      ctx.report({
        span,
        severity: 'information',
        related,
        message:
          `${form} ${where(site)}offers ${offered} in ${field} with a session_id: an SSL 3.0 hello is ` +
          `allowed only to resume an SSL session (${LAST_CALL}).`,
      });
      continue;
    }
    let why: string;
    if (rfc3207) why = LAST_CALL;
    else if (hello.version === SSL_3_0)
      why = resumption ? 'RFC 7568 §3 forbids SSL 3.0, session resumption included' : 'RFC 7568 §3 forbids SSL 3.0';
    else why = 'RFC 6176 §3 forbids SSL 2.0';
    ctx.report({ span, related, message: `${form} ${where(site)}offers ${offered} in ${field}; ${requirement} (${why}).` });
  }
};

export const checkSslv2CompatHello: RuleCheck = (ctx: RuleContext) => {
  const rfc3207 = ctx.input.settings.baseline === 'rfc3207';
  for (const site of listClientHellos(ctx.input.sessions)) {
    const hello = site.message;
    if (hello.form !== 'sslv2' || hello.version < TLS_1_0) continue;
    // The 2-byte SSLv2 record header (high bit set) is what makes the format; point at it.
    const record = site.event.records.find((r) => r.messages.includes(hello));
    const headerStart = record ? record.start : hello.start;
    const span = documentSpanOfBytes(site.event.stream.view, headerStart, headerStart + 2);
    const offered = describeVersion(hello.version);
    const message = rfc3207
      ? `SSLv2-compatible ClientHello ${where(site)}offering ${offered}: legal under the ${LAST_CALL}, which requires servers to understand it.`
      : `ClientHello ${where(site)}uses the SSLv2-compatible format (offering ${offered}); RFC 6176 §3 forbids clients to send SSLv2-compatible hellos.`;
    ctx.report({ span, message, related: relatedStarttls(site.starttls) });
  }
};
