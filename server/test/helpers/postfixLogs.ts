/** The real postfix logs of the fixtures (live captures and the corpus), and a busy log built from them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './lspClient';

/** Every postfix log of the fixtures: its path (repository-relative) and text. */
export const POSTFIX_LOG_FILES: readonly { readonly name: string; readonly text: string }[] = [
  ...fs.readdirSync(path.join(REPO, 'server/test/fixtures/live')).filter((f) => f.endsWith('.postfix.log')).sort().map((f) => path.join('server/test/fixtures/live', f)),
  ...fs.readdirSync(path.join(REPO, 'server/test/fixtures/corpus/sessions')).sort().map((d) => path.join('server/test/fixtures/corpus/sessions', d, 'postfix.log')),
]
  .filter((f) => fs.existsSync(path.join(REPO, f)))
  .map((f) => ({ name: f, text: fs.readFileSync(path.join(REPO, f), 'utf8') }));

/**
 * A mail log at least `minLength` long that never goes quiet: the fixtures' logs two at a time,
 * interleaved line by line with distinct PIDs, each pair after a line of a postfix/smtp client
 * process (which logs no end of its connections, so a postfix/smtp line is always open).
 */
export function busyPostfixLog(minLength: number): string {
  const logs = POSTFIX_LOG_FILES.map((l) => l.text);
  const renumber = (log: string, n: number): string => log.replace(/(smtpd?)\[([0-9]+)\]/g, (_, p: string, pid: string) => `${p}[${Number(pid) + 100000 * n}]`);
  const parts: string[] = [];
  let length = 0;
  for (let k = 0; length < minLength; k++) {
    const a = renumber(logs[k % logs.length], 2 * k + 1).split(/(?<=\n)/);
    const b = renumber(logs[(k + 7) % logs.length], 2 * k + 2).split(/(?<=\n)/);
    const lines = [`Nov 29 04:17:02 mx postfix/smtp[${k + 1}]: Trusted TLS connection established to mx.example.test[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n`];
    for (let i = 0; i < Math.max(a.length, b.length); i++) lines.push(a[i] ?? '', b[i] ?? '');
    const copy = lines.join('');
    parts.push(copy);
    length += copy.length;
  }
  return parts.join('');
}
