/**
 * What a chunk that starts at a forced cut (documentChunks.ts) starts inside of.
 *
 * A forced cut falls where no session boundary came for MAX_CHUNK_CHARS characters: inside a
 * session, and, for the commonest reason a session is that long (a large message whose text
 * swaks or a C:/S: transcript shows line by line), inside its message text. Read on its own,
 * the chunk after the cut would take every line of that text for a command (tens of thousands
 * of false smtp-unknown-command findings for a 5 MB attachment). So each chunk tells the next
 * one what it is continuing, the way it hands on the port directive in force:
 *
 *   'session'  the session the cut ran through goes on: its start is not in the chunk
 *              (TranscriptSession.startMissing), and the rules that need it do not judge it;
 *   'data'     and the cut fell inside its message text: the chunk's client lines are message
 *              text up to the lone "." that ends it (RFC 5321 §4.1.1.4).
 *
 * Whether a chunk ends inside message text is read back from its end, over the client and
 * server lines of swaks and C:/S: transcripts and the blocks of curl --trace and --trace-ascii
 * (the formats that show message text): a server 354 reply after which only client text other
 * than a lone "." comes (curl marks a command block `=> Send header`, message text `=> Send
 * data`). A chunk made only of client text continues what the chunk before it continued. The
 * walk is linear in the length of the text and runs only for a chunk that ends at a forced cut.
 */
import { endsAtForcedCut, MAX_CHUNK_CHARS } from './documentChunks';
import { matchCsPrefix } from '../formats/csTranscript';

export type Continuation = 'session' | 'data';

/**
 * What the chunk after `text` continues: null unless `text` ends at a forced cut;
 * `continues` is what `text` itself continues (from the chunk before it).
 */
export function continuationAfter(text: string, continues: Continuation | null, limit = MAX_CHUNK_CHARS): Continuation | null {
  if (!endsAtForcedCut(text, limit)) return null;
  return endsInMessageText(text, continues === 'data') ? 'data' : 'session';
}

/** How a line reads for the walk: a client line ('.' alone, a command block or other text), a server reply (354 or other), or neither. */
type LineKind = 'end-of-data' | 'command' | 'client' | 'start-data' | 'server' | null;

/** curl --trace block headers (`=> Send header, 6 bytes (0x6)`); their first dump line starts `0000: `. */
const CURL_SEND_HEADER = '=> Send header, ';
const CURL_RECV_HEADER = '<= Recv header, ';

/** A curl block header line, classified by the dump line below it (`below`, its start, or -1). */
function classifyCurl(text: string, start: number, below: number): LineKind {
  // A command: curl writes no "." of its own (the end of data goes out untraced), so a command ends the text.
  if (text.startsWith(CURL_SEND_HEADER, start)) return 'command';
  if (!text.startsWith(CURL_RECV_HEADER, start)) return null;
  // The reply's first bytes: "354" as hex (--trace) or as text (--trace-ascii).
  const at = below + 6;
  const is354 = below >= 0 && text.startsWith('0000: ', below) && (text.startsWith('33 35 34', at) || text.startsWith('354', at));
  return is354 ? 'start-data' : 'server';
}

function classify(text: string, start: number, end: number, below: number): LineKind {
  if (text.charCodeAt(start) === 61 || text.charCodeAt(start) === 60) {
    const curl = classifyCurl(text, start, below);
    if (curl) return curl;
  }
  let content = -1;
  let client = false;
  const c0 = text.charCodeAt(start);
  if (end - start >= 4 && (c0 === 32 || c0 === 60)) {
    // swaks: ` -> ` ` ~> ` client; `<-  ` `<~  ` `<-* ` `<~* ` server.
    const p = text.slice(start, start + 4);
    if (p === ' -> ' || p === ' ~> ') client = true;
    else if (p !== '<-  ' && p !== '<~  ' && p !== '<-* ' && p !== '<~* ') return null;
    content = start + 4;
  } else {
    const cs = matchCsPrefix(text, start, end);
    if (!cs || cs.direction === 'both') return null;
    client = cs.direction === 'client';
    content = cs.contentStart;
  }
  if (client) return end - content === 1 && text.charCodeAt(content) === 46 ? 'end-of-data' : 'client';
  return text.startsWith('354', content) ? 'start-data' : 'server';
}

/**
 * Whether `text` ends inside message text: walking back from its last line, a 354 reply comes
 * before any other server line and before a client line that is "." alone; when only client
 * lines (and lines of neither kind) come, whether the text started inside message text.
 */
export function endsInMessageText(text: string, startsInMessageText: boolean): boolean {
  let end = text.length;
  // The text ends with a line break (a forced cut is at a line start): no empty last line to visit.
  if (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 13) end--;
  // (LF only, the common case: lastIndexOf finds each line start; with CRs, a loop per character.)
  const lfOnly = text.indexOf('\r') < 0;
  /** Start of the line visited before (the one below the current line), or -1. */
  let below = -1;
  while (end > 0) {
    let start = end;
    if (lfOnly) {
      start = text.lastIndexOf('\n', end - 1) + 1;
    } else {
      while (start > 0 && text.charCodeAt(start - 1) !== 10 && text.charCodeAt(start - 1) !== 13) start--;
    }
    switch (classify(text, start, end, below)) {
      case 'start-data':
        return true;
      case 'end-of-data':
      case 'command':
      case 'server':
        return false;
      default:
        break;
    }
    below = start;
    // Past the line break before the line (CR LF counts once).
    end = start - 1;
    if (end > 0 && text.charCodeAt(end) === 10 && text.charCodeAt(end - 1) === 13) end--;
  }
  return startsInMessageText;
}
