/** Alert protocol (RFC 5246 §7.2, RFC 8446 §6). */
import type { FieldNode, TlsAlert } from '../model/tls';
import type { ByteCursor } from './byteCursor';
import type { ParseContext } from './parseContext';
import { lookupAlertDescription, lookupAlertLevel } from './registry/alerts';

export interface ParsedAlert {
  readonly alert: TlsAlert | null;
  readonly node: FieldNode;
}

export function parseAlert(c: ByteCursor, ctx: ParseContext): ParsedAlert {
  const start = c.pos;
  const kids: FieldNode[] = [];
  let alert: TlsAlert | null = null;
  const level = c.u8('level');
  if (level !== undefined) {
    kids.push(ctx.node('level', start, start + 1, { value: level, display: lookupAlertLevel(level).name, kind: 'enum' }));
    const description = c.u8('description');
    if (description !== undefined) {
      const name = lookupAlertDescription(description).name;
      kids.push(ctx.node('description', start + 1, start + 2, { value: description, display: name, kind: 'enum' }));
      alert = { level, description, name };
    }
  }
  // RFC 8446 §5.1: alert messages are not coalesced into one record; RFC 5246 §7.2 defines 2 bytes.
  c.finish();
  ctx.settle(c);
  return { alert, node: ctx.node('Alert', start, c.end, { display: alert ? `${lookupAlertLevel(alert.level).name} ${alert.name}` : undefined, kind: 'container', children: kids }) };
}
