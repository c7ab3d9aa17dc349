/**
 * An SMTP session typed by hand in telnet, nc or ncat, as a terminal shows it: the tool's lines, then
 * the server's replies and the commands typed, neither with a prefix:
 *   Trying 192.0.2.1...
 *   Connected to mx.example.test.
 *   Escape character is '^]'.
 *   220 mx.example.test ESMTP Postfix
 *   EHLO client.example.test
 *   250-mx.example.test
 *   ...
 *   Connection closed by foreign host.
 * Read only after what starts such a session: telnet's `Connected to` (after its `Trying`), nc -v's
 * `Connection to HOST PORT port [tcp/...] succeeded!`, ncat's `Ncat: Connected to ADDR:PORT.`, or a
 * bare server greeting (`220 ... SMTP`) followed by a bare EHLO or HELO. Then a line that reads as a
 * reply (three digits, then a space, a hyphen or nothing) is the server's, any other the client's; after
 * a 354, the client's lines are message text up to the lone ".". Ends where the tool says the
 * connection closed. (Blank lines never reach a reader: an empty line of message text is not seen.)
 */
import { HEAD_SCAN, headOf, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { looksLikeBareReply, parseCommandLine, parseReplyLine } from './smtpLines';

const TRYING = /^Trying [0-9A-Fa-f.:]{2,45}\.\.\.$/;
const TELNET_CONNECTED = /^Connected to [^ ]{1,255}\.$/;
const NC_SUCCEEDED = /^Connection to [^ ]{1,255} ([0-9]{1,5}) port \[tcp\/[a-z0-9-]{0,20}\] succeeded!$/;
const NCAT_CONNECTED = /^Ncat: Connected to [^ ]{0,255}:([0-9]{1,5})\.$/;
/** A server greeting (RFC 5321 §4.2: 220, then text naming the service). */
const GREETING = /^220[ -][^\r\n]{0,300}SMTP/;
const CLIENT_GREETING = /^(?:EHLO|HELO|ehlo|helo) /;
/** telnet, nc and ncat announcing the end of the connection (ncat: `Ncat: 142 bytes sent, 331 bytes received in 6.53 seconds.`). */
const CLOSED = /^(?:Connection closed by foreign host\.|Connection closed\.|Ncat: Connection closed\.?.*|Ncat: [0-9]{1,12} bytes sent, .*)$/;
/** ncat's own lines (`Ncat: Version 7.93 ( https://nmap.org/ncat )`): never the dialogue's. */
const NCAT_LINE = 'Ncat: ';
/** The tool's own lines at the start, consumed. */
const ESCAPE = "Escape character is '^]'.";
/** telnet's command prompt after the escape character (`telnet> quit`): the tool's, not the dialogue's. */
const TELNET_PROMPT = 'telnet> ';
/** The tools whose command line, when the paste shows it, names the port last (`$ telnet mx.example.test 587`). */
const TOOLS = new Set(['telnet', 'nc', 'ncat', 'netcat']);
const PORT_WORD = /^[0-9]{1,5}$/;

/** The port a `telnet HOST PORT` / `nc -v -C HOST PORT` command line (a prompt before it or not) ends with; null when it is none. */
export function commandLinePort(line: string): number | null {
  const words = line.trim().split(/[ \t]+/);
  const k = words.findIndex((w) => TOOLS.has(w));
  const last = words[words.length - 1];
  if (k < 0 || words.length - k < 3 || !PORT_WORD.test(last)) return null;
  return Number(last);
}

/** telnet's first line of a connection at text[s..e) (`Trying 192.0.2.1...`): the reader starts over there, documentChunks.ts a chunk. */
export function isTelnetConnectionStart(text: string, s: number, e: number): boolean {
  return text.charCodeAt(s) === 84 && TRYING.test(text.slice(s, Math.min(e, s + 64)));
}

export class TelnetSessionReader implements LineReader {
  private active = false;
  /** `Trying ...` was the line before: telnet's `Connected to` starts a session. */
  private trying = false;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    const afterTrying = this.trying;
    this.trying = false;
    // Not in a session, only lines starting "Trying", "Connected"/"Connection", "Ncat:" or "220" may start one.
    if (!this.active && c !== 84 && c !== 67 && c !== 78 && c !== 50) return -1;
    const head = text.slice(s, Math.min(e, s + HEAD_SCAN));
    const tryingLine = isTelnetConnectionStart(text, s, e);
    if (this.active && tryingLine) {
      // The next connection of a paste where the last one's end was not shown.
      this.active = false;
    }
    if (!this.active) {
      if (tryingLine) {
        this.trying = true;
        this.hintPort(i);
        return i + 1;
      }
      const nc = NC_SUCCEEDED.exec(head) ?? NCAT_CONNECTED.exec(head);
      if ((afterTrying && TELNET_CONNECTED.test(head)) || nc) {
        // telnet's `Trying` line looked above itself for the command's port already.
        this.start(i, nc ? Number(nc[1]) : null, nc !== null);
        return i + 1;
      }
      // A bare greeting the next line answers with EHLO or HELO.
      if (!GREETING.test(head) || i + 1 >= doc.count || !CLIENT_GREETING.test(headOf(doc, i + 1))) return -1;
      this.start(i, null, true);
    }
    if (head === ESCAPE || head.startsWith(TELNET_PROMPT)) return i + 1;
    const closed = CLOSED.test(head);
    if (!closed && head.startsWith(NCAT_LINE)) return i + 1;
    if (closed) {
      out.vote('telnet-session', 1);
      out.add({ kind: 'note', line: i, note: 'connection-closed', text: head, span: { start: s, end: e } });
      this.active = false;
      return i + 1;
    }
    out.vote('telnet-session', 1);
    const session = out.session;
    if (!session.inData && looksLikeBareReply(text, s, e)) out.addReplyLine(parseReplyLine(text, i, s, e), false);
    else out.addCommand(parseCommandLine(text, i, s, e, false, session.inData));
    return i + 1;
  }

  /**
   * A new connection: a session of its own, on `port` when the tool names it, or (`lookBack`) on that of
   * the command above line `i`.
   */
  private start(i: number, port: number | null, lookBack: boolean): void {
    const out = this.ctx.out;
    if (out.session.events.length > 0) out.endSession();
    if (port !== null) out.addPortHint(i, port);
    else if (lookBack) this.hintPort(i);
    out.vote('telnet-session', 1);
    this.active = true;
  }

  /** The port of a `telnet HOST PORT` / `nc HOST PORT` command on one of the three lines above line `i`. */
  private hintPort(i: number): void {
    const doc = this.ctx.doc;
    for (let j = i - 1; j >= 0 && j >= i - 3; j--) {
      const port = commandLinePort(headOf(doc, j));
      if (port !== null) {
        this.ctx.out.addPortHint(i, port);
        return;
      }
    }
  }

  flush(): void {
    this.active = false;
    this.trying = false;
  }
}
