/**
 * SMTP AUTH credentials inside TLS, as a key log makes them readable: the import masks them
 * (`*` for each character, as `export-pcap` does) so that a decrypted transcript can be shared. The
 * initial response of `AUTH <mechanism> <response>` and each client line answering a 334
 * challenge (RFC 4954 §4) are credentials; an exchange ends with a reply other than 334. A client
 * that does not wait for the 334 (printf into openssl s_client) sends its answers first: as many
 * lines as the mechanism takes are credentials then (PLAIN one, LOGIN the user name and the password,
 * CRAM-MD5 one; another mechanism every line up to the server's next reply), and the 334s that come
 * later are the ones they answered.
 */

import { saslLinesBeforeChallenge } from '../formats/saslMechanisms';

const AUTH_WITH_RESPONSE = /^(AUTH[ \t]+\S+[ \t]+)(\S.*)$/i;
const AUTH_ALONE = /^AUTH[ \t]+(\S+)[ \t]*$/i;

export class InnerCredentialMask {
  /** An AUTH exchange is under way. */
  private inAuth = false;
  /** A 334 came: the client's next line answers it. */
  private answer = false;
  /** Lines still taken for credentials though no 334 came before them, and how many were (the 334s they answer come later). */
  private unchallenged = 0;
  private prepaid = 0;
  /** Lines masked so far. */
  masked = 0;

  /** The client line as the transcript shows it. */
  client(line: string): string {
    if (this.answer) {
      this.answer = false;
      return this.mask(line, 0);
    }
    if (this.inAuth && this.unchallenged > 0) {
      // (A mechanism of unknown shape counts no answers ahead: every 334 then masks the next line, the safe side.)
      if (this.unchallenged !== Infinity) this.prepaid++;
      this.unchallenged--;
      return this.mask(line, 0);
    }
    const m = AUTH_WITH_RESPONSE.exec(line);
    if (m) {
      this.start(/^AUTH[ \t]+(\S+)/i.exec(line)![1], true);
      return this.mask(line, m[1].length);
    }
    const alone = AUTH_ALONE.exec(line);
    if (alone) this.start(alone[1], false);
    else this.inAuth = false;
    return line;
  }

  private start(mechanism: string, initialResponse: boolean): void {
    this.inAuth = true;
    this.answer = false;
    // (A mechanism of no fixed shape: every line up to the server's next reply, unless AUTH carried its response.)
    this.unchallenged = saslLinesBeforeChallenge(mechanism, initialResponse) ?? (initialResponse ? 0 : Infinity);
    this.prepaid = 0;
  }

  /** A server line (a reply's line, `334 ...` or `250-...`). */
  server(line: string): void {
    if (!this.inAuth) return;
    // (A mechanism of unknown shape: its unchallenged lines end at the server's first reply.)
    if (this.unchallenged === Infinity) this.unchallenged = 0;
    if (line.startsWith('334')) {
      // Answered already by a line sent ahead of it, or the next line answers it.
      if (this.prepaid > 0) this.prepaid--;
      else this.answer = true;
    } else if (/^[0-9]{3}(?: |$)/.test(line)) {
      this.inAuth = false;
      this.unchallenged = 0;
      this.prepaid = 0;
    }
  }

  private mask(line: string, from: number): string {
    if (line.length <= from) return line;
    this.masked++;
    return line.slice(0, from) + '*'.repeat(line.length - from);
  }
}
