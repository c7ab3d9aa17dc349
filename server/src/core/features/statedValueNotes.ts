/**
 * Hover on a value a tool states in words (gnutls-cli's "Selected cipher suite:
 * GNUTLS_RSA_ARCFOUR_128_SHA1", postfix's "with cipher RC4-SHA", msmtp's
 * "(TLS1.2)-(RSA)-(ARCFOUR-128)-(SHA1)", a version, a suite tshark -V or openssl -trace lists):
 * what it is in IANA's registry and what the RFCs say of it, as a decoded field's hover does.
 */
import type { Analysis } from '../analysis/analyzeDocument';
import type { CertificateVerdict, StatedEvent, StatedKeyExchange, StatedSigningKey } from '../model/transcript';
import { lookupCurveByName } from '../tls/namedCurves';
import { describeVerdictSubject } from '../formats/postfixTlsFacts';
import { cipherSuiteByName } from '../tls/registry/cipherNames';
import { lookupCipherSuite } from '../tls/registry/cipherSuites';
import { lookupCipherSpec } from '../tls/registry/sslv2CipherKinds';
import { describeVersion } from '../tls/registry/versions';
import { algorithmGroups } from '../formats/statedFacts';
import { classifyAlgorithmGroup, sniProblem, type WeakClass } from '../rules/checks/helloContent';
import { alertMeaning, lookupAlertDescription } from '../tls/registry/alerts';
import { refRfc, type Reference } from './references';
import { describeCipherSuite, describeFieldValue } from './tlsFieldNotes';
import type { PlacedNote } from './smtpNotes';

export type StatedValueNote = PlacedNote;

const CACHE = new WeakMap<Analysis, ReadonlyMap<number, readonly StatedEvent[]>>();

/** Stated events that mark values, by the document line of each value. */
function statedByLine(analysis: Analysis): ReadonlyMap<number, readonly StatedEvent[]> {
  let map = CACHE.get(analysis);
  if (map) return map;
  const built = new Map<number, StatedEvent[]>();
  for (const s of analysis.sessions) {
    for (const e of s.session.events) {
      if (e.kind !== 'stated' || !e.valueSpans) continue;
      for (const span of Object.values(e.valueSpans)) {
        const line = analysis.lines.lineAt(span.start);
        const list = built.get(line);
        if (!list) built.set(line, [e]);
        else if (list[list.length - 1] !== e) list.push(e);
      }
    }
  }
  map = built;
  CACHE.set(analysis, map);
  return map;
}

/** The note for the stated value under `offset`, or null. */
export function describeStatedValueAt(analysis: Analysis, offset: number): StatedValueNote | null {
  const events = statedByLine(analysis).get(analysis.lines.lineAt(offset));
  if (!events) return null;
  for (const e of events) {
    for (const [key, span] of Object.entries(e.valueSpans!)) {
      if (offset < span.start || offset >= span.end) continue;
      const note = describeStatedValue(e, key, analysis.text.slice(span.start, span.end));
      if (note) return { span, ...note };
    }
  }
  return null;
}

/** What the value under `key` of a stated event means; `text` is how the tool wrote it. */
export function describeStatedValue(e: StatedEvent, key: string, text: string): Omit<StatedValueNote, 'span'> | null {
  if ((key === 'version' || key === 'recordVersion') && e[key] !== undefined) {
    const value = e[key]!;
    // TLS 1.2 and 1.3 need no remark; the notes on them speak of hello fields.
    const note = value === 0x0303 || value === 0x0304 ? null : describeFieldValue('version', value, undefined);
    const refs = note?.refs ?? (value === 0x0304 ? [refRfc(8446)] : value === 0x0303 ? [refRfc(5246)] : []);
    const what = key === 'recordVersion' ? 'Record-layer version' : e.subject === 'negotiated' ? 'Negotiated version' : 'Hello version';
    return { title: `${what} ${describeVersion(value)}`, about: `As the tool states it (${inlineCode(text)}).${note ? ` ${note.text}` : ''}`, refs };
  }
  if (key === 'cipherName' && e.cipherName !== undefined) {
    const code = cipherSuiteByName(e.cipherName);
    if (code === undefined) {
      return { title: `Cipher suite ${text}`, about: 'As the tool names it; neither IANA\'s, OpenSSL\'s nor GnuTLS\'s names of the suites list it.', refs: [] };
    }
    const how = text === lookupCipherSuite(code).name ? '' : `, named as the tool names it (${inlineCode(text)})`;
    return suiteNote(code, `the suite the log says was negotiated${how}`);
  }
  if (key === 'cipherSuite' && e.cipherSuite !== undefined) return suiteNote(e.cipherSuite, 'the suite the server selects, as the tool states it');
  const item = /^cipherSuites\[([0-9]{1,5})\]$/.exec(key);
  if (item && e.cipherSuites) {
    const value = e.cipherSuites[Number(item[1])];
    if (value === undefined) return null;
    return value > 0xffff ? specNote(value) : suiteNote(value, 'one of the suites the ClientHello offers, as the tool states it');
  }
  if (key === 'cipherAlgorithms' && e.cipherAlgorithms !== undefined) return algorithmsNote(e.cipherAlgorithms);
  if (key === 'serverName' && e.serverName !== undefined) {
    const problem = sniProblem(e.serverName);
    return {
      title: `server_name ${e.serverName}`,
      about: `The host name the ClientHello asks for (Server Name Indication), as the tool states it.${problem ? ` It ${problem}.` : ''}`,
      refs: [refRfc(6066, '3')],
    };
  }
  if (key === 'alertDescription' && e.alertDescription !== undefined) {
    const level = e.alertLevel === 2 ? 'A fatal alert, which ends the connection' : e.alertLevel === 1 ? 'A warning alert' : 'An alert';
    const sender = e.direction === 'server' ? ', sent by the server' : e.direction === 'client' ? ', sent by the client' : '';
    const meaning = alertMeaning(e.alertDescription);
    return {
      title: `Alert ${lookupAlertDescription(e.alertDescription).name} (${e.alertDescription})`,
      about: `${level}${sender}, as the tool states it (${inlineCode(text)}).${meaning ? ` ${meaning.text}` : ''}`,
      refs: [...(meaning && meaning.rfc !== 8446 ? [refRfc(meaning.rfc, meaning.section)] : []), refRfc(8446, meaning?.rfc === 8446 ? meaning.section : '6'), refRfc(5246, '7.2')],
    };
  }
  const signing = /^signingKeys\[([0-9]{1,2})\]$/.exec(key);
  if (signing && e.signingKeys) {
    const k = e.signingKeys[Number(signing[1])];
    return k ? signingKeyNote(k, text) : null;
  }
  if (key === 'reason' && e.verdict) return verdictNote(e.verdict, e.direction, text);
  if (key === 'sendmailVerify') return sendmailVerifyNote(text);
  if (key === 'keyExchange' && e.keyExchange) return keyExchangeNote(e.keyExchange, text);
  if (key === 'recordHeader' && e.sslv2) {
    return {
      title: 'SSLv2 record',
      about: 'A record in the SSL 2.0 format, as the tool states it: an SSLv2-compatible ClientHello, which RFC 6176 forbids clients to send.',
      refs: [refRfc(6176, '3'), refRfc(5246, 'E.2')],
    };
  }
  return null;
}

/** What sendmail's `${verify}` macro says of the peer's certificate, by its word (`verify=FAIL` in its STARTTLS log line). */
const SENDMAIL_VERIFY: Readonly<Record<string, string>> = {
  OK: 'the peer presented a certificate, and it verified against the trusted CAs',
  NO: 'the peer presented no certificate',
  NOT: 'no certificate was asked of the peer',
  FAIL: 'the peer presented a certificate that did not verify (an issuer not trusted or missing, a date, a name)',
  NONE: 'STARTTLS was not performed',
  TEMP: 'a temporary error came up',
  PROTOCOL: 'an SMTP protocol error came up',
  SOFTWARE: 'the TLS handshake failed, and the message is queued',
};

/** sendmail's `verify=FAIL`: the outcome of its check of the peer's certificate. */
function sendmailVerifyNote(word: string): Omit<StatedValueNote, 'span'> {
  const meaning = SENDMAIL_VERIFY[word];
  return {
    title: `sendmail's verify=${word}`,
    about:
      `sendmail's verdict on the peer's certificate (its \`\${verify}\` macro)${meaning ? `: ${meaning}` : ''}. ` +
      'It does not say which check failed, and trust in a CA is not judged here. ' +
      'From LogLevel 13 on, the `verifymsg=` line after it gives OpenSSL\'s reason; tls-certificate-expired reports one about dates.',
    refs: [],
  };
}

/** Postfix's `server-signature RSA-PSS (2048 bits)`: the key of that side's certificate, sized as BCP 195 judges it. */
function signingKeyNote(k: StatedSigningKey, text: string): Omit<StatedValueNote, 'span'> {
  const curve = k.curve !== null ? lookupCurveByName(k.curve) : undefined;
  const size = k.bits !== null ? `${k.bits}-bit key` : curve ? `key on ${k.curve} (${curve.bits}-bit field)` : k.curve !== null ? `key on ${k.curve}` : 'key';
  return {
    title: `The ${k.side}'s signing key: ${k.algorithm}, ${k.bits !== null ? `${k.bits} bits` : (k.curve ?? 'size not stated')}`,
    about:
      `As the log states it (${inlineCode(text)}): the ${k.side} signed the handshake with a ${size}, which is the key of its certificate. ` +
      'BCP 195 asks for RSA and DSA keys of at least 2048 bits and no curves under 192 bits.',
    refs: [refRfc(7525, '4.3'), ...(k.algorithm.startsWith('RSA-PSS') ? [refRfc(8446, '4.2.3')] : [])],
  };
}

/** Postfix's `key-exchange DHE (1024 bits)`, s_client's `Server Temp Key: DH, 1024 bits`: the group, sized as BCP 195 judges it. */
function keyExchangeNote(k: StatedKeyExchange, text: string): Omit<StatedValueNote, 'span'> {
  const curve = lookupCurveByName(k.curve ?? k.name);
  const size = k.bits !== null ? `${k.bits} bits` : curve ? `${curve.bits}-bit curve` : 'size not stated';
  const kind = k.finiteField ? 'finite-field Diffie-Hellman' : 'elliptic-curve Diffie-Hellman';
  return {
    title: `Key exchange: ${k.name}${k.curve !== null ? ` on ${k.curve}` : ''}, ${size}`,
    about:
      `As the tool states it (${inlineCode(text)}): an ephemeral ${kind} key exchange. ` +
      'BCP 195 recommends finite-field groups of at least 2048 bits and no curves under 192 bits.',
    refs: [refRfc(7525, '4.3'), ...(k.finiteField ? [refRfc(7919)] : [])],
  };
}

/** Postfix's `certificate has expired`: its verdict when it verified the certificate, by its clock during the session. */
function verdictNote(v: CertificateVerdict, side: StatedEvent['direction'], text: string): Omit<StatedValueNote, 'span'> {
  const whose = describeVerdictSubject(v, side);
  if (v.problem === 'name-mismatch') return nameVerdictNote(v, whose, text);
  const what = v.problem === 'expired' ? 'had expired' : 'was not yet valid';
  return {
    title: `Certificate verdict: ${text}`,
    about:
      `${v.tool} says that ${whose} ${what} when it verified it, by its own clock during the session. ` +
      'Where the text shows no certificate whose dates can be judged (none, or no time of the session), tls-certificate-expired reports this verdict.',
    refs: [refRfc(5280, '6.1.3'), refRfc(5280, '4.1.2.5')],
  };
}

/** What each tool compares when it checks the server's name, in its verdict's hover. */
const NAME_CHECKS: Readonly<Record<CertificateVerdict['tool'], string>> = {
  PHP: "PHP compares the name itself (its `peer_name`, else the host it connected to) with the certificate's DNS names in its subjectAltName, or its common name when it has none",
  curl: 'curl compares the host name of its URL with the DNS names in the certificate\'s subjectAltName, or its common name when it has none',
  Postfix: "Postfix compares the names of its TLS policy (`match=`, by default the next hop's name) with the certificate's names (OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH, 62)",
  'posttls-finger': "posttls-finger compares the names given after the destination (by default the destination's name) with the certificate's names (OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH, 62)",
  sendmail: "sendmail compares the server's name with the certificate's names",
  Ruby: "Ruby's OpenSSL library compares the host Net::SMTP connected to (or its `tls_hostname`) with the DNS names in the certificate's subjectAltName, or its common name when it has none: OpenSSL during the handshake when Net::SMTP verifies (`hostname mismatch`, X509_V_ERR_HOSTNAME_MISMATCH 62), Ruby itself after it in `post_connection_check`",
  'Jakarta Mail': "Jakarta Mail (`mail.smtp.ssl.checkserveridentity`) or Java's endpoint identification compares the host it connected to with the DNS names and addresses in the certificate's subjectAltName, or its common name when it has none",
  Perl: "IO::Socket::SSL compares the name Net::SMTP gives it (its `SSL_verifycn_name`, by default the host it connected to) with the DNS names in the certificate's subjectAltName and with its common name, by the rules of its `smtp` scheme (RFC 2595's: a wildcard only as the whole leftmost label); `hostname verification failed` names neither",
  Nodemailer: "Node.js (tls.checkServerIdentity) compares the host Nodemailer connected to (or its `tls.servername`) with the DNS names and IP addresses in the certificate's subjectAltName, or its common name when it has none",
};

/** A tool's verdict that the server's certificate does not cover the name it checked. */
function nameVerdictNote(v: CertificateVerdict, whose: string, text: string): Omit<StatedValueNote, 'span'> {
  const name = v.expectedName !== undefined ? ` ${inlineCode(v.expectedName)},` : '';
  return {
    title: `Certificate verdict: ${text}`,
    about:
      `${v.tool} says that ${whose} does not cover the name it checked${name} and a client that verifies ends the handshake there. ` +
      `${NAME_CHECKS[v.tool]}. A connection to an address or to \`localhost\` fails so whenever the certificate names the server's host ` +
      'name. tls-certificate-name-mismatch reports this verdict.',
    refs: [refRfc(6125, '6.4'), refRfc(7817, '3')],
  };
}

/** The tool's own text as inline code (a backtick in it cannot be escaped there, so it becomes a quote). */
function inlineCode(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

function suiteNote(code: number, how: string): Omit<StatedValueNote, 'span'> {
  const name = lookupCipherSuite(code).name;
  const note = describeCipherSuite(code, name);
  return {
    title: `Cipher suite ${name} (${hex(code, 4)})`,
    about: `${how.charAt(0).toUpperCase()}${how.slice(1)}.${note ? ` ${note.text}` : ''}`,
    refs: [...(note?.refs ?? []), { label: 'IANA TLS Cipher Suites', url: 'https://www.iana.org/assignments/tls-parameters/tls-parameters.xhtml#tls-parameters-4' }],
  };
}

function specNote(value: number): Omit<StatedValueNote, 'span'> {
  return { title: `SSLv2 cipher spec ${lookupCipherSpec(value).name} (${hex(value, 6)})`, about: 'One of the cipher kinds an SSLv2-compatible ClientHello offers, as the tool states it.', refs: [refRfc(5246, 'E.2')] };
}

/** Why the RFCs rule out an algorithm of each weak class (tls-weak-cipher-selected's classes), in the order a remark names them. */
const WEAK_ALGORITHMS: readonly (readonly [WeakClass, string, Reference])[] = [
  ['RC4', 'is RC4, which TLS no longer allows', refRfc(7465, '2')],
  ['EXPORT', 'is export-grade (deliberately short keys)', refRfc(9325, '4.1')],
  ['NULL', 'means no encryption', refRfc(9325, '4.1')],
  ['DES', 'is single DES', refRfc(9325, '4.1')],
  ['anon', 'authenticates nobody (anonymous key exchange)', refRfc(5246, 'A.5')],
];

function algorithmsNote(algorithms: string): Omit<StatedValueNote, 'span'> {
  const groups = algorithmGroups(algorithms);
  const remarks: string[] = [];
  const refs: Reference[] = [];
  for (const g of groups) {
    const classes = classifyAlgorithmGroup(g);
    for (const [weak, why, ref] of WEAK_ALGORITHMS) {
      if (!classes.includes(weak)) continue;
      remarks.push(`${g} ${why}`);
      if (!refs.some((r) => r.url === ref.url)) refs.push(ref);
    }
  }
  return {
    title: `Negotiated algorithms ${groups.join(', ')}`,
    about:
      'GnuTLS\'s description of the session (gnutls_session_get_desc), as msmtp, Exim and gnutls-cli print it: after the version, ' +
      'the key exchange, then the authentication, cipher and MAC where they are separate.' +
      (remarks.length > 0 ? ` ${remarks.join('; ')}.` : ''),
    refs,
  };
}
