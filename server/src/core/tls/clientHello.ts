/** ClientHello in TLS / SSL 3.0 format (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2, RFC 6101 §5.6.1.2). */
import type { ClientHelloMessage, FieldNode } from '../model/tls';
import type { ByteCursor } from './byteCursor';
import { parseExtensions, readNumberList, type ExtensionsResult } from './extensions';
import { ja3, ja4, memo } from './fingerprints';
import { frameNode, frameSpan, readHelloSessionId, readVersionField, type MessageFrame } from './messageFrame';
import type { ParseContext } from './parseContext';
import { lookupCipherSuite } from './registry/cipherSuites';
import { lookupCompressionMethod } from './registry/supportedGroups';

export function parseClientHello(c: ByteCursor, ctx: ParseContext, frame: MessageFrame): ClientHelloMessage {
  const kids: FieldNode[] = [];
  let version = 0;
  let versionSpan = ctx.loc.span(c.pos, c.pos);
  let random = '';
  let sessionId = '';
  let suites: number[] = [];
  let compression: number[] = [];
  let ext: ExtensionsResult | null = null;

  parse: {
    const v = readVersionField(c, ctx, 'client_version', kids);
    if (!v) break parse;
    version = v.value;
    versionSpan = v.span;

    const rAt = c.pos;
    const r = c.take(32, 'random');
    const rSpan = r ?? { start: rAt, end: c.presentEnd };
    random = ctx.hex(rSpan);
    kids.push(ctx.node('random', rSpan.start, rSpan.end, { value: random, kind: 'opaque' }));
    if (!r) break parse;

    // RFC 5246 §7.4.1.2 / RFC 8446 §4.1.2: opaque legacy_session_id<0..32>.
    const sid = readHelloSessionId(c, ctx, kids);
    if (sid === null) break parse;
    sessionId = sid;

    // RFC 5246 §7.4.1.2: CipherSuite cipher_suites<2..2^16-2>.
    const csAt = c.pos;
    const cs = readNumberList(c, ctx, 2, 2, 'cipher_suites', 'cipher_suites', lookupCipherSuite);
    suites = cs.values;
    kids.push(...cs.nodes);
    if (c.failed) break parse;
    if (cs.values.length === 0 && c.data.length >= csAt + 2 && c.data[csAt] === 0 && c.data[csAt + 1] === 0) {
      ctx.malformed('cipher_suites is empty (at least one suite is required)', csAt, csAt + 2);
    }

    // RFC 5246 §7.4.1.2: CompressionMethod compression_methods<1..2^8-1>.
    const cmAt = c.pos;
    const cm = readNumberList(c, ctx, 1, 1, 'compression_methods', 'compression_methods', lookupCompressionMethod);
    compression = cm.values;
    kids.push(...cm.nodes);
    if (c.failed) break parse;
    if (cm.values.length === 0) ctx.malformed('compression_methods is empty (at least one method is required)', cmAt, cmAt + 1);

    // RFC 5246 §7.4.1.2: the extensions block may be absent (SSL 3.0 and early TLS clients).
    if (!c.atEnd) {
      ext = parseExtensions(c, ctx, 'client');
      kids.push(...ext.nodes);
    }
    c.finish();
  }
  const cut = ctx.settle(c) || (ext?.cut ?? false);

  const extTypes = ext?.extensions.map((e) => e.type) ?? [];
  const facts = {
    version,
    cipherSuites: suites,
    extensions: extTypes,
    supportedGroups: ext?.supportedGroups ?? null,
    ecPointFormats: ext?.ecPointFormats ?? null,
    supportedVersions: ext?.supportedVersions ?? null,
    alpn: ext?.alpn ?? null,
    signatureAlgorithms: ext?.signatureAlgorithms ?? null,
  };
  const span = frameSpan(ctx, frame);
  return {
    type: 1,
    name: 'ClientHello',
    form: 'tls',
    version,
    versionSpan,
    random,
    sessionId,
    cipherSuites: suites,
    compressionMethods: compression,
    extensions: ext?.extensions ?? [],
    serverName: ext?.serverName ?? null,
    supportedVersions: ext?.supportedVersions ?? null,
    alpn: ext?.alpn ?? null,
    supportedGroups: ext?.supportedGroups ?? null,
    signatureAlgorithms: ext?.signatureAlgorithms ?? null,
    ecPointFormats: ext?.ecPointFormats ?? null,
    // Fingerprints are made when read (decode output, a summary), not for every hello a check decodes.
    get ja3(): string {
      return memo(this, 'ja3', () => ja3(facts));
    },
    get ja4(): string {
      return memo(this, 'ja4', () => ja4(facts));
    },
    start: span.start,
    end: span.end,
    field: frameNode(ctx, frame, 'ClientHello', kids),
    ...(cut ? { incomplete: true } : {}),
  };
}
