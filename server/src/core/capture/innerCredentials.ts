/**
 * SMTP AUTH credentials inside TLS, as a key log makes them readable: the import masks them
 * (`*` for each character, as `export-pcap` does) so that a decrypted transcript can be shared. The
 * initial response of `AUTH <mechanism> <response>` and each client line answering a 334
 * challenge (RFC 4954 §4) are credentials; an exchange ends with a reply other than 334.
 */

const AUTH_WITH_RESPONSE = /^(AUTH[ \t]+\S+[ \t]+)(\S.*)$/i;
const AUTH_ALONE = /^AUTH[ \t]+\S+[ \t]*$/i;

export class InnerCredentialMask {
  /** An AUTH exchange is under way. */
  private inAuth = false;
  /** A 334 came: the client's next line answers it. */
  private answer = false;
  /** Lines masked so far. */
  masked = 0;

  /** The client line as the transcript shows it. */
  client(line: string): string {
    if (this.answer) {
      this.answer = false;
      return this.mask(line, 0);
    }
    const m = AUTH_WITH_RESPONSE.exec(line);
    if (m) {
      this.inAuth = true;
      return this.mask(line, m[1].length);
    }
    this.inAuth = AUTH_ALONE.test(line);
    return line;
  }

  /** A server line (a reply's line, `334 ...` or `250-...`). */
  server(line: string): void {
    if (!this.inAuth) return;
    if (line.startsWith('334')) this.answer = true;
    else if (/^[0-9]{3}(?: |$)/.test(line)) this.inAuth = false;
  }

  private mask(line: string, from: number): string {
    if (line.length <= from) return line;
    this.masked++;
    return line.slice(0, from) + '*'.repeat(line.length - from);
  }
}
