/** ServerHello and HelloRetryRequest (RFC 5246 §7.4.1.3, RFC 8446 §4.1.3, §4.1.4). */
import type { FieldNode, ServerHelloMessage } from '../model/tls';
import type { ByteCursor } from './byteCursor';
import { parseExtensions, type ExtensionsResult } from './extensions';
import { ja3s, memo } from './fingerprints';
import { frameNode, frameSpan, readHelloSessionId, readVersionField, type MessageFrame } from './messageFrame';
import type { ParseContext } from './parseContext';
import { lookupCipherSuite } from './registry/cipherSuites';
import { lookupCompressionMethod } from './registry/supportedGroups';
import { HELLO_RETRY_REQUEST_RANDOM } from './registry/handshakeTypes';

export { HELLO_RETRY_REQUEST_RANDOM };

export function parseServerHello(c: ByteCursor, ctx: ParseContext, frame: MessageFrame): ServerHelloMessage {
  const kids: FieldNode[] = [];
  let version = 0;
  let versionSpan = ctx.loc.span(c.pos, c.pos);
  let random = '';
  let sessionId = '';
  let cipherSuite = 0;
  let compressionMethod = 0;
  let ext: ExtensionsResult | null = null;
  let hrr = false;

  parse: {
    const v = readVersionField(c, ctx, 'server_version', kids);
    if (!v) break parse;
    version = v.value;
    versionSpan = v.span;

    const rAt = c.pos;
    const r = c.take(32, 'random');
    const rSpan = r ?? { start: rAt, end: c.presentEnd };
    random = ctx.hex(rSpan);
    hrr = random === HELLO_RETRY_REQUEST_RANDOM;
    kids.push(ctx.node('random', rSpan.start, rSpan.end, { value: random, display: hrr ? 'HelloRetryRequest' : undefined, kind: 'opaque' }));
    if (!r) break parse;

    // RFC 8446 §4.1.3: legacy_session_id_echo<0..32>.
    const sid = readHelloSessionId(c, ctx, kids);
    if (sid === null) break parse;
    sessionId = sid;

    const csAt = c.pos;
    const cs = c.u16('cipher_suite');
    if (cs === undefined) break parse;
    cipherSuite = cs;
    kids.push(ctx.node('cipher_suite', csAt, c.pos, { value: cs, display: lookupCipherSuite(cs).name, kind: 'enum' }));

    const cmAt = c.pos;
    const cm = c.u8('compression_method');
    if (cm === undefined) break parse;
    compressionMethod = cm;
    kids.push(ctx.node('compression_method', cmAt, c.pos, { value: cm, display: lookupCompressionMethod(cm).name, kind: 'enum' }));

    // RFC 5246 §7.4.1.3: extensions may be absent.
    if (!c.atEnd) {
      ext = parseExtensions(c, ctx, hrr ? 'hello_retry_request' : 'server');
      kids.push(...ext.nodes);
    }
    c.finish();
  }
  const cut = ctx.settle(c) || (ext?.cut ?? false);
  const extensions = ext?.extensions ?? [];
  const span = frameSpan(ctx, frame);
  const name = hrr ? 'HelloRetryRequest' : 'ServerHello';
  return {
    type: 2,
    name,
    version,
    versionSpan,
    random,
    sessionId,
    cipherSuite,
    compressionMethod,
    extensions,
    selectedVersion: ext?.selectedVersion ?? null,
    alpn: ext?.alpn ?? null,
    get ja3s(): string {
      return memo(this, 'ja3s', () => ja3s(version, cipherSuite, extensions.map((e) => e.type)));
    },
    start: span.start,
    end: span.end,
    field: frameNode(ctx, frame, name, kids),
    ...(cut ? { incomplete: true } : {}),
  };
}
