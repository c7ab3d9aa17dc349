/**
 * The smtp-transcript language's `firstLine` pattern (package.json): VS Code gives a file without a
 * known extension the language when its first line matches. It must match the first line of real
 * outputs of the tools whose output starts recognisably (the fixtures, each recorded from the tool),
 * and only files our readers then read as a session: it must not claim ordinary text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { REPO } from '../helpers/lspClient';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const FIRST_LINE = new RegExp(manifest.contributes.languages.find((l: { id: string }) => l.id === 'smtp-transcript').firstLine);
const F = 'server/test/fixtures';

/** Real outputs whose first line names their tool, and the format our readers find in them. */
const CLAIMED: readonly (readonly [string, string])[] = [
  [`${F}/corpus/sessions/swaks-starttls/transcript-CS.txt`, 'cs-transcript'],
  [`${F}/corpus/sessions/swaks-starttls/swaks.txt`, 'swaks'],
  [`${F}/corpus/sessions/ossl-default-msg/openssl-s_client-msg.txt`, 'openssl-msg'],
  [`${F}/openssl-plain/s_client-plain-starttls.txt`, 'text'],
  [`${F}/openssl-plain/s_client-brief-tls10.txt`, 'text'],
  [`${F}/openssl-trace/trace-tls10.txt`, 'openssl-trace'],
  [`${F}/stated-cipher/s_client-adh.txt`, 'text'],
  [`${F}/legacy-cipher/gnutls-cli-rc4.txt`, 'gnutls-debug'],
  [`${F}/gnutls-cli/gnutls-cli-resume.txt`, 'gnutls-debug'],
  [`${F}/stated-alerts/gnutls-cli-no-shared-cipher.txt`, 'gnutls-debug'],
  [`${F}/stated-alerts/sclient-no-shared-cipher.txt`, 'text'],
  [`${F}/stated-alerts/sclient-state-no-shared-cipher.txt`, 'text'],
  [`${F}/corpus/sessions/gnutls-default-d5/gnutls-cli-d5.txt`, 'gnutls-debug'],
  [`${F}/msmtp/msmtp-starttls.txt`, 'msmtp-debug'],
  [`${F}/msmtp/msmtp-auth-login.txt`, 'msmtp-debug'],
  [`${F}/legacy-cipher/exim-rc4.exim-debug.txt`, 'exim-debug'],
  [`${F}/exim/server-no-starttls.exim-debug.txt`, 'exim-debug'],
  [`${F}/stated-cipher/postfix-adh.log`, 'postfix-log'],
  [`${F}/postfix-syslog/expired-level3.log`, 'postfix-log'],
  [`${F}/exim-mainlog/mainlog`, 'exim-mainlog'],
  [`${F}/posttls-finger/default.txt`, 'posttls-finger'],
  [`${F}/posttls-finger/tls-only.txt`, 'posttls-finger'],
  [`${F}/telnet/telnet-message.txt`, 'telnet-session'],
  [`${F}/telnet/nc-refused.txt`, 'telnet-session'],
  [`${F}/telnet/ncat-message.txt`, 'telnet-session'],
  [`${F}/sendmail/verbose-delivery.txt`, 'sendmail-verbose'],
  [`${F}/sendmail/maillog-client.log`, 'sendmail-log'],
  [`${F}/sendmail/maillog-server.log`, 'sendmail-log'],
  [`${F}/s-nail/snail-starttls.txt`, 's-nail'],
  [`${F}/phpmailer/phpmailer-starttls.txt`, 'phpmailer'],
  [`${F}/phpmailer/phpmailer-client-only.txt`, 'phpmailer'],
  [`${F}/phpmailer/phpmailer-html-rendered.txt`, 'phpmailer'],
  [`${F}/phpmailer/phpmailer-error-log.txt`, 'phpmailer'],
  [`${F}/nodemailer/nodemailer-starttls.txt`, 'nodemailer'],
  [`${F}/ruby-net-smtp/ruby-starttls.txt`, 'ruby-net-smtp'],
  [`${F}/jakarta-mail/jakarta-starttls.txt`, 'jakarta-mail'],
  [`${F}/perl-net-smtp/perl-starttls.txt`, 'perl-net-smtp'],
  [`${F}/perl-net-smtp/perl-smtps-login.txt`, 'perl-net-smtp'],
  [`${F}/mutt/mutt-starttls.txt`, 'mutt'],
  [`${F}/mutt/neomutt-starttls.txt`, 'mutt'],
];

test('firstLine: the first line of each tool\'s real output matches, and our readers find a session in the file; Exim\'s mainlog by its name too', () => {
  // By name: Exim's main log, and the mail logs syslog writes (Debian's mail.log and its level files, Red Hat's maillog),
  // whose postfix lines would otherwise open in VS Code's own log language (.log) before any first-line match.
  const language = manifest.contributes.languages.find((l: { id: string }) => l.id === 'smtp-transcript');
  assert.deepEqual(language.filenames, ['mainlog', 'mail.log', 'maillog', 'mail.err', 'mail.warn', 'mail.info']);
  assert.deepEqual(language.filenamePatterns, ['mail.log.[0-9]*', 'maillog-[0-9]*', 'maillog.[0-9]*']);
  for (const [file, format] of CLAIMED) {
    const text = fs.readFileSync(path.join(REPO, file), 'utf8');
    const first = text.split('\n')[0];
    assert.match(first, FIRST_LINE, file);
    const t = readTranscript(text);
    if (format !== 'text') assert.equal(t.format, format, file);
    assert.ok(t.sessions.some((s) => s.events.some((e) => e.kind !== 'note')), `${file}: no session`);
  }
});

test('firstLine: ordinary text, other logs and hex dumps of anything are not claimed', () => {
  const others = [
    'Hello world',
    '# README',
    '00000000  16 03 01 02 00 01 00 01  fc 03 03 b0 1e 0a 53 59  |..............SY|',
    '00000000: 1603 0102 0001 0001 fc03 03b0 1e0a 5359  ..............SY',
    'Frame 11: 583 bytes on wire (4664 bits), 583 bytes captured (4664 bits)',
    'Nov 29 17:46:43 mx sshd[28629]: Accepted publickey for root',
    'Nov 29 17:46:43 mx kernel: [    0.000000] Linux version 6.1.0',
    'Nov 29 17:46:43 mx sendmail-helper[12]: started',
    'Loading modules... Connecting to the network...',
    '2026-11-29 17:46:43 service started',
    '2026-11-29 17:46:43 1xXkBV-0001lO-37 Completed',
    'S: 250 OK',
    'depth check failed',
    '|<not a level>| x',
    'using account specified on command line and more',
    '2026-11-29 17:46:43 Connection: closed',
    'SERVER -> CLIENT',
    '[2026-11-29 17:46:43] INFO  Server started',
    'Connection opened: the database is ready',
  ];
  for (const line of others) assert.doesNotMatch(line, FIRST_LINE, line);
});
