/**
 * tshark as the oracle of key log decryption: its decrypted application data (`follow,tls,raw`) and the
 * handshake messages and alerts it finds inside encrypted records, against what a capture imported
 * with the key log shows. Used by keyLogDecryption.test.ts (fixtures) and test/live (sessions made in the run).
 */
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';

/** tshark's `follow,tls,raw` output: the decrypted application data of each node (a tab marks the second), as Latin-1 text. */
export function tsharkFollowStreams(text: string): string[] {
  const streams = ['', ''];
  const lines = text.split('\n');
  for (const line of lines) {
    const m = /^(\t?)([0-9a-f]+)$/.exec(line);
    if (m) streams[m[1] ? 1 : 0] += Buffer.from(m[2], 'hex').toString('latin1');
  }
  return streams;
}

/** What each side sent inside TLS, rebuilt from the imported transcript: SMTP lines with their line ending, and lines shown as hex. */
export function decryptedDialogue(text: string): { client: string; server: string } {
  const out = { client: '', server: '' };
  const inner = { client: false, server: false };
  /** The side whose decrypted application data is shown as hex after its mark (a line that is not SMTP text). */
  let hexData: 'client' | 'server' | null = null;
  let ending = '\r\n';
  for (const line of text.split('\n')) {
    const mark = /^# frames? [0-9-]+: the (client|server)'s application data, decrypted with the key log's /.exec(line);
    if (mark) inner[mark[1] as 'client' | 'server'] = true;
    if (/^# frames? [0-9-]+: the next line ends with a bare LF/.test(line)) ending = '\n';
    if (/^# frames? [0-9-]+: the next line has no line ending/.test(line)) ending = '';
    const m = /^([CS]): (.*)$/.exec(line);
    if (!m) continue;
    const side = m[1] === 'C' ? 'client' : 'server';
    if (/^<decrypted .* record: application_data \(23\)>$/.test(m[2])) {
      hexData = side;
      continue;
    }
    const hex = /^([0-9a-f]{2} ?)+$/.test(m[2]);
    if (hex && hexData === side) out[side] += Buffer.from(m[2].replace(/ /g, ''), 'hex').toString('latin1');
    else if (inner[side] && !hex && !/^<.*>$/.test(m[2])) out[side] += `${m[2]}${ending}`;
    if (!hex) hexData = null;
    ending = '\r\n';
  }
  return out;
}

/**
 * tshark's handshake message types and alert descriptions, in frame order, of the server (source port
 * among `serverPorts`) and the client, from `-T fields -e frame.number -e tcp.srcport -e tls.record.content_type
 * -e tls.record.opaque_type -e tls.handshake.type -e tls.alert_message.desc ... -E separator=';'` with the key log.
 */
export function tsharkMessageFields(text: string, serverPorts: readonly string[]): { client: string; server: string } {
  const out = { client: [] as string[], server: [] as string[] };
  for (const line of text.trim().split('\n')) {
    if (line === '') continue;
    const [, port, , , types, alerts] = line.split(';');
    const side = serverPorts.includes(port) ? 'server' : 'client';
    for (const t of types ? types.split(',') : []) out[side].push(`hs${t}`);
    for (const a of alerts ? alerts.split(',') : []) out[side].push(`alert${a}`);
  }
  return { client: out.client.join(' '), server: out.server.join(' ') };
}

/** Our handshake message types and alerts, in document order, per side. */
export function ourMessages(text: string): { client: string; server: string } {
  const out = { client: [] as string[], server: [] as string[] };
  for (const s of analyzeDocument(text).sessions) {
    for (const ev of s.tlsEvents) {
      for (const r of ev.records) {
        const side = ev.direction ?? 'client';
        for (const m of r.messages) out[side].push(`hs${m.type}`);
        if (r.alert) out[side].push(`alert${r.alert.description}`);
      }
    }
  }
  return { client: out.client.join(' '), server: out.server.join(' ') };
}

/**
 * tshark's decrypted client stream as the import shows it: the response of `AUTH <mechanism> <response>`
 * masked with one `*` per character (the import masks credentials it decrypted). The fixtures'
 * exchanges are AUTH PLAIN with an initial response only.
 */
export function maskAuthResponses(stream: string): string {
  return stream.replace(/^(AUTH [A-Z0-9-]+ )([^\r\n]+)/gm, (_m, head: string, secret: string) => head + '*'.repeat(secret.length));
}
