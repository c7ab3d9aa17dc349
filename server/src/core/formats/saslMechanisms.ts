/**
 * The shape of SASL mechanisms in SMTP AUTH (RFC 4954 §4), where it is fixed: how many client lines a
 * mechanism sends after `AUTH <mechanism>` when the transcript does not show the 334 before them (a
 * client that pipelined them, or a log that prints replies later). Used wherever credentials are
 * told from commands: the reports' redaction and the decrypted import's masking.
 */

/**
 * PLAIN one response (RFC 4616 §2), none when AUTH carried it; LOGIN the user name and the password
 * (less what AUTH carried); CRAM-MD5 one (RFC 2195). Null for a mechanism of no fixed shape: the
 * caller decides how far its lines go.
 */
export function saslLinesBeforeChallenge(mechanism: string, initialResponse: boolean): number | null {
  switch (mechanism.toUpperCase()) {
    case 'PLAIN':
      return initialResponse ? 0 : 1;
    case 'LOGIN':
      return initialResponse ? 1 : 2;
    case 'CRAM-MD5':
      return 1;
    default:
      return null;
  }
}
