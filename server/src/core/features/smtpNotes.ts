/**
 * What SMTP verbs, reply codes, enhanced status codes (RFC 3463) and the
 * direction markers of the transcript formats mean, in our own words, with the
 * RFC section behind each.
 */
import type { TextSpan } from '../model/transcript';
import { IANA_SMTP_ENHANCED_CODES, refRfc, type Reference } from './references';

export interface Note {
  readonly title: string;
  readonly about: string;
  readonly refs: readonly Reference[];
}

/** A note on a place of the document (a hover's range). */
export interface PlacedNote extends Note {
  readonly span: TextSpan;
}

const VERBS: Readonly<Record<string, Omit<Note, 'title'>>> = {
  EHLO: { about: 'Opens the session and identifies the client; the server answers with the extensions it supports, one per reply line.', refs: [refRfc(5321, '4.1.1.1')] },
  HELO: { about: 'The pre-ESMTP greeting: identifies the client but asks for no extension list.', refs: [refRfc(5321, '4.1.1.1')] },
  MAIL: { about: 'Starts a mail transaction and gives the envelope sender (where bounces go), optionally with extension parameters.', refs: [refRfc(5321, '4.1.1.2')] },
  RCPT: { about: 'Names one envelope recipient; repeated once per recipient.', refs: [refRfc(5321, '4.1.1.3')] },
  DATA: { about: 'Asks to send the message itself; after a 354 reply the client sends the content and ends it with a line holding a single dot.', refs: [refRfc(5321, '4.1.1.4')] },
  BDAT: { about: 'Sends a chunk of the message of a stated size, with no dot-stuffing (CHUNKING extension).', refs: [refRfc(3030)] },
  RSET: { about: 'Aborts the current mail transaction; the session stays open.', refs: [refRfc(5321, '4.1.1.5')] },
  VRFY: { about: 'Asks whether an address is valid; many servers answer vaguely to avoid leaking users.', refs: [refRfc(5321, '4.1.1.6')] },
  EXPN: { about: 'Asks for the members of a mailing list; usually disabled.', refs: [refRfc(5321, '4.1.1.7')] },
  HELP: { about: 'Asks the server for help text.', refs: [refRfc(5321, '4.1.1.8')] },
  NOOP: { about: 'Does nothing; the server only answers 250. Used to keep a connection alive.', refs: [refRfc(5321, '4.1.1.9')] },
  QUIT: { about: 'Ends the session; the server answers 221 and closes the connection.', refs: [refRfc(5321, '4.1.1.10')] },
  STARTTLS: {
    about: 'Asks to switch this connection to TLS. After a 220 reply both sides start the handshake; everything learned before it (including the EHLO reply) must be discarded.',
    refs: [refRfc(3207, '4'), refRfc(3207, '4.2')],
  },
  AUTH: {
    about: 'Authenticates the client with a SASL mechanism (PLAIN, LOGIN, CRAM-MD5, ...). PLAIN and LOGIN carry the password in base64, which is not encryption: they belong inside TLS only.',
    refs: [refRfc(4954, '4'), refRfc(4616, '2')],
  },
  ETRN: { about: 'Asks the server to start delivering mail queued for a domain.', refs: [refRfc(1985)] },
  TURN: { about: 'Obsolete request to swap the client and server roles.', refs: [refRfc(5321, 'F.1')] },
};

/** The note for an SMTP verb ("EHLO"), or undefined for an unknown verb. */
export function findVerbNote(verb: string): Note | undefined {
  const v = verb.toUpperCase();
  const n = Object.prototype.hasOwnProperty.call(VERBS, v) ? VERBS[v] : undefined;
  return n ? { title: v, ...n } : undefined;
}

const FIRST_DIGIT: Readonly<Record<string, string>> = {
  '2': 'success: the command was carried out',
  '3': 'intermediate: the server waits for more from the client',
  '4': 'temporary failure: the client may try again later',
  '5': 'permanent failure: repeating the same command will not help',
};

const SECOND_DIGIT: Readonly<Record<string, string>> = {
  '0': 'syntax',
  '1': 'information',
  '2': 'connection',
  '3': 'unspecified',
  '4': 'unspecified',
  '5': 'mail system',
};

const REPLY_CODES: Readonly<Record<number, { about: string; refs?: readonly Reference[] }>> = {
  211: { about: 'System status or help reply.' },
  214: { about: 'Help message for a human reader.' },
  220: { about: 'The service is ready: the greeting, or the go-ahead for the TLS handshake after STARTTLS.', refs: [refRfc(5321, '4.2.2'), refRfc(3207, '4')] },
  221: { about: 'The server is closing the connection (answer to QUIT).' },
  235: { about: 'Authentication succeeded.', refs: [refRfc(4954, '6')] },
  250: { about: 'The requested action was completed.' },
  251: { about: 'The recipient is not local; the server will forward the message.' },
  252: { about: 'The server cannot verify the address but will accept the message and try to deliver it.' },
  334: { about: 'AUTH challenge: the server waits for the next base64 line of the SASL exchange.', refs: [refRfc(4954, '4')] },
  354: { about: 'Go ahead with the message content; end it with a line holding a single dot.' },
  421: { about: 'The service is not available and the server is closing the connection.' },
  432: { about: 'A password transition is needed before this mechanism can be used.', refs: [refRfc(4954, '6')] },
  450: { about: 'The mailbox is temporarily unavailable (busy or blocked by policy for now).' },
  451: { about: 'The action was aborted by a local error; try again later.' },
  452: { about: 'Not enough system storage (or too many recipients) right now.' },
  454: { about: 'Temporary failure: TLS is not available right now (after STARTTLS), or authentication failed temporarily (after AUTH).', refs: [refRfc(3207, '4'), refRfc(4954, '6')] },
  455: { about: 'The server cannot handle the parameters right now.' },
  500: { about: 'Syntax error: the command was not recognized (or the line was too long).' },
  501: { about: 'Syntax error in the parameters or arguments (STARTTLS with parameters gets this).', refs: [refRfc(5321, '4.2.2'), refRfc(3207, '4')] },
  502: { about: 'The command is not implemented.' },
  503: { about: 'Bad sequence of commands.' },
  504: { about: 'A parameter of the command is not implemented.' },
  521: { about: 'This host does not accept mail at all.', refs: [refRfc(7504)] },
  530: { about: 'Access denied until the client authenticates or issues STARTTLS first.', refs: [refRfc(3207, '4'), refRfc(4954, '6')] },
  534: { about: 'The authentication mechanism is too weak.', refs: [refRfc(4954, '6')] },
  535: { about: 'Authentication credentials were rejected.', refs: [refRfc(4954, '6')] },
  538: { about: 'This authentication mechanism requires encryption (use STARTTLS first).', refs: [refRfc(4954, '6')] },
  550: { about: 'The mailbox is unavailable (does not exist, or policy refuses it); not worth retrying.' },
  551: { about: 'The user is not local; the server tells the client where to try.' },
  552: { about: 'The action was aborted: storage allocation exceeded (message or mailbox too large).' },
  553: { about: 'The mailbox name is not allowed (bad syntax).' },
  554: { about: 'The transaction failed (or, as a greeting, no SMTP service here).' },
  555: { about: 'MAIL FROM or RCPT TO parameters were not recognized or not implemented.' },
  556: { about: 'The domain does not accept mail.', refs: [refRfc(7504)] },
};

/** What a three-digit reply code means: its class, its category and, when known, the specific code. */
export function describeReplyCode(codeText: string): Note | undefined {
  if (!/^[2-5][0-9][0-9]$/.test(codeText)) return undefined;
  const code = Number(codeText);
  const known = REPLY_CODES[code];
  const klass = FIRST_DIGIT[codeText[0]];
  const category = SECOND_DIGIT[codeText[1]];
  const parts = [known ? known.about : `A ${codeText[0]}xx reply.`, `Class ${codeText[0]}xx, ${klass}${category ? `; category x${codeText[1]}x, ${category}` : ''}.`];
  return { title: `Reply ${codeText}`, about: parts.join(' '), refs: known?.refs ?? [refRfc(5321, '4.2.1')] };
}

const STATUS_CLASS: Readonly<Record<string, string>> = {
  '2': 'success',
  '4': 'persistent transient failure: the same message may go through later',
  '5': 'permanent failure: resending will not succeed without a change',
};

const STATUS_SUBJECT: Readonly<Record<string, { name: string; section: string }>> = {
  '0': { name: 'other or undefined', section: '3.1' },
  '1': { name: 'addressing', section: '3.2' },
  '2': { name: 'mailbox', section: '3.3' },
  '3': { name: 'mail system', section: '3.4' },
  '4': { name: 'network and routing', section: '3.5' },
  '5': { name: 'mail delivery protocol', section: '3.6' },
  '6': { name: 'message content or media', section: '3.7' },
  '7': { name: 'security or policy', section: '3.8' },
};

/** Detail meanings keyed "subject.detail"; the RFC 3463 set plus the AUTH codes of RFC 4954. */
const STATUS_DETAIL: Readonly<Record<string, string>> = {
  '0.0': 'nothing more specific to say',
  '1.0': 'something about an address',
  '1.1': 'the mailbox part of the recipient address does not exist',
  '1.2': 'the system part (domain) of the recipient address is wrong',
  '1.3': 'the recipient address is syntactically invalid',
  '1.4': 'the recipient address matches more than one mailbox',
  '1.5': 'the recipient address is valid (a success detail)',
  '1.6': 'the mailbox has moved and no forwarding address is known',
  '1.7': "the sender's address is syntactically invalid",
  '1.8': "the sender's system (domain) is wrong",
  '2.0': 'something about the mailbox',
  '2.1': 'the mailbox is disabled and does not accept messages',
  '2.2': 'the mailbox is full',
  '2.3': 'the message is larger than the per-mailbox limit',
  '2.4': 'expanding a mailing list failed',
  '3.0': 'something about the receiving mail system',
  '3.1': 'the mail system is out of storage',
  '3.2': 'the system does not accept network messages right now',
  '3.3': 'the system lacks a feature the message needs',
  '3.4': 'the message is larger than the system accepts',
  '3.5': 'the system is misconfigured',
  '4.0': 'something about the network or routing',
  '4.1': 'the next host did not answer',
  '4.2': 'the connection broke',
  '4.3': 'a directory server (such as DNS) failed',
  '4.4': 'no route to the destination could be found',
  '4.5': 'the mail system is congested',
  '4.6': 'a routing loop was detected',
  '4.7': 'the message stayed queued too long and expired',
  '5.0': 'something about the SMTP exchange',
  '5.1': 'the command is not valid here',
  '5.2': 'the command has a syntax error',
  '5.3': 'too many recipients',
  '5.4': 'the command arguments are invalid',
  '5.5': 'the protocol version is wrong',
  '5.6': 'an AUTH exchange line is too long',
  '6.0': 'something about the message content',
  '6.1': 'the media type is not supported',
  '6.2': 'a conversion is needed but forbidden',
  '6.3': 'a conversion is needed but not supported',
  '6.4': 'a conversion lost information',
  '6.5': 'a conversion failed',
  '7.0': 'something about security or policy (also: authentication required)',
  '7.1': 'delivery is not authorized; the message is refused',
  '7.2': 'expanding a mailing list is not allowed',
  '7.3': 'a security conversion is needed but not possible',
  '7.4': 'a security feature is not supported',
  '7.5': 'a cryptographic operation failed',
  '7.6': 'a cryptographic algorithm is not supported',
  '7.7': 'the message failed an integrity check',
  '7.8': 'the authentication credentials are invalid',
  '7.9': 'the authentication mechanism is too weak',
  '7.11': 'the authentication mechanism requires encryption',
  '7.12': 'a password transition is needed',
};

/** What an enhanced status code ("5.7.1") means: class, subject and detail. */
export function describeEnhancedStatus(code: string): Note | undefined {
  const m = /^([245])\.([0-9]{1,3})\.([0-9]{1,3})$/.exec(code);
  if (!m) return undefined;
  const [, klass, subject, detail] = m;
  const subj = STATUS_SUBJECT[subject];
  const meaning = STATUS_DETAIL[`${subject}.${detail}`];
  const lines = [
    `Class ${klass}: ${STATUS_CLASS[klass]}.`,
    subj ? `Subject ${subject}: ${subj.name}.` : `Subject ${subject}: not defined by RFC 3463.`,
    meaning ? `Detail ${detail}: ${meaning}.` : `Detail ${detail}: not one this extension knows; see the IANA registry.`,
  ];
  const refs: Reference[] = [refRfc(3463, subj ? subj.section : '2')];
  if (/^7\.(8|9|11|12)$|^5\.6$/.test(`${subject}.${detail}`)) refs.push(refRfc(4954, '6'));
  refs.push(IANA_SMTP_ENHANCED_CODES);
  return { title: `Enhanced status ${code}`, about: lines.join(' '), refs };
}

const MARKERS: Readonly<Record<string, string>> = {
  'C:': 'Client to server (RFC-style transcript).',
  'S:': 'Server to client (RFC-style transcript).',
  'C & S:': 'Both sides (an RFC 3207 placeholder such as the TLS negotiation).',
  '>>>': 'openssl -msg: a TLS message the client sent.',
  '<<<': 'openssl -msg: a TLS message the client received.',
  '->': 'swaks: a client line sent in the clear.',
  '<-': 'swaks: a server line received in the clear.',
  '<-*': 'swaks: a server error reply (4xx/5xx) received in the clear.',
  '~>': 'swaks: a client line sent inside TLS.',
  '<~': 'swaks: a server line received inside TLS.',
  '<~*': 'swaks: a server error reply (4xx/5xx) received inside TLS.',
  '>': 'curl -v or a Postfix log: a line the logging side sent.',
  '<': 'curl -v or a Postfix log: a line the logging side received.',
  '=>': 'curl --trace: data curl sent.',
  '<=': 'curl --trace: data curl received.',
  'send:': 'Python smtplib: a line the client sent.',
  'reply:': 'Python smtplib: a line the server sent.',
};

/** The meaning of a direction marker as written at the start of a line, or undefined. */
export function findDirectionNote(marker: string): Note | undefined {
  const about = Object.prototype.hasOwnProperty.call(MARKERS, marker) ? MARKERS[marker] : undefined;
  return about ? { title: `Direction marker ${marker}`, about, refs: [] } : undefined;
}

/** The direction markers this module explains, longest first (for matching at a line start). */
export const DIRECTION_MARKERS: readonly string[] = Object.keys(MARKERS).sort((a, b) => b.length - a.length);
