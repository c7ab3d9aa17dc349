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
 * Whether a chunk ends inside message text is read from its lines, over the client and
 * server lines of swaks and C:/S: transcripts and the blocks of curl --trace and --trace-ascii
 * (the formats that show message text): a server 354 reply after which only client text other
 * than a lone "." comes (curl marks a command block `=> Send header`, message text `=> Send
 * data`). A chunk made only of client text continues what the chunk before it continued. The
 * pass is linear in the length of the text and runs only for a chunk that ends at a forced cut.
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

/** Whether a curl dump line (the first after a `<= Recv header` line) starts a 354 reply: "354" as hex (--trace) or as text (--trace-ascii). */
function startsCurl354(line: string): boolean {
  return line.startsWith('0000: ') && (line.startsWith('33 35 34', 6) || line.startsWith('354', 6));
}

/** A swaks or C:/S: line, or a curl `=> Send header` block header; null for any other line (a `<= Recv header` line is decided by the next line). */
function classify(line: string): LineKind {
  const c0 = line.charCodeAt(0);
  // A command: curl writes no "." of its own (the end of data goes out untraced), so a command ends the text.
  if (c0 === 61 && line.startsWith(CURL_SEND_HEADER)) return 'command';
  let content = -1;
  let client = false;
  if (line.length >= 4 && (c0 === 32 || c0 === 60)) {
    // swaks: ` -> ` ` ~> ` client; `<-  ` `<~  ` `<-* ` `<~* ` server.
    const p = line.slice(0, 4);
    if (p === ' -> ' || p === ' ~> ') client = true;
    else if (p !== '<-  ' && p !== '<~  ' && p !== '<-* ' && p !== '<~* ') return null;
    content = 4;
  } else {
    const cs = matchCsPrefix(line, 0, line.length);
    if (!cs || cs.direction === 'both') return null;
    client = cs.direction === 'client';
    content = cs.contentStart;
  }
  if (client) return line.length - content === 1 && line.charCodeAt(content) === 46 ? 'end-of-data' : 'client';
  return line.startsWith('354', content) ? 'start-data' : 'server';
}

/**
 * Whether `text` ends inside message text: after its last 354 reply no other server line and no
 * client line that is "." alone; with neither, whether the text started inside message text.
 * One pass over the text's lines, split once (walking the chunk text of a long check line by line
 * with indexOf or lastIndexOf took 2.4 s per 4 MB chunk in V8, 500 times a pass alone).
 */
export function endsInMessageText(text: string, startsInMessageText: boolean): boolean {
  let inText = startsInMessageText;
  /** The line before was a curl `<= Recv header` block header: this line tells the reply. */
  let recvHeader = false;
  const lines = text.indexOf('\r') < 0 ? text.split('\n') : text.split(/\r\n|\r|\n/);
  for (const line of lines) {
    if (recvHeader) {
      recvHeader = false;
      inText = startsCurl354(line);
    } else if (line.charCodeAt(0) === 60 && line.startsWith(CURL_RECV_HEADER)) {
      recvHeader = true;
    } else {
      const kind = classify(line);
      if (kind === 'start-data') inText = true;
      else if (kind === 'end-of-data' || kind === 'command' || kind === 'server') inText = false;
    }
  }
  return inText;
}
