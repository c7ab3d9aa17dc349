/**
 * The rule catalog as data. Ids are public: users configure and suppress rules
 * by id, and the CLI prints them. Add rules freely; never rename one.
 * Section numbers are checked against the RFC texts (see docs/rules.md).
 */
import type { RuleDefinition, RuleReference, SeveritySetting, Baseline } from './types';

function rfc(num: number, section?: string): RuleReference {
  const base = `https://www.rfc-editor.org/rfc/rfc${num}`;
  if (!section) return { label: `RFC ${num}`, url: base };
  const anchor = /^[A-Z]/.test(section) ? `appendix-${section}` : `section-${section}`;
  const label = /^[A-Z]/.test(section) ? `RFC ${num} App. ${section}` : `RFC ${num} §${section}`;
  return { label, url: `${base}#${anchor}` };
}

const IANA_TLS: RuleReference = {
  label: 'IANA TLS parameters',
  url: 'https://www.iana.org/assignments/tls-parameters/tls-parameters.xhtml',
};

function sev(current: SeveritySetting, rfc3207: SeveritySetting = current): Record<Baseline, SeveritySetting> {
  return { current, rfc3207 };
}

export const RULES: readonly RuleDefinition[] = [
  // The founding rules (STARTTLS last-call discussion, 2001).
  {
    id: 'tls-hello-version-below-3.1',
    title: 'ClientHello offers a version below TLS 1.0 (3.1)',
    severity: sev('error'),
    references: [rfc(7568, '3'), rfc(6176, '3'), rfc(2246, 'E')],
    description:
      'After STARTTLS a ClientHello must be able to negotiate TLS 1.0 or later: the version of an SSLv2-compatible hello, ' +
      'or the client_version of an SSL 3.0/TLS-format hello, must be at least 3.1 (0x0301). SSL 2.0 is prohibited by RFC 6176 ' +
      'and SSL 3.0 by RFC 7568. The 2001 STARTTLS last-call proposal excused an SSL 3.0 hello that resumes an SSL session ' +
      '(non-empty session_id); under the `rfc3207` baseline such a hello is information only, under `current` it stays an error. ' +
      'The record-layer version of the record carrying the hello is not judged by this rule (3.0 or 3.1 there is legal).',
  },
  {
    id: 'tls-sslv2-compat-hello',
    title: 'ClientHello in SSLv2-compatible format',
    severity: sev('warning', 'information'),
    references: [rfc(6176, '3'), rfc(5246, 'E.2')],
    description:
      'An SSLv2-compatible ClientHello (2-byte record header with the high bit set, msg_type 1) that offers TLS 1.0 or later. ' +
      'RFC 6176 forbids clients to send it at all; in 2001 it was legal and servers were expected to understand it, so the ' +
      '`rfc3207` baseline reports it as information only.',
  },
  {
    id: 'tls-server-rejects-compat-hello',
    title: 'Server rejects an SSLv2-compatible hello that offers TLS 1.0 or later',
    severity: sev('information', 'error'),
    references: [rfc(6176, '3'), rfc(2246, 'E')],
    description:
      'The server answers an SSLv2-compatible ClientHello offering 3.1 or later with an alert or by closing. The 2001 proposal ' +
      'required servers to understand such hellos (error under `rfc3207`); RFC 6176 only allows servers to accept them.',
  },
  {
    id: 'tls-server-version-ssl3',
    title: 'Server selects SSL 3.0 or answers in SSLv2',
    severity: sev('error', 'warning'),
    references: [rfc(7568, '3'), rfc(6176, '3')],
    description:
      'A ServerHello selecting 3.0 (0x0300), or an SSLv2 SERVER-HELLO; where no ServerHello is decoded, SSL 3.0 as the ' +
      'version a tool or log states was negotiated (swaks, msmtp, s-nail, gnutls-cli, curl -v, postfix, Exim and sendmail logs, s_client\'s session block).',
  },
  // TLS framing and content.
  {
    id: 'dump-malformed',
    title: 'Hex dump cannot be read consistently',
    severity: sev('error'),
    references: [],
    description:
      'A hex dump whose text does not agree with itself: a non-hex token among the byte columns, an odd number of hex digits, ' +
      'an offset column that jumps or goes back, an ASCII gutter that contradicts the bytes, a stated length that differs ' +
      'from the bytes shown, or (openssl -msg) a record header whose length disagrees with the content dumped after it. ' +
      'The finding points at the exact characters; everything around them is still decoded.',
  },
  {
    id: 'tls-truncated',
    title: 'Dump ends before a record or message is complete',
    severity: sev('information'),
    references: [],
    description:
      'A record or handshake message declares more bytes than the dump contains, as happens with a cut capture. What is ' +
      'present is decoded; the message says how many bytes are missing. Where the bytes that follow are a capture\'s ' +
      '`<N bytes not captured>` of the same side, capture-gap reports them, and the record is not reported again.',
  },
  {
    id: 'tls-malformed',
    title: 'Lengths inside a TLS message do not fit',
    severity: sev('error'),
    references: [rfc(8446, '4'), rfc(8446, '6'), rfc(8446, '6.2'), rfc(5246, '7.4')],
    description:
      'Inside the declared bytes, a length does not fit: a vector longer than its container, trailing bytes after a message ' +
      'or extension, an odd-length cipher-suite list, a handshake length that disagrees with its record, or bytes that are ' +
      'no TLS record at all. A peer must answer such a message with a decode_error alert.',
  },
  {
    id: 'tls-record-overflow',
    title: 'Record longer than the protocol allows',
    severity: sev('error'),
    references: [rfc(5246, '6.2.1'), rfc(5246, '6.2.3'), rfc(8446, '5.1'), rfc(8446, '5.2')],
    description: 'A plaintext record over 2^14 bytes, or a ciphertext record over 2^14+2048 (TLS 1.2 and earlier) or 2^14+256 (TLS 1.3).',
  },
  {
    id: 'tls-record-version',
    title: 'Unexpected record-layer version',
    severity: sev('warning'),
    references: [rfc(8446, '5.1')],
    description: 'A record whose major version is not 3, or, in a TLS 1.3 connection, a record other than the first ClientHello whose version is not 0x0303.',
  },
  {
    id: 'tls-deprecated-version',
    title: 'TLS 1.0 or 1.1 negotiated or offered as highest',
    severity: sev('warning', 'off'),
    references: [rfc(8996, '4'), rfc(8996, '5')],
    description:
      'TLS 1.0 and 1.1 are deprecated. Error on submission ports (465/587); warning on port 25, where opportunistic TLS still beats cleartext. ' +
      'Judged on the decoded ServerHello (the version it selects) and ClientHello (the highest it offers); where no ServerHello ' +
      'is decoded, on the version a tool or log states was negotiated ("TLSv1 with cipher ..." in a postfix log, msmtp\'s ' +
      '"(TLS1.1)-...", swaks\'s "TLS started with cipher TLSv1.1:...", sendmail\'s "STARTTLS=client, ..., version=TLSv1, ...", s-nail\'s "TLS connection using TLSv1 / ...").',
  },
  {
    id: 'tls13-legacy-version',
    title: 'TLS 1.3 hello with a wrong legacy_version',
    severity: sev('error'),
    references: [rfc(8446, '4.1.2'), rfc(8446, '4.1.3'), rfc(8446, '4.2.1')],
    description: 'A hello that offers or negotiates TLS 1.3 through supported_versions must carry legacy_version 0x0303; a TLS 1.3 ServerHello must carry supported_versions.',
  },
  {
    id: 'tls-downgrade-sentinel',
    title: 'ServerHello.random carries a downgrade sentinel',
    severity: sev('error'),
    references: [rfc(8446, '4.1.3')],
    description: 'The last 8 bytes of ServerHello.random are 44 4F 57 4E 47 52 44 01 or 00 while the client offered a higher version.',
  },
  {
    id: 'tls-weak-cipher-offered',
    title: 'ClientHello offers weak cipher suites',
    severity: sev('warning'),
    references: [rfc(7465, '2'), rfc(9325, '4.1'), rfc(5246, 'A.5')],
    description:
      'NULL, EXPORT, anonymous, DES or RC4 suites offered; RC4 is an error. Where no ClientHello is decoded, the suites a tool ' +
      'lists for its hello in words are judged (gnutls-cli -d 4\'s `Keeping ciphersuite 00.05`, openssl -trace, tshark -V).',
  },
  {
    id: 'tls-weak-cipher-selected',
    title: 'ServerHello selects a weak cipher suite',
    severity: sev('error'),
    references: [rfc(7465, '2'), rfc(9325, '4.1'), rfc(5246, 'A.5')],
    description:
      'The server selects a NULL, EXPORT, anonymous, DES or RC4 suite. Anonymous suites on port 25 are a warning. Where no ' +
      'ServerHello is decoded, the suite a tool or log states as negotiated is judged: its code (openssl -trace, tshark -V), ' +
      'IANA\'s name, OpenSSL\'s (postfix "with cipher ADH-AES256-GCM-SHA384", s_client\'s session block, old logs\' RC4-SHA ' +
      'and EDH-RSA-DES-CBC3-SHA) or GnuTLS\'s (gnutls-cli -d 4 "GNUTLS_RSA_ARCFOUR_128_SHA1"); where none names a suite, the ' +
      'algorithms of GnuTLS\'s session description ("(TLS1.2)-(RSA)-(ARCFOUR-128)-(SHA1)" in msmtp, Exim and gnutls-cli ' +
      'output). A postfix log\'s `postfix/smtpd` is port 25, `postfix/submission/smtpd` 587, `postfix/smtps/smtpd` 465.',
  },
  {
    id: 'tls-compression',
    title: 'TLS compression offered or selected',
    severity: sev('warning'),
    references: [rfc(5246, '7.4.1.2'), rfc(7457, '2.6')],
    description: 'A ClientHello whose compression list lacks null (error) or offers DEFLATE; a ServerHello selecting compression.',
  },
  {
    id: 'tls-no-renegotiation-info',
    title: 'Secure renegotiation not signalled',
    severity: sev('warning'),
    references: [rfc(5746, '3.4'), rfc(5746, '3.6')],
    description: 'A TLS 1.2-or-earlier ClientHello with neither renegotiation_info nor TLS_EMPTY_RENEGOTIATION_INFO_SCSV, or a ServerHello without renegotiation_info when the client signalled it.',
  },
  {
    id: 'tls-fallback-scsv',
    title: 'TLS_FALLBACK_SCSV offered',
    severity: sev('information'),
    references: [rfc(7507, '3'), rfc(7507, '4')],
    description:
      'The client signals a fallback retry (0x5600); a server that supports a higher version answers inappropriate_fallback (86). ' +
      'RFC 8996 obsoletes RFC 7507 together with TLS 1.0/1.1, so a fallback signal today means the first attempt failed.',
  },
  {
    id: 'tls-sni-invalid',
    title: 'Invalid server_name',
    severity: sev('error'),
    references: [rfc(6066, '3')],
    description: 'The server_name HostName is an IP literal or ends with a dot.',
  },
  {
    id: 'tls-record-size-limit-too-small',
    title: 'record_size_limit below 64',
    severity: sev('error'),
    references: [rfc(8449, '4')],
    description:
      'A record_size_limit extension (28) whose value is below 64. The value tells the peer the largest record it may send; ' +
      'RFC 8449 forbids sending anything under 64, and a peer that receives such a value must abort the handshake ' +
      'with a fatal illegal_parameter alert.',
  },
  {
    id: 'tls-duplicate-extension',
    title: 'Extension appears twice',
    severity: sev('error'),
    references: [rfc(8446, '4.2'), rfc(5246, '7.4.1.4')],
    description: 'An extension type appears more than once in one hello.',
  },
  {
    id: 'tls-grease-selected',
    title: 'Server selects a GREASE value',
    severity: sev('error'),
    references: [rfc(8701, '3.1'), rfc(8701, '3.2')],
    description:
      'A server selects a GREASE version, suite, group or extension. GREASE values exist so that peers learn to ignore ' +
      'unknown values; choosing one is a bug, and a client must reject it. GREASE values a server sends of its own accord elsewhere are not judged.',
  },
  {
    id: 'tls-alert',
    title: 'TLS alert',
    severity: sev('information'),
    references: [rfc(8446, '6'), rfc(5246, '7.2')],
    description:
      'An alert record, named by level and description; a fatal alert is a warning. When the server answers a ClientHello with an alert, ' +
      'the finding says how they relate (protocol_version after an old hello, inappropriate_fallback after a fallback signal). ' +
      'The warning-level close_notify that ends every orderly session is not reported.',
  },
  {
    id: 'tls-weak-dh-group',
    title: 'Key exchange over a short Diffie-Hellman group',
    severity: sev('warning', 'off'),
    references: [rfc(7525, '4.3')],
    description:
      'The key exchange uses a finite-field Diffie-Hellman group under 2048 bits, or an elliptic curve under 192 bits: the dh_p or named_curve ' +
      "of a decoded ServerKeyExchange, or what a tool states (s_client's `Server Temp Key: DH, 1024 bits`, -trace's `dh_p (len=128)`, " +
      "tshark -V's `p Length: 128`, GnuTLS's `(DHE-CUSTOM1024)`, Postfix's `key-exchange` words). " +
      'BCP 195 recommends DH groups of at least 2048 bits and no curves under 192 bits: many servers share the same few 1024-bit groups, ' +
      'and a well-funded attacker can precompute them (the Logjam attack). Off under the `rfc3207` baseline (1024-bit groups were usual in 2001).',
  },
  // Certificates a peer sends (a decoded Certificate message).
  {
    id: 'tls-certificate-chain-order',
    title: 'Certificate list out of order',
    severity: sev('error'),
    references: [rfc(5246, '7.4.2'), rfc(8446, '4.4.2')],
    description:
      "A Certificate message lists the sender's certificate first and then, one by one, the certificate that issued the one before it. " +
      "The rule compares each certificate's issuer name with the subject name of the certificate that follows it and, where both " +
      "carry key identifiers, its authorityKeyIdentifier with the next one's subjectKeyIdentifier (RFC 5280 §4.2.1.1: a CA that " +
      'changed keys keeps its name), and reports ' +
      'the first place where the next certificate did not issue the previous one (a wrong order, or a certificate that does not belong). ' +
      'TLS 1.2 and earlier require the order (an error); TLS 1.3 only recommends it and asks receivers to cope (a warning). ' +
      'A chain that simply ends early, without the issuing CA, is not reported.',
  },
  {
    id: 'tls-certificate-weak-key',
    title: 'Certificate with a short public key',
    severity: sev('warning', 'off'),
    references: [rfc(7525, '4.3')],
    description:
      'A certificate in the chain carries an RSA or DSA key under 2048 bits, or an elliptic-curve key under 192 bits. ' +
      'BCP 195 asks servers to authenticate with RSA moduli of at least 2048 bits and to avoid curves under 192 bits, ' +
      'since shorter keys are within reach of well-funded attackers. Where a session shows no certificate, the key a log says signed the ' +
      "handshake is judged: it is that side's certificate key (Postfix's `server-signature RSA-PSS (1024 bits)`). " +
      'Off under the `rfc3207` baseline (1024-bit keys were usual in 2001).',
  },
  {
    id: 'tls-certificate-weak-signature',
    title: 'Certificate signed with MD5 or SHA-1',
    severity: sev('warning', 'off'),
    references: [rfc(8446, '4.2.3'), rfc(9155, '1')],
    description:
      'A certificate in the chain is signed with MD2, MD5 or SHA-1. Collisions for these hashes are practical, so such a signature no longer ' +
      'proves who issued the certificate; TLS 1.3 keeps SHA-1 certificate signatures only for backward compatibility and asks ' +
      'endpoints not to negotiate them, and public CAs stopped issuing them. A self-signed certificate is not reported: its own ' +
      'signature proves nothing either way (a client trusts it or not as a whole). Off under the `rfc3207` baseline.',
  },
  {
    id: 'tls-certificate-name-mismatch',
    title: 'Certificate does not cover the name the client asked for',
    severity: sev('warning'),
    references: [rfc(7817, '3'), rfc(6125, '6.4')],
    description:
      "The client named a server in its server_name extension (SNI), and the server's certificate does not cover that name: no DNS name " +
      'in its subjectAltName matches (a wildcard stands for exactly one leftmost label), nor, when the certificate has no DNS name ' +
      'at all, its subject common name. A client that checks the server identity, as RFC 7817 requires of submission clients, ' +
      'refuses such a certificate. Where no certificate of the session can be judged so, the verdict of a client that checked the name is ' +
      'reported: PHP\'s "Peer certificate subjectAltName did not match expected name" (or "Peer certificate CN=... did not match expected ' +
      'CN=..."), as PHPMailer prints it; curl\'s "SSL: no alternative certificate subject name matches target host name"; Postfix\'s and ' +
      'posttls-finger\'s "server certificate verification failed for ...: num=62:hostname mismatch"; s_client\'s "verify error:num=62:hostname ' +
      'mismatch" (-verify_hostname); Node.js\'s "Hostname/IP does not match certificate\'s altnames", as Nodemailer logs it; Ruby\'s ' +
      '"certificate verify failed (hostname mismatch)" or "hostname ... does not match the server certificate"; Jakarta Mail\'s "Can\'t verify identity ' +
      'of server: ..." and Java\'s "No subject alternative DNS name matching ... found"; IO::Socket::SSL\'s "hostname verification failed", as a Perl ' +
      'script using Net::SMTP dies with it. An error on submission ports (465, 587); information on port 25, where relays usually encrypt without ' +
      'checking names (unless DANE or MTA-STS applies); a warning when the port is unknown.',
  },
  {
    id: 'tls-certificate-expired',
    title: 'Certificate outside its validity period',
    severity: sev('warning'),
    references: [rfc(5280, '6.1.3'), rfc(5280, '4.1.2.5')],
    description:
      'A certificate in the chain had expired, or was not yet valid, when the session took place. The time is what the tool states ' +
      "(openssl s_client's `Start Time:`, the first frame's time in tshark -V), the RFC 3339 timestamp of a Postfix session's first line (rsyslog's default format since Debian 12, " +
      "`journalctl -o short-iso`; a traditional `Dec  1 00:19:54` names no year) or a `# smtptls-time: 2026-11-30T08:13:50Z` comment: a capture import writes one per session " +
      'from its first frame, and a reviewer may write one above a log. Without either nothing is judged (a log read later proves nothing ' +
      'about the day it was written). Where a session shows no certificate (s_client -brief, a mail log), or no time to judge it by, ' +
      "the tool's own verdict is reported: s_client's `verify error:num=10:certificate has expired` (9 for not yet valid), " +
      "Postfix's and posttls-finger's `server certificate verification failed for ...: certificate has expired` (or `not yet valid`), " +
      "curl's `SSL certificate verify result: certificate has expired (10)`, sendmail's `verifymsg=certificate has expired`, " +
      "Node.js's `certificate has expired` as Nodemailer logs it, Ruby's `certificate verify failed (certificate has expired)`, Java's `CertificateExpiredException: NotAfter: ...` in Jakarta Mail's exception. " +
      'An error on submission ports (465, 587), where clients must validate the certificate; a warning otherwise.',
  },
  {
    id: 'tls-unknown-value',
    title: 'Value not in the IANA registries',
    severity: sev('hint'),
    references: [IANA_TLS],
    description: 'A suite, extension, group or signature scheme that IANA has not registered and that is not GREASE.',
  },
  // SMTP and STARTTLS.
  {
    id: 'smtp-reply-syntax',
    title: 'Malformed SMTP reply',
    severity: sev('error'),
    references: [rfc(5321, '4.2')],
    description: 'A reply line that is not three digits followed by a space or hyphen and text, a first digit outside 2-5, or a multi-line reply whose lines carry different codes.',
  },
  {
    id: 'smtp-line-too-long',
    title: 'SMTP line over the length limit',
    severity: sev('warning'),
    references: [rfc(5321, '4.5.3.1.4'), rfc(5321, '4.5.3.1.5'), rfc(5321, '4.5.3.1.6'), rfc(4954, '3'), rfc(4954, '4')],
    description:
      'Command line over 512 octets, reply line over 512, text line over 1000 (CRLF included). The AUTH= parameter of MAIL FROM ' +
      'raises that line\'s limit by 500 (RFC 4954); SASL response lines after a 334 challenge are held to 12288.',
  },
  {
    id: 'smtp-bare-line-ending',
    title: 'Bare CR or LF',
    severity: sev('error'),
    references: [rfc(5321, '2.3.8'), rfc(5321, '4.1.1.4')],
    description:
      'A bare CR or LF in a command, reply or DATA line, or an end of data other than CRLF.CRLF (SMTP smuggling). Only visible where ' +
      'the input keeps line endings: SMTP text written as hex bytes, or a CR inside a line.',
  },
  {
    id: 'smtp-command-order',
    title: 'SMTP command out of order',
    severity: sev('warning'),
    references: [rfc(5321, '4.1.4'), rfc(5321, '3.3'), rfc(2920, '3.1')],
    description:
      'MAIL before EHLO/HELO (also inside TLS, where the client must greet again), RCPT before MAIL, DATA without an accepted RCPT ' +
      '(legal when pipelined before the RCPT replies), commands after QUIT, and message text sent before the 354 reply to DATA ' +
      '(a client that does not wait, as `printf ... | openssl s_client`; once per message, on its first text line, never quoted; ' +
      'not for a refused DATA nor for BDAT).',
  },
  {
    id: 'smtp-unknown-command',
    title: 'Unknown SMTP command',
    severity: sev('information'),
    references: [rfc(5321, '4.1')],
    description: 'A verb that neither RFC 5321 nor a registered extension defines.',
  },
  {
    id: 'smtp-pipelining-not-advertised',
    title: 'Pipelining without PIPELINING',
    severity: sev('warning'),
    references: [rfc(2920, '3'), rfc(5321, '2.1')],
    description: 'The client sends a command before the reply to the previous one although PIPELINING was not advertised.',
  },
  {
    id: 'starttls-not-advertised',
    title: 'STARTTLS not advertised',
    severity: sev('warning'),
    references: [rfc(3207, '3'), rfc(7457, '2.2')],
    description: 'STARTTLS sent although the last EHLO reply did not list it, or a capability that looks like a stripped STARTTLS.',
  },
  {
    id: 'starttls-with-parameters',
    title: 'STARTTLS with parameters',
    severity: sev('error'),
    references: [rfc(3207, '4')],
    description: 'STARTTLS takes no parameters.',
  },
  {
    id: 'starttls-unexpected-reply',
    title: 'Unexpected reply to STARTTLS',
    severity: sev('warning'),
    references: [rfc(3207, '4')],
    description: 'A STARTTLS reply other than 220, 454 or 501; 421, 500 and 502 are legal SMTP replies (information).',
  },
  {
    id: 'starttls-command-injection',
    title: 'Commands injected after STARTTLS',
    severity: sev('error'),
    references: [rfc(3207, '4'), rfc(2920, '3.1'), rfc(7457, '2.2')],
    description:
      'Client commands after STARTTLS and before its reply: pipelined in the same line group or segment, or written as plain text ' +
      'bytes where TLS should start. A server that buffers them runs them inside TLS (the CVE-2011-0411 class).',
  },
  {
    id: 'starttls-response-injection',
    title: 'Server data injected before the handshake',
    severity: sev('error'),
    references: [rfc(3207, '4.2')],
    description: 'Server data after the 220 to STARTTLS and before the ServerHello.',
  },
  {
    id: 'starttls-plaintext-after-220',
    title: 'Plaintext after the 220 to STARTTLS',
    severity: sev('error'),
    references: [rfc(3207, '4')],
    description: 'The client continues in plaintext after the server agreed to start TLS.',
  },
  {
    id: 'starttls-tls-without-220',
    title: 'TLS without a 220 to STARTTLS',
    severity: sev('error'),
    references: [rfc(3207, '4')],
    description:
      'The client sends TLS bytes although STARTTLS was refused, never issued in a plaintext SMTP session, or not yet answered ' +
      '(bytes sent in the same write as STARTTLS, before the 220). Not judged on port 465 (implicit TLS).',
  },
  {
    id: 'starttls-ehlo-not-reissued',
    title: 'EHLO not re-issued after TLS',
    severity: sev('warning'),
    references: [rfc(3207, '4.2')],
    description: 'The first command after the handshake should be EHLO or HELO: knowledge from before TLS must be discarded.',
  },
  {
    id: 'starttls-readvertised',
    title: 'STARTTLS offered or issued inside TLS',
    severity: sev('error'),
    references: [rfc(3207, '4.2')],
    description: 'STARTTLS listed in an EHLO reply after TLS is up, or a client issuing STARTTLS again inside TLS.',
  },
  {
    id: 'auth-before-tls',
    title: 'Credentials sent before TLS',
    severity: sev('error'),
    references: [rfc(4954, '4'), rfc(4616, '5')],
    description: 'AUTH PLAIN or LOGIN before TLS sends credentials in the clear; other mechanisms are a warning. Credentials are masked in every output.',
  },
  {
    id: 'submission-prefer-implicit-tls',
    title: 'STARTTLS on port 587',
    severity: sev('information', 'off'),
    references: [rfc(8314, '3.3')],
    description: 'Implicit TLS on port 465 is recommended for submission over STARTTLS on 587.',
  },
  {
    id: 'requiretls-before-tls',
    title: 'REQUIRETLS before TLS',
    severity: sev('error'),
    references: [rfc(8689, '2')],
    description: 'MAIL FROM with REQUIRETLS before TLS is up.',
  },
  {
    id: 'policy-tls-required',
    title: 'TLS required by the domain\'s policy',
    severity: sev('error', 'off'),
    references: [rfc(8461, '5'), rfc(7672, '2.2')],
    description:
      'The receiving domain publishes a TLS policy, declared for the log by a `# smtptls-policy: mta-sts` (or `dane`) comment above the sessions ' +
      'or by the `smtpTls.policy` setting (a log does not show DNS or the policy file): MTA-STS in enforce mode, whose senders do not deliver ' +
      'to an MX host without STARTTLS or with a certificate that fails validation, or DANE TLSA records, with which a client does not deliver ' +
      'without TLS. Found where such a session\'s server does not offer STARTTLS in its EHLO reply or refuses it, and where the client sends ' +
      'MAIL outside TLS anyway; under MTA-STS, which also asks for a chain to a trusted root, where a tool states the server\'s chain untrusted ' +
      "(Postfix's and posttls-finger's `Untrusted` or `Anonymous TLS connection established to`, s_client's verify errors 2, 18-21, 24, 27, 28). " +
      'Under MTA-STS the certificate rules judge the name and the dates as for submission: errors on any port. ' +
      'Not on the submission ports, and off under `rfc3207`, which predates both.',
  },
  // Captures.
  {
    id: 'capture-gap',
    title: 'Bytes missing from the capture',
    severity: sev('warning'),
    references: [],
    description:
      'A TCP stream of an imported capture has a hole: bytes the peer acknowledged, that the snapshot length cut off, or ' +
      'that never arrived in the capture before the stream went on or ended (`C: <1374 bytes not captured (reason)>`). ' +
      'Whatever those bytes held (a TLS record, an SMTP line) is not judged, and a decoded message around the hole may be ' +
      'reported as truncated. Not a protocol violation: capture again (larger snapshot length, no dropped packets) to see ' +
      'everything. Placeholders for bytes a tool or writer chose to summarise (`<1234 bytes of TLS records>`) are not gaps.',
  },
  {
    id: 'capture-file-problem',
    title: 'A problem with the capture file itself',
    severity: sev('warning'),
    references: [],
    description:
      'Reading a pcap or pcapng file met something the file format does not allow or the capture could not give: a file ' +
      'that ends inside a record, a record header whose lengths contradict each other, frames cut by the snapshot length ' +
      'inside their IP/TCP headers, a block naming an interface the section does not describe. The importer lists each ' +
      'problem at the end of the imported transcript (`# capture: ...` followed by `# warning: ...` or `# error: ...`); ' +
      'this rule reports each of those lines, so that `smtptls check` on a damaged capture does not pass in silence; a ' +
      'capture with no SMTP connection at all is reported as information. What the file still holds is read and judged. ' +
      'Not a protocol violation: capture again (the right interface and port, a larger snapshot length), or repair the ' +
      'file (`editcap`, `pcapfix`).',
  },
  // The document.
  {
    id: 'document-no-session-boundary',
    title: 'No session boundary for 4 MB: analysed in two parts across this line',
    severity: sev('information'),
    references: [],
    description:
      'A document is analysed in chunks that start where a new connection visibly starts (a greeting after a blank line, a ' +
      'capture import\'s `# smtptls-session` header, openssl\'s `CONNECTED(`, swaks\'s `=== Trying`, a postfix log where no ' +
      'smtpd connection is open). Where none comes for 4 MB, the text is cut at the next line anyway, so that memory stays ' +
      'bounded on any input; a postfix log that only postfix/smtp client processes keep from being quiet (they log no end ' +
      'of their connections) is cut sooner, in the last MB before that, right after a `disconnect from` that leaves no ' +
      'smtpd connection open. This note marks the last line before such a cut. A session that runs across it is analysed ' +
      'as two parts: in a postfix log, each part knows it misses the start or the end of the connection and the rules that ' +
      'need them do not judge it; in other formats, what follows the cut is read as the rest of a session whose start is ' +
      'not in that part (the rules that need the start do not judge it), and, in swaks and C:/S: transcripts, as the rest ' +
      'of its message text when the cut falls after a 354 reply and before the "." that ends the text. A TLS record that ' +
      'runs across the cut may still be reported truncated or malformed. Not a protocol finding: ' +
      'split the file at its sessions, or separate them with blank lines, to have each analysed whole.',
  },
  // Configuration.
  {
    id: 'suppression-without-reason',
    title: 'Suppression comment without a reason',
    severity: sev('warning'),
    references: [],
    description:
      'A `# smtptls-disable-next-line <id>` or `# smtptls-disable <id>` comment must say why after ` -- `. ' +
      'The suppression still applies; this finding asks for the reason.',
  },
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function findRule(id: string): RuleDefinition | undefined {
  return BY_ID.get(id);
}

export function getRule(id: string): RuleDefinition {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`unknown rule ${id}`);
  return r;
}
