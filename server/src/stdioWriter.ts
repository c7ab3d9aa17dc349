/**
 * The message writer of the stdio transport, able to send parts of a message
 * as JSON made in advance: a large publication of diagnostics is joined from
 * JSON kept per chunk (features/publishDiagnostics.ts) instead of being
 * serialised object by object at every edit. Everything else is written as
 * the library writes it.
 */
import { StreamMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

/** Params objects whose named property is to be sent as the given JSON (UTF-8 bytes, in pieces) instead of its value. */
export interface RawJsonRegistry {
  set(params: object, key: string, json: readonly Buffer[]): void;
}

type RawEntry = { readonly key: string; readonly json: readonly Buffer[] };

export function createStdioWriter(output: NodeJS.WritableStream): { writer: MessageWriter; registry: RawJsonRegistry } {
  const raw = new WeakMap<object, RawEntry>();
  const writer = new StreamMessageWriter(output, {
    charset: 'utf-8',
    contentTypeEncoder: {
      name: 'application/json',
      encode: (msg: Message) => Promise.resolve(encodeMessage(msg, raw)),
    },
  });
  return { writer, registry: { set: (params, key, json) => raw.set(params, { key, json }) } };
}

/** UTF-8 JSON of a message, with the registered property of its params spliced in as it was kept. */
export function encodeMessage(msg: Message, raw: WeakMap<object, RawEntry>): Buffer {
  const params = (msg as { params?: unknown }).params;
  const entry = params && typeof params === 'object' ? raw.get(params) : undefined;
  if (!entry) return Buffer.from(JSON.stringify(msg), 'utf-8');
  const rest: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  delete rest[entry.key];
  const head: Record<string, unknown> = { ...(msg as unknown as Record<string, unknown>) };
  delete head.params;
  // Objects of at least one key: the spliced property goes before each closing brace.
  const restJson = JSON.stringify(rest);
  const before = `${JSON.stringify(head).slice(0, -1)},"params":${restJson.slice(0, -1)}${restJson.length > 2 ? ',' : ''}${JSON.stringify(entry.key)}:`;
  return Buffer.concat([Buffer.from(before, 'utf-8'), ...entry.json, Buffer.from('}}')]);
}
