/**
 * Where a document can be cut into independently analysed pieces.
 *
 * A chunk starts where a new SMTP connection visibly starts after a blank
 * line: a blank line, then any number of `#` comment lines, then a server
 * greeting (`S: 220 ... SMTP ...`, swaks `<-  220 ... SMTP ...`); or a blank
 * line, then comment lines among which is `# smtptls-session` (the section
 * header of a capture import, which the reader always honours as a new
 * session, also for an implicit-TLS session without a greeting); or the
 * `CONNECTED(fd)` line openssl s_client prints at the start of every run; or
 * the `=== Trying host:port...` line swaks prints at the start of every run, or
 * msmtp --debug's first line of a run (`using account ...`, `loaded user
 * configuration file ...`; runs appended to one file have no blank line between
 * them), or posttls-finger's `Connected to host[addr]:port` (a survey of many servers appended to one
 * file), or telnet's `Trying ADDR...`, or sendmail -v's `ADDRESS... Connecting to HOST via MAILER...`,
 * or s-nail -vv's `s-nail: Connecting to HOST:PORT ...`, or Mutt's first line of a run (`Mutt/2.2.12 (...) debugging at
 * level 2`) or `Connected to HOST:PORT on fd=N` (but the first after that line), or Perl's Net::SMTP's first version
 * line of a run (`Net::SMTP>>> Net::SMTP(3.14)`) or the greeting an object reads (`Net::SMTP=GLOB(0x...)<<< 220 ... SMTP
 * ...`, not right after those lines or its STARTTLS), with the comment lines just above it. The reader starts a new session at each.
 *
 * In a postfix log (syslog lines only since the chunk's start), a chunk also
 * starts right after a `disconnect from` line that leaves no postfix SMTP
 * process open: every process that logged a line since the chunk's start has
 * logged its `disconnect from` (the reader ends the process's session there).
 * No session spans such a point and no reader holds anything across it, so
 * whole-text and chunked reading agree exactly. A postfix/smtp client process
 * never logs one: after its first line no point is quiescent any more.
 *
 * In a log of nothing but Exim main log lines since the chunk's start (each read on its own), any
 * of its lines starts a chunk once the chunk is in the last quarter before the forced cut: an exact
 * cut, with no note. So does any line of a log of nothing but sendmail's syslog lines, but a
 * `verifymsg=` line (read with its connection's `relay=` line before it).
 *
 * Where none of these comes for MAX_CHUNK_CHARS characters, a chunk starts at the
 * next line start anyway, so that memory and edit cost stay bounded on any input
 * (one chunk's analysis is several times its size). In the last quarter of that
 * distance, a postfix log that only postfix/smtp client processes keep from being
 * quiet (a mail log with outbound deliveries) is cut sooner: right after a
 * `disconnect from` that leaves no smtpd process open, so that only the client
 * sessions run across the cut. Either cut is no session boundary: the chunk before
 * it reports rule document-no-session-boundary on its last line (endsAtForcedCut
 * below, from the chunk's text alone, so the editor and the streaming check both
 * report it). A session cut there is read as one whose start (or end) is not in
 * the text (TranscriptSession.startMissing, endMissing), which the rules that need
 * them do not judge; the chunk after the cut is told that it continues a session,
 * and whether the cut fell inside its message text (chunkContinuation.ts).
 *
 * The editor's analysis is defined on these chunks: whole-text and incremental
 * analysis agree by construction. A whole-text read differs only at a forced cut,
 * and where a greeting with "SMTP" in it follows a blank line while the text
 * before it still waits for the reply to STARTTLS (the reader would take the
 * greeting as that reply; a chunk takes it as a new connection, which it almost
 * always is).
 *
 * Every kind of start but two depends only on the lines just around it. A quiet
 * point of a postfix log and a forced cut depend on all the text since the
 * chunk's start: an editor that re-cuts only the chunks an edit touches (and
 * their neighbours) keeps the later cuts where they were, which a fresh cut of
 * the edited text may place elsewhere (the same findings unless a session spans
 * the moved cut), until it re-cuts further on. incrementalAnalysis.ts therefore
 * scans on past the edited chunks until a cut falls where an old one was.
 */

import { DISCONNECT, matchSmtpProcess } from '../formats/postfixLog';
import { maySyslogLine } from '../formats/syslogPrefix';
import { HEAD_SCAN } from '../formats/readerContext';
import { isMsmtpRunStart } from '../formats/msmtpDebug';
import { isSendmailConnecting } from '../formats/sendmailVerbose';
import { sendmailLineKind } from '../formats/sendmailLog';
import { isSnailConnecting } from '../formats/snailVerbose';
import { isPhpmailerConnecting } from '../formats/phpmailerDebug';
import { readMuttLine } from '../formats/muttDebug';
import { perlLineKind } from '../formats/perlNetSmtp';
import { isPosttlsFingerConnection } from '../formats/posttlsFinger';
import { isTelnetConnectionStart } from '../formats/telnetSession';
import { isEximMainlogLine } from '../formats/eximMainlog';
import { isSclientStderrLine, SCLIENT_CONNECTED } from '../formats/sclientStderr';

/** A server greeting line of a C:/S: or swaks transcript (RFC 5321 §4.2: 220 + text naming the service). */
const GREETING = /^(?:S: |<- {2}|<-\* )220[ -][^\r\n]*SMTP/;
/** The section header a capture import writes per TCP connection (formats/detectRegions.ts honours it too). */
const SESSION_MARKER = /^# smtptls-session(?:[ \t]|$)/;
/** The first line openssl s_client prints for each connection; the reader starts a new session there. */
const OPENSSL_CONNECTED = /^CONNECTED\(/;
/** A chunk with no chunk start in it is cut at the first line start this many characters after its own start. */
export const MAX_CHUNK_CHARS = 4 * 1024 * 1024;

/** Where, for a chunk cut at `limit`, the last quarter starts: from there a postfix log is cut where no smtpd process is open. */
function softLimit(limit: number): number {
  return limit - Math.floor(limit / 4);
}

/** The first line of every swaks run; the swaks reader starts a new session there. */
const SWAKS_TRYING = '=== Trying ';
/** A syslog line of any program (the timestamps of formats/postfixLog.ts, a host, a tag and ": "). */
const SYSLOG_LINE = /^(?:[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{8,20}(?:Z|[+-][0-9]{2}:?[0-9]{2})?) [^ ]{1,255} [^ :]{1,255}: /;

/**
 * Visits each line of text[from, to) (start and end of its content): every line that ends
 * with a line break, then the rest after the last one (possibly empty) unless `lastIsPartial`.
 */
function forEachLine(text: string, from: number, to: number, visit: (start: number, end: number) => void, lastIsPartial = false): void {
  let start = from;
  // LF only (the common case): indexOf finds each break without a per-character loop. The CR
  // test looks at [from, to) alone (a slice is O(1)), not at the rest of the text.
  if (text.slice(from, to).indexOf('\r') < 0) {
    for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) {
      visit(start, i);
      start = i + 1;
    }
    if (start <= to && !lastIsPartial) visit(start, to);
    return;
  }
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      const end = c === 10 && i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
      visit(start, end);
      start = i + 1;
    }
  }
  if (start <= to && !lastIsPartial) visit(start, to);
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function isComment(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i < end && text.charCodeAt(i) === 35;
}

/**
 * Offsets in [from, to) where a chunk may start (never `from` itself). `from`
 * must be the start of a line. Linear in the length of the range.
 */
export function findChunkStarts(text: string, from = 0, to = text.length, limit = MAX_CHUNK_CHARS): number[] {
  return new ChunkStartScanner(from, limit).scan(text, from, to, 0, true);
}

/**
 * Where a chunk's text ends at a forced cut (no chunk start for `limit` characters): the start and
 * end of its last line's content, else null. Judged from the text alone: it ends with a line break,
 * is at least `limit` long and its last line starts before `limit` (the scanner cuts at the first
 * line start `limit` characters after the chunk's start); or its last line, starting in the last
 * quarter before `limit`, is a `disconnect from` after which the scanner, run over the text, cuts
 * because only postfix/smtp client processes are open. A chunk start found right there, or a
 * document that ends there, looks the same (rare: the last line must straddle the limit, or a
 * document end just there).
 */
export function endsAtForcedCut(text: string, limit = MAX_CHUNK_CHARS): { start: number; end: number; soft?: true } | null {
  const n = text.length;
  if (n <= softLimit(limit)) return null;
  const c = text.charCodeAt(n - 1);
  if (c !== 10 && c !== 13) return null;
  const end = c === 10 && text.charCodeAt(n - 2) === 13 ? n - 2 : n - 1;
  // A CR just before a LF belongs to that line break; only a lone CR or a LF ends a line.
  const start = Math.max(text.lastIndexOf('\n', end - 1), text.lastIndexOf('\r', end - 1)) + 1;
  if (start >= limit) return null;
  if (n >= limit) return { start, end };
  if (start < softLimit(limit) || text.indexOf(': ' + DISCONNECT, start) < 0) return null;
  // (Scans the text once, only for a text of a chunk's size that ends with a `disconnect from` line.)
  const scanner = new ChunkStartScanner(0, limit);
  return scanner.scan(text, 0, n, 0, true).length === 0 && scanner.endsAtSoftCut() ? { start, end, soft: true } : null;
}

/**
 * findChunkStarts over a text that arrives in pieces: each call visits the next lines, the
 * state between lines (a blank line seen, the comment header after it) carried over, so
 * nothing is read twice. Offsets are document offsets (`base` is that of text[0]).
 */
export class ChunkStartScanner {
  /** Start of the run of comment lines that follows the last blank line, or -1. */
  private headerStart = -1;
  private afterBlank = false;
  /** A `# smtptls-session` line in the comment run after the last blank line. */
  private marked = false;
  /** Start of the run of comment lines just above the current line (blank line or not), or -1. */
  private commentRun = -1;
  /** Start of the run of s_client stderr lines just above the current line (formats/sclientStderr.ts), or -1. */
  private stderrRun = -1;
  /** The last line was one msmtp starts a run with. */
  private inMsmtpRunStart = false;
  /** A Mutt header line came, and no `Connected to` since (Mutt's own lines only). */
  private afterMuttHeader = false;
  /** What the last line was to Perl's Net::SMTP (formats/perlNetSmtp.ts perlLineKind): after its STARTTLS a 220 naming SMTP is its answer, no greeting. */
  private lastPerl: 'banner' | 'greeting' | 'starttls' | null = null;
  /** Postfix SMTP server processes (`program[pid]`) that logged a line since the chunk's start and no `disconnect from` since. */
  private readonly open = new Set<string>();
  /** Postfix SMTP client processes (postfix/smtp, lmtp) that logged a line since the chunk's start: they log no end of a connection. */
  private readonly clients = new Set<string>();
  /** Every line since the chunk's start was blank, a comment or a syslog line. */
  private syslogOnly = true;
  /** Every line since the chunk's start was blank, a comment or a line of Exim's main log (each read on its own). */
  private mainlogOnly = true;
  /** Every line since the chunk's start was blank, a comment or a syslog line of sendmail's (each connection's few lines read together). */
  private sendmailOnly = true;
  /**
   * The last line was a `disconnect from` that left no server process open, and no client process
   * ('quiet'), or client processes only, in the last quarter before the forced cut ('soft'): the next
   * line starts a chunk.
   */
  private quiet: false | 'quiet' | 'soft' = false;
  /** The last chunk start found (starts only grow). */
  private last: number;

  /**
   * `from`: document offset of the first line scanned, which is never a chunk start.
   * `limit`: the forced cut's distance (MAX_CHUNK_CHARS; smaller only in tests).
   */
  constructor(
    from: number,
    private readonly limit = MAX_CHUNK_CHARS,
  ) {
    this.last = from;
  }

  /**
   * Visits the lines of text[start, to); `to` is the end of the text, or, unless `final`,
   * a line start (the lines after it come with the next call). Returns the chunk starts found.
   */
  scan(text: string, start: number, to: number, base = 0, final = false): number[] {
    const starts: number[] = [];
    const cut = (at: number): void => {
      if (at <= this.last) return;
      starts.push(at);
      this.last = at;
      // A new chunk: its reader starts with no process open.
      this.open.clear();
      this.clients.clear();
      this.syslogOnly = true;
      this.mainlogOnly = true;
      this.sendmailOnly = true;
    };
    forEachLine(
      text,
      start,
      to,
      (lineStart, end) => {
        const at = base + lineStart;
        // (Not at the very end of the text: no chunk is empty.)
        if (this.quiet && lineStart < to) {
          this.quiet = false;
          cut(at);
        }
        if (at - this.last >= this.limit && lineStart < to) cut(at);
        if (isBlank(text, lineStart, end)) {
          this.stderrRun = -1;
          this.afterBlank = true;
          this.headerStart = -1;
          this.marked = false;
          this.commentRun = -1;
          return;
        }
        if (isComment(text, lineStart, end)) {
          if (this.commentRun < 0) this.commentRun = at;
          if (this.afterBlank && this.headerStart < 0) this.headerStart = at;
          if (this.afterBlank && SESSION_MARKER.test(text.slice(lineStart, Math.min(end, lineStart + 32)))) this.marked = true;
          return;
        }
        if (this.sendmailOnly) {
          // A log of sendmail's lines holds no session across its lines but a connection's `relay=` line and the
          // `verifymsg=` line after it: in the last quarter before the forced cut, any other line starts a chunk exactly.
          const kind = sendmailLineKind(text, lineStart, end);
          if (kind === null) this.sendmailOnly = false;
          else if (kind === 'own' && at - this.last >= softLimit(this.limit) && lineStart < to) cut(this.commentRun >= 0 ? this.commentRun : at);
        }
        if (this.mainlogOnly) {
          // An Exim main log holds no session across lines: in the last quarter before the forced cut,
          // any of its lines starts a chunk exactly (no document-no-session-boundary note).
          if (!isEximMainlogLine(text, lineStart, end)) this.mainlogOnly = false;
          else if (at - this.last >= softLimit(this.limit) && lineStart < to) cut(this.commentRun >= 0 ? this.commentRun : at);
        }
        const msmtpRun = isMsmtpRunStart(text, lineStart, end);
        // msmtp may print two or three such lines (configuration files read, then the account): the first cuts.
        const msmtpCut = msmtpRun && !this.inMsmtpRunStart;
        this.inMsmtpRunStart = msmtpRun;
        // Mutt: a run starts at its header line, a connection at `Connected to`, but the first after the header goes with it.
        const mutt = readMuttLine(text, lineStart, end)?.kind ?? null;
        const muttCut = mutt === 'header' || (mutt === 'connected' && !this.afterMuttHeader);
        if (mutt === 'header') this.afterMuttHeader = true;
        else if (mutt === 'connected' || mutt === null) this.afterMuttHeader = false;
        // Perl's Net::SMTP: a script's run starts at its first version line, a connection at a greeting (but one right after
        // the version lines, or the answer to STARTTLS).
        const perl = perlLineKind(text, lineStart, end);
        const perlCut = (perl === 'banner' && this.lastPerl !== 'banner') || (perl === 'greeting' && this.lastPerl !== 'starttls' && this.lastPerl !== 'banner');
        this.lastPerl = perl;
        if (text.startsWith(SWAKS_TRYING, lineStart) || msmtpCut || isPosttlsFingerConnection(text, lineStart) || isTelnetConnectionStart(text, lineStart, end) || isSendmailConnecting(text, lineStart, end) || isSnailConnecting(text, lineStart, end) || isPhpmailerConnecting(text, lineStart, end) || muttCut || perlCut) {
          cut(this.commentRun >= 0 ? this.commentRun : at);
        } else if (this.afterBlank) {
          const head = text.slice(lineStart, Math.min(end, lineStart + 512));
          if (this.marked || GREETING.test(head) || OPENSSL_CONNECTED.test(head)) cut(this.headerStart >= 0 ? this.headerStart : at);
        } else if (text.startsWith(SCLIENT_CONNECTED, lineStart)) {
          // The run's stderr lines come before it (2>&1 into a file): they are its.
          cut(this.stderrRun >= 0 ? this.stderrRun : at);
        }
        if (isSclientStderrLine(text, lineStart, end)) {
          if (this.stderrRun < 0) this.stderrRun = at;
        } else this.stderrRun = -1;
        this.afterBlank = false;
        this.headerStart = -1;
        this.marked = false;
        this.commentRun = -1;
        if (this.syslogOnly) this.readSyslog(text, lineStart, end, at);
      },
      !final,
    );
    return starts;
  }

  /**
   * After the last line scanned, a chunk starts at the next line because only postfix/smtp client
   * processes are open (a cut endsAtForcedCut reports), not because no process is.
   */
  endsAtSoftCut(): boolean {
    return this.quiet === 'soft';
  }

  /** Follows which postfix SMTP processes are open; a line that is no syslog line ends the search for quiet points. */
  private readSyslog(text: string, lineStart: number, end: number, at: number): void {
    if (!maySyslogLine(text, lineStart)) {
      this.syslogOnly = false;
      return;
    }
    const head = text.slice(lineStart, Math.min(end, lineStart + HEAD_SCAN));
    // (A postfix SMTP process's prefix is a syslog line's: one pattern for most lines of a debug log.)
    const p = matchSmtpProcess(head, lineStart);
    if (!p) {
      if (!SYSLOG_LINE.test(head)) this.syslogOnly = false;
      return;
    }
    const processes = p.client ? this.clients : this.open;
    if (text.startsWith(DISCONNECT, p.messageStart)) {
      processes.delete(p.key);
      if (this.open.size > 0) this.quiet = false;
      else if (this.clients.size === 0) this.quiet = 'quiet';
      else this.quiet = at - this.last >= softLimit(this.limit) ? 'soft' : false;
    } else {
      processes.add(p.key);
    }
  }
}
