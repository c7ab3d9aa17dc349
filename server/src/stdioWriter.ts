/**
 * The message writer of the stdio transport, able to send parts of a message
 * as JSON made in advance: a large publication of diagnostics is joined from
 * JSON kept per chunk (features/publishDiagnostics.ts) instead of being
 * serialised object by object at every edit. Everything else is written as
 * the library writes it.
 */
import { StreamMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

/** Params objects whose named property is to be sent as the given JSON text instead of its value. */
export interface RawJsonRegistry {
  set(params: object, key: string, json: string): void;
}

export function createStdioWriter(output: NodeJS.WritableStream): { writer: MessageWriter; registry: RawJsonRegistry } {
  const raw = new WeakMap<object, { key: string; json: string }>();
  const writer = new StreamMessageWriter(output, {
    charset: 'utf-8',
    contentTypeEncoder: {
      name: 'application/json',
      encode: (msg: Message) => Promise.resolve(Buffer.from(encodeMessage(msg, raw), 'utf-8')),
    },
  });
  return { writer, registry: { set: (params, key, json) => raw.set(params, { key, json }) } };
}

/** JSON of a message, with the registered property of its params spliced in as it was kept. */
export function encodeMessage(msg: Message, raw: WeakMap<object, { key: string; json: string }>): string {
  const params = (msg as { params?: unknown }).params;
  const entry = params && typeof params === 'object' ? raw.get(params) : undefined;
  if (!entry) return JSON.stringify(msg);
  const rest: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  delete rest[entry.key];
  const head: Record<string, unknown> = { ...(msg as unknown as Record<string, unknown>) };
  delete head.params;
  // Objects of at least one key: the spliced property goes before each closing brace.
  const restJson = JSON.stringify(rest);
  const paramsJson = `${restJson.slice(0, -1)}${restJson.length > 2 ? ',' : ''}${JSON.stringify(entry.key)}:${entry.json}}`;
  return `${JSON.stringify(head).slice(0, -1)},"params":${paramsJson}}`;
}
