/**
 * The key exchange's group: tls-weak-dh-group. BCP 195 (RFC 7525 §4.3) recommends finite-field
 * Diffie-Hellman groups of at least 2048 bits (1024-bit groups are within reach of a well-funded
 * attacker: Logjam) and no elliptic curves under 192 bits.
 */
import type { AnalyzedSession } from '../../analysis/analyzeDocument';
import type { OtherHandshakeMessage } from '../../model/tls';
import type { StatedKeyExchange } from '../../model/transcript';
import type { RuleCheck } from '../ruleContext';
import { findAnsweredClientHello, findField, listRecords, relatedClientHello, spanOfBytes } from '../sites';
import { lookupCurveByName } from '../../tls/namedCurves';
import { lookupSupportedGroup } from '../../tls/registry/supportedGroups';
import { MIN_DH_BITS, MIN_EC_BITS } from '../keyStrength';

const SERVER_KEY_EXCHANGE = 12;

const WHY_DH = `BCP 195 (RFC 7525 §4.3) recommends Diffie-Hellman groups of at least ${MIN_DH_BITS} bits (a 1024-bit group is within reach of a well-funded attacker)`;
const WHY_EC = `BCP 195 (RFC 7525 §4.3) says curves under ${MIN_EC_BITS} bits should not be used`;

/** The size of the curve an EC key exchange names ('secp160r1', IANA's or OpenSSL's name), or undefined. */
function curveBits(name: string): number | undefined {
  return lookupCurveByName(name)?.bits;
}

/** What is weak about a key exchange a tool states, or null. */
function statedWeakness(k: StatedKeyExchange): { what: string; why: string } | null {
  if (k.finiteField) {
    const bits = k.bits ?? (/^ffdhe([0-9]{4})$/i.exec(k.name) ? Number(k.name.slice(5)) : null);
    return bits !== null && bits < MIN_DH_BITS ? { what: `a ${bits}-bit finite-field Diffie-Hellman group (${k.name})`, why: WHY_DH } : null;
  }
  const curve = k.curve ?? k.name;
  const bits = curveBits(curve) ?? (k.curve !== null ? k.bits : null);
  return bits !== null && bits !== undefined && bits < MIN_EC_BITS ? { what: `the ${bits}-bit curve ${curve}`, why: WHY_EC } : null;
}

export const checkWeakDhGroup: RuleCheck = (ctx) => {
  // Sessions whose ServerKeyExchange is decoded: what a tool says of the same exchange is not judged again.
  const decoded = new Set<AnalyzedSession>();
  for (const site of listRecords(ctx.input.sessions)) {
    for (const m of site.record.messages) {
      if (m.type !== SERVER_KEY_EXCHANGE || !('details' in m)) continue;
      const ske = m as OtherHandshakeMessage;
      const d = ske.details as Record<string, unknown>;
      if (typeof d.pLength === 'number' || typeof d.namedGroup === 'number') decoded.add(site.session);
      let field: string;
      let what: string;
      let why: string;
      if (typeof d.pBits === 'number' && d.pBits > 0 && d.pBits < MIN_DH_BITS) {
        field = 'dh_p';
        what = `a ${d.pBits}-bit Diffie-Hellman group (dh_p of ${String(d.pLength)} bytes)`;
        why = WHY_DH;
      } else if (typeof d.namedGroup === 'number') {
        const name = lookupSupportedGroup(d.namedGroup).name;
        const bits = curveBits(name);
        if (bits === undefined || bits >= MIN_EC_BITS) continue;
        field = 'named_curve';
        what = `the ${bits}-bit curve ${name}`;
        why = WHY_EC;
      } else continue;
      const node = findField(ske.field, field);
      if (!node) continue;
      const ch = findAnsweredClientHello(site);
      ctx.report({
        span: spanOfBytes(site, node.start, node.end),
        message: `ServerKeyExchange offers ${what} for the key exchange; ${why}.`,
        related: ch ? [relatedClientHello(ch)] : undefined,
      });
    }
  }
  // What a tool states: s_client's `Server Temp Key: DH, 1024 bits`, -trace's `dh_p (len=128)`, tshark -V's `p Length: 128`,
  // GnuTLS's `(DHE-CUSTOM1024)`, Postfix's `key-exchange` words.
  // A tool may state the same exchange twice (s_client -trace's ServerKeyExchange and its `Server Temp Key:`): once per session.
  for (const session of ctx.input.sessions) {
    if (decoded.has(session)) continue;
    for (const event of session.session.events) {
      if (event.kind !== 'stated' || !event.keyExchange) continue;
      const weak = statedWeakness(event.keyExchange);
      if (!weak) continue;
      ctx.report({ span: event.keyExchange.span, message: `The log states that the key exchange used ${weak.what}; ${weak.why}.` });
      break;
    }
  }
};
