/**
 * `msmtp --debug` (the SMTP client behind git send-email, cron and many a mail setup): after a
 * dump of its configuration, every line of the dialogue with a prefix by side:
 *   port = 25
 *   tls_starttls = on
 *   <-- 220 mx.example.test ESMTP Postfix (Debian/GNU)
 *   --> EHLO client.example.test
 *   --> STARTTLS
 *   <-- 220 2.0.0 Ready to start TLS
 *   TLS session parameters:
 *       (TLS1.3)-(ECDHE-SECP256R1)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)
 *   TLS certificate information:
 *       Subject:
 *           CN=mx.example.test
 * The lines after the TLS handshake are the decrypted dialogue. With `tls_starttls = off` the
 * handshake comes before the greeting (implicit TLS, RFC 8314 §3): every line of that session is
 * inside TLS. msmtp prints AUTH's base64 credentials as sent; they are masked like any others.
 * Each run starts with the line naming its account; runs appended to one file are sessions of
 * their own. The indented lines under the TLS headings are notes (the fingerprints there are
 * colon-separated hex that the dump readers must not take for bytes).
 */
import type { Direction } from '../model/transcript';
import { lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseCommandLine, parseReplyLine } from './smtpLines';
import { describedAlgorithms, parseTlsVersionName, spanAt, statedNegotiation } from './statedFacts';

/** The first line of a run: which account it uses, or the configuration files it read. */
const RUN_START = /^(?:using account |loaded (?:system|user) configuration file |ignoring (?:system|user) configuration file )/;

/** Whether text[s, e) is a line msmtp starts a run with (the reader starts a session there, documentChunks.ts a chunk). */
export function isMsmtpRunStart(text: string, s: number, e: number): boolean {
  const c = text.charCodeAt(s);
  return (c === 117 || c === 108 || c === 105) && RUN_START.test(text.slice(s, Math.min(e, s + 60)));
}
/** A line of the configuration dump (`tls_starttls = on`). */
const CONFIG = /^([a-z_]{2,40}) = (.{0,300})$/;
/** The line under "TLS session parameters:" (GnuTLS's description of the session). */
const SESSION_PARAMETERS = /^\s+\((TLS[0-9.]{1,4}|SSL3\.0)\)-/;

export class MsmtpDebugReader implements LineReader {
  /** Configuration of the run being read: `tls = on` and `tls_starttls = off` make it implicit TLS. */
  private tls = false;
  private starttls = true;
  /** Inside the run's configuration dump (its `key = value` lines are msmtp's), until the dialogue starts. */
  private inConfig = false;
  /** TLS is up in this run (implicit TLS from before the greeting, or after STARTTLS's 220). */
  private tlsUp = false;
  /** Under a "TLS ...:" heading: indented lines are its notes. */
  private inTlsBlock = false;
  /** The heading just read was "TLS session parameters:". */
  private expectParameters = false;
  /** A line with msmtp's prefix and its space was read in this document. */
  private seenDialogue = false;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    // "<-- ", "--> ", the TLS headings, indented lines under them, the run's first line, its
    // configuration dump, "msmtp: " errors.
    if (c === 60 || c === 45) return this.readDialogue(i, text, s, e);
    if (this.inTlsBlock && (c === 32 || c === 9)) return this.readTlsBlockLine(i, text, s, e);
    this.inTlsBlock = false;
    this.expectParameters = false;
    if (c === 84 && text.startsWith('TLS session parameters:', s)) return this.startTlsBlock(i, s, e, true);
    if (c === 84 && text.startsWith('TLS certificate information:', s)) return this.startTlsBlock(i, s, e, false);
    if (isMsmtpRunStart(text, s, e)) {
      out.vote('msmtp-debug', 1);
      out.endSession();
      this.resetRun();
      this.inConfig = true;
      return i + 1;
    }
    if (c === 109 && text.startsWith('msmtp: ', s) && this.inConfig) {
      out.vote('msmtp-debug', 1);
      out.add({ kind: 'note', line: i, note: 'other', text: text.slice(s, Math.min(e, s + 300)), span: { start: s, end: e } });
      return i + 1;
    }
    if (this.inConfig && c >= 97 && c <= 122) {
      const m = CONFIG.exec(text.slice(s, Math.min(e, s + 350)));
      if (!m) return -1;
      out.vote('msmtp-debug', 1);
      this.readConfig(i, m[1], m[2]);
      return i + 1;
    }
    return -1;
  }

  private readDialogue(i: number, text: string, s: number, e: number): number {
    const { out } = this.ctx;
    const p = text.slice(s, s + 4);
    // "-->" alone is an empty message line whose trailing space an editor trimmed; only after
    // msmtp's own lines, since prose has it too (an HTML comment's end).
    const bare = e === s + 3 && this.seenDialogue ? p.slice(0, 3) : '';
    let direction: Direction;
    if (p === '<-- ' || bare === '<--') direction = 'server';
    else if (p === '--> ' || bare === '-->') direction = 'client';
    else return -1;
    this.seenDialogue = true;
    out.vote('msmtp-debug', 1);
    // The dialogue ends the configuration dump and any TLS heading's block.
    this.inConfig = false;
    this.inTlsBlock = false;
    this.expectParameters = false;
    const cs = Math.min(e, s + 4);
    if (this.tls && !this.starttls && !this.tlsUp && out.session.events.length === 0) {
      // Implicit TLS whose handshake msmtp did not describe (a log cut before it): still inside TLS.
      this.tlsUp = true;
    }
    const inTls = this.tlsUp;
    if (direction === 'server') out.addReplyLine(parseReplyLine(text, i, cs, e), inTls);
    else out.addCommand(parseCommandLine(text, i, cs, e, inTls, out.session.inData));
    return i + 1;
  }

  private startTlsBlock(i: number, s: number, e: number, parameters: boolean): number {
    const { doc, out } = this.ctx;
    out.vote('msmtp-debug', 1);
    this.inTlsBlock = true;
    this.expectParameters = parameters;
    if (parameters) {
      // The handshake is done: what follows is the decrypted dialogue.
      this.tlsUp = true;
      out.markTlsSeen();
    }
    out.add({ kind: 'note', line: i, note: 'other', text: doc.text.slice(s, e), span: { start: s, end: e } });
    return i + 1;
  }

  private readTlsBlockLine(i: number, text: string, s: number, e: number): number {
    const { out } = this.ctx;
    out.vote('msmtp-debug', 1);
    const line = text.slice(s, Math.min(e, s + 300));
    const span = { start: s, end: e };
    const m = this.expectParameters ? SESSION_PARAMETERS.exec(line) : null;
    this.expectParameters = false;
    if (m) {
      out.add({ kind: 'note', line: i, note: 'tls-established', text: line.trim(), span });
      const version = parseTlsVersionName(m[1]);
      const at = s + line.indexOf(m[1]);
      const alg = describedAlgorithms(line, line.indexOf('('));
      if (version !== undefined) {
        out.add(
          statedNegotiation(i, span, line.trim(), {
            version: { value: version, span: spanAt(at, m[1].length) },
            ...(alg ? { cipherAlgorithms: { value: alg.value, span: spanAt(s + alg.start, alg.value.length) } } : {}),
          }),
        );
      }
      return i + 1;
    }
    out.add({ kind: 'note', line: i, note: 'other', text: line.trim(), span });
    return i + 1;
  }

  private readConfig(i: number, key: string, value: string): void {
    const { out } = this.ctx;
    if (key === 'port' && /^[0-9]{1,5}$/.test(value)) out.addPortHint(i, Number(value));
    else if (key === 'tls') this.tls = value === 'on';
    else if (key === 'tls_starttls') this.starttls = value !== 'off';
  }

  /** The state of one run, as before its first line. */
  private resetRun(): void {
    this.tls = false;
    this.starttls = true;
    this.inConfig = false;
    this.tlsUp = false;
    this.inTlsBlock = false;
    this.expectParameters = false;
  }

  flush(): void {
    this.seenDialogue = false;
    this.resetRun();
  }
}
