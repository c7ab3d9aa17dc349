/** `--smtp-port N` (repeatable, or `N,M`): more ports whose connections a capture import reads as SMTP. */
import { UsageError } from './cliTypes';

export const SMTP_PORT_OPTION = { 'smtp-port': { type: 'string', multiple: true } } as const;

export const SMTP_PORT_USAGE = `          --smtp-port N           captures: read connections to port N as SMTP too, clear or implicit TLS (repeatable)`;

export function parseSmtpPorts(values: readonly string[] | undefined): number[] {
  const ports: number[] = [];
  for (const value of values ?? []) {
    for (const part of value.split(',')) {
      const text = part.trim();
      const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
      if (!(port >= 1 && port <= 65535)) throw new UsageError(`--smtp-port must be a port number from 1 to 65535, not '${part}'`);
      ports.push(port);
    }
  }
  return ports;
}
