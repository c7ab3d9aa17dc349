#!/usr/bin/env bash
# The live stage of `npm test` (issues 3, 4 and 8): real sessions made now, decoded by us and by tshark.
#
# 1. tools/setup-mail-lab.sh: installs postfix, swaks, openssl, gnutls-bin, curl, tshark,
#    tcpdump from Debian when missing (quiet, cached: a second run installs nothing) and
#    starts postfix on 127.0.0.1:25, :2526, :2527-2529 (certificates expired, 1024-bit, not yet valid) and :2530 (a 1024-bit DH group).
# 2. Regenerates into a temporary folder (never into the repository's fixture folders):
#    - tls/      the TLS matrix of server/test/fixtures/tls/make-fixtures.sh (postfix STARTTLS,
#                openssl s_server and gnutls-serv on a free port: TLS 1.0-1.3, client
#                certificates, resumption, HelloRetryRequest, PSK, OCSP, several groups)
#    - sessions/ one folder per client session against postfix (openssl s_client -msg,
#                -trace and -debug, TLS 1.2 and 1.3 with SNI and ALPN, gnutls-cli with and without -d, swaks
#                --tls, curl --trace on TLS 1.3 and 1.2, msmtp --debug, posttls-finger with Postfix's
#                dumps), each captured by tcpdump on loopback,
#                with a pcapng copy (editcap)
#                and its renderings (tshark -T json / -x / follow, tcpdump -X / -A)
#    - alerts/   server/test/fixtures/stated-alerts/make-fixtures.sh: handshakes failing with an alert
#                (s_client with and without -state, posttls-finger -L ssl-debug, gnutls-cli) and postfix's log of each
#    - certificates/ server/test/fixtures/certificates/make-fixtures.sh: openssl s_server on 465 serving
#                chains of a PKI made in the run (wrong order, a 1024-bit key, a SHA-1 signature, names
#                the certificate does not cover), s_client -msg, each captured
#    - mta-verdicts/ server/test/fixtures/mta-verdicts/make-fixtures.sh: posttls-finger and postfix/smtp
#                against the mail lab's servers with an expired, a not yet valid and a 1024-bit-key certificate
#    - sendmail/ server/test/fixtures/sendmail/make-fixtures.sh: sendmail -v delivering to the mail lab, its
#                syslog lines as a client and as a server (a sendmail daemon on :2531), Postfix's log of one delivery
#    - s-nail/   server/test/fixtures/s-nail/make-fixtures.sh: s-nail -vv through the mail lab (STARTTLS, TLS 1.0,
#                an account's password on its Credentials line, two runs appended), Postfix's log of one
#    - dh-groups/ server/test/fixtures/dh-groups/make-fixtures.sh: s_server with a 1024-bit Diffie-Hellman
#                group, a 2048-bit one and ECDHE; s_client's outputs, captured; posttls-finger against :2530
#    - policy/   server/test/fixtures/policy/make-fixtures.sh: swaks to :25 with and without STARTTLS (a declared TLS policy)
#    - postfix-syslog/ server/test/fixtures/postfix-syslog/make-fixtures.sh: the lab's Postfix logging through rsyslogd
#                (RFC 3339 timestamps, Debian 12's default), level-3 dumps of an expired and a valid certificate
#    - capture/  server/test/fixtures/capture/make-fixtures.sh on this run's swaks capture
#                (pcapng, nsec, snaplen, frame deletion, SLL, SLL2, IPv6, an exported pcap),
#                plus corrupted copies (editcap -s 60, a truncated file)
# 3. Runs test/live/*.test.ts (node's test runner) on that folder; they print the agreement
#    rates and fail below 100 % on fields both decode.
# Env: SMTPTLS_LIVE_KEEP=1 keeps the folder (its path is printed); SMTPTLS_LIVE_DIR=DIR reuses
# a folder made before (no regeneration: for working on the checks).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
t0=$(date +%s)
log() { printf '[live] %s\n' "$*" >&2; }

PIDS=()
OUT=${SMTPTLS_LIVE_DIR:-}
REUSE=0
[ -n "$OUT" ] && REUSE=1
[ -n "$OUT" ] || OUT=$(mktemp -d /tmp/smtptls-live.XXXXXX)
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ "$REUSE" = 0 ] && [ "${SMTPTLS_LIVE_KEEP:-0}" != 1 ]; then rm -rf "$OUT"; else log "kept $OUT"; fi
}
trap cleanup EXIT

# A free TCP port on 127.0.0.1 (the kernel picks it).
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})'; }

fail_tool() { log "FAILED: $*"; echo "0 passed, 1 failed"; exit 1; }
# fixture_run NAME VAR SCRIPT: a fixture script writing into $OUT/NAME (VAR: the variable it takes that folder from),
# its own output in $OUT/NAME.log, whose end is shown if it fails.
fixture_run() {
  local name=$1 var=$2 script=$3
  env "$var=$OUT/$name" "$script" >"$OUT/$name.log" 2>&1 || { tail -20 "$OUT/$name.log" >&2; fail_tool "$script"; }
}

if [ "$REUSE" = 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    tools/setup-mail-lab.sh >"$OUT/setup.log" 2>&1 || { cat "$OUT/setup.log" >&2; fail_tool "tools/setup-mail-lab.sh"; }
  else
    SKIP_APT=1 sudo -n tools/setup-mail-lab.sh >"$OUT/setup.log" 2>&1 || { cat "$OUT/setup.log" >&2; fail_tool "tools/setup-mail-lab.sh (needs root)"; }
  fi
  log "mail lab ready ($(($(date +%s) - t0))s)"

  # ------------------------------------------------------------------ TLS matrix
  TLS_LAB_PORT=$(free_port) TLS_FIXTURE_OUT="$OUT/tls" server/test/fixtures/tls/make-fixtures.sh >"$OUT/tls.log" 2>&1 \
    || { tail -20 "$OUT/tls.log" >&2; fail_tool "server/test/fixtures/tls/make-fixtures.sh"; }
  log "TLS matrix: $(ls "$OUT/tls" | grep -c '\.tshark\.json$') sessions ($(($(date +%s) - t0))s)"

  # ------------------------------------------------------- client sessions on :25
  printf 'Subject: live stage\r\n\r\nhello\r\n' >"$OUT/msg.eml"
  S=$OUT/sessions
  mkdir -p "$S"
  # session NAME FORMAT COMMAND...: the command's output (stdout+stderr) is tool.txt, its
  # traffic on port 25 capture.pcap; FORMAT is the format our reader should name.
  session() {
    local name=$1 format=$2
    shift 2
    local d=$S/$name
    mkdir -p "$d"
    echo "$*" >"$d/command.txt"
    echo "$format" >"$d/format.txt"
    tcpdump -i lo -nn -U --immediate-mode -s 0 -w "$d/capture.pcap" 'host 127.0.0.1 and tcp port 25' 2>"$d/tcpdump.err" &
    local tp=$!
    PIDS+=("$tp")
    for _ in $(seq 1 50); do grep -q 'listening on' "$d/tcpdump.err" 2>/dev/null && break; sleep 0.1; done
    # Clients that honour SSLKEYLOGFILE (curl, GnuTLS, msmtp) and openssl's -keylogfile write the session's key log.
    SSLKEYLOGFILE="$d/keylog.txt" bash -c "$*" >"$d/tool.txt" 2>&1 || true
    sleep 0.3
    kill -INT "$tp" 2>/dev/null || true
    wait "$tp" 2>/dev/null || true
    [ -s "$d/tool.txt" ] || fail_tool "$name: no output from: $*"
    editcap -F pcapng "$d/capture.pcap" "$d/capture.pcapng" || fail_tool "$name: editcap"
    tshark -r "$d/capture.pcap" -T json --no-duplicate-keys -J "tcp tls" -Y tls >"$d/tshark.json" 2>/dev/null || fail_tool "$name: tshark -T json"
    tshark -r "$d/capture.pcap" -Y smtp -T fields -e tcp.srcport -e smtp.req.command -e smtp.response.code -E separator='|' -E aggregator=, \
      >"$d/tshark-smtp.txt" 2>/dev/null || fail_tool "$name: tshark smtp fields"
    tshark -r "$d/capture.pcap" -x >"$d/tshark-x.txt" 2>/dev/null || fail_tool "$name: tshark -x"
    tshark -r "$d/capture.pcap" -qz follow,tcp,hex,0 >"$d/tshark-follow-hex.txt" 2>/dev/null || fail_tool "$name: tshark follow"
    tcpdump -nn -X -r "$d/capture.pcap" >"$d/tcpdump-X.txt" 2>/dev/null || fail_tool "$name: tcpdump -X"
    tcpdump -nn -A -r "$d/capture.pcap" >"$d/tcpdump-A.txt" 2>/dev/null || fail_tool "$name: tcpdump -A"
    [ -s "$d/tshark.json" ] && grep -q '"tls"' "$d/tshark.json" || fail_tool "$name: tshark saw no TLS"
    # With a key log: what tshark decrypts (the application data, and the message types inside the records).
    if [ -s "$d/keylog.txt" ]; then
      tshark -r "$d/capture.pcap" -o "tls.keylog_file:$d/keylog.txt" -qz follow,tls,raw,0 >"$d/tshark-follow-tls.txt" 2>/dev/null || fail_tool "$name: tshark follow,tls"
      tshark -r "$d/capture.pcap" -o "tls.keylog_file:$d/keylog.txt" -Y tls -T fields -e frame.number -e tcp.srcport -e tls.record.content_type \
        -e tls.record.opaque_type -e tls.handshake.type -e tls.alert_message.desc -E separator=';' >"$d/tshark-decrypted.txt" 2>/dev/null || fail_tool "$name: tshark decrypted fields"
    fi
  }
  FEED="(sleep 1; printf 'EHLO client.example.test\r\nQUIT\r\n'; sleep 1)"
  OSSL="timeout 15 openssl s_client -starttls smtp -connect 127.0.0.1:25 -name client.example.test -crlf -ign_eof -servername mx.example.test -alpn smtp -keylogfile \"\$SSLKEYLOGFILE\""
  session ossl-tls12-msg openssl-msg "$FEED | $OSSL -msg -tls1_2"
  session ossl-tls13-msg openssl-msg "$FEED | $OSSL -msg -tls1_3"
  session ossl-tls12-trace openssl-trace "$FEED | $OSSL -trace -tls1_2"
  session ossl-tls13-trace openssl-trace "$FEED | $OSSL -trace -tls1_3 -groups P-256:X25519"
  # A HelloRetryRequest: the first key share (ffdhe2048) is for a group postfix lacks; the server asks for X25519.
  session ossl-tls13-hrr openssl-msg "$FEED | $OSSL -msg -tls1_3 -groups ffdhe2048:X25519"
  session gnutls-d gnutls-debug "$FEED | timeout 15 gnutls-cli --starttls-proto=smtp --insecure -d 4 --port 25 127.0.0.1"
  # gnutls-cli without -d: its session description alone ("- Description: (TLS1.3-X.509)-...-(AES-256-GCM)").
  session gnutls-plain gnutls-debug "$FEED | timeout 15 gnutls-cli --starttls-proto=smtp --insecure --port 25 127.0.0.1"
  # gnutls-cli -V: its STARTTLS helper's dialogue, the certificate printed in full, '- Received[N]: ' before what it read.
  session gnutls-verbose gnutls-debug "$FEED | timeout 15 gnutls-cli --starttls-proto=smtp --insecure -V --port 25 127.0.0.1"
  session swaks-tls swaks "timeout 20 swaks --server 127.0.0.1 --port 25 --helo client.example.test --from bob@example.test --to alice@mx.example.test --tls"
  session curl-trace curl-trace "timeout 20 curl -sS --insecure --mail-from bob@example.test --mail-rcpt alice@mx.example.test -T $OUT/msg.eml --trace - --ssl-reqd smtp://127.0.0.1:25/client.example.test"
  # stderr printed into stdout's dump lines (2>&1, as a terminal shows it); OpenSSL's TLS 1.2 records shown by curl.
  session ossl-tls13-debug openssl-debug "$FEED | $OSSL -debug -tls1_3"
  session ossl-tls12-debug openssl-debug "$FEED | $OSSL -debug -tls1_2"
  # -debug and -msg together: every record printed twice, read once (from -msg's view).
  session ossl-tls13-debug-msg openssl-debug "$FEED | $OSSL -debug -msg -tls1_3"
  session curl-trace-tls12 curl-trace "timeout 20 curl -sS --insecure --mail-from bob@example.test --mail-rcpt alice@mx.example.test -T $OUT/msg.eml --trace - --ssl-reqd --tls-max 1.2 smtp://127.0.0.1:25/client.example.test"
  # msmtp --debug (GnuTLS): SMTP by side, TLS only as the version it states.
  session msmtp-tls msmtp-debug "timeout 20 msmtp --debug --host=127.0.0.1 --port=25 --tls=on --tls-starttls=on --tls-certcheck=off --domain=client.example.test --from=bob@example.test alice@mx.example.test < $OUT/msg.eml"
  # posttls-finger, Postfix's TLS probe (it writes no key log): the handshake as Postfix dumps it, and
  # every record of a TLS 1.2 session (record headers read apart from their bodies).
  session posttls-finger-tls13 posttls-finger "timeout 20 posttls-finger -L summary,ssl-handshake-packet-dump '[127.0.0.1]:25'"
  session posttls-finger-tls12 posttls-finger "timeout 20 posttls-finger -p '>=TLSv1.2 <=TLSv1.2' -L summary,ssl-handshake-packet-dump,ssl-session-packet-dump '[127.0.0.1]:25'"
  log "client sessions: $(ls "$S" | wc -l) ($(($(date +%s) - t0))s)"
  # Handshakes that fail with an alert, which the clients and postfix state in words.
  fixture_run alerts ALERT_FIXTURE_OUT server/test/fixtures/stated-alerts/make-fixtures.sh
  log "alert runs: $(ls "$OUT/alerts" | grep -c '\.pcap$') ($(($(date +%s) - t0))s)"

  # ------------------------------------------- certificate chains served on :465
  fixture_run certificates CERT_FIXTURE_OUT server/test/fixtures/certificates/make-fixtures.sh
  log "certificate runs: $(ls "$OUT/certificates" | grep -c '\.pcap$') ($(($(date +%s) - t0))s)"

  # ------------------------------------ Postfix's verdicts on the lab's certificate servers (2527-2529)
  fixture_run mta-verdicts MTA_VERDICT_OUT server/test/fixtures/mta-verdicts/make-fixtures.sh
  log "Postfix verdict runs: $(ls "$OUT/mta-verdicts" | wc -l) files ($(($(date +%s) - t0))s)"

  # ----------------------------------- key exchanges over a 1024-bit Diffie-Hellman group (s_server on :465)
  fixture_run dh-groups DH_FIXTURE_OUT server/test/fixtures/dh-groups/make-fixtures.sh
  log "key exchange runs: $(ls "$OUT/dh-groups" | grep -c '\.pcap$') ($(($(date +%s) - t0))s)"

  # ------------------------------------------------------- sendmail
  fixture_run sendmail SENDMAIL_OUT server/test/fixtures/sendmail/make-fixtures.sh
  log "sendmail runs: $(ls "$OUT/sendmail" | wc -l) files ($(($(date +%s) - t0))s)"

  # ------------------------------------------------------- s-nail
  fixture_run s-nail SNAIL_OUT server/test/fixtures/s-nail/make-fixtures.sh
  log "s-nail runs: $(ls "$OUT/s-nail" | wc -l) files ($(($(date +%s) - t0))s)"

  # ------------------------------------------------------- PHPMailer
  fixture_run phpmailer PHPMAILER_OUT server/test/fixtures/phpmailer/make-fixtures.sh
  log "PHPMailer runs: $(ls "$OUT/phpmailer" | wc -l) files ($(($(date +%s) - t0))s)"

  # ------------------------------------------------------- Nodemailer
  fixture_run nodemailer NODEMAILER_OUT server/test/fixtures/nodemailer/make-fixtures.sh
  log "Nodemailer runs: $(ls "$OUT/nodemailer" | wc -l) files ($(($(date +%s) - t0))s)"

  # ------------------------------------------------------- Ruby's Net::SMTP
  fixture_run ruby-net-smtp RUBY_SMTP_OUT server/test/fixtures/ruby-net-smtp/make-fixtures.sh
  log "Ruby Net::SMTP runs: $(ls "$OUT/ruby-net-smtp" | wc -l) files ($(($(date +%s) - t0))s)"

  # ------------------------------------------------------- Perl's Net::SMTP
  fixture_run perl-net-smtp PERL_SMTP_OUT server/test/fixtures/perl-net-smtp/make-fixtures.sh
  log "Perl Net::SMTP runs: $(ls "$OUT/perl-net-smtp" | wc -l) files ($(($(date +%s) - t0))s)"

  # ------------------------------------------------------- Mutt and NeoMutt
  fixture_run mutt MUTT_OUT server/test/fixtures/mutt/make-fixtures.sh
  log "Mutt runs: $(ls "$OUT/mutt" | wc -l) files ($(($(date +%s) - t0))s)"

  # ------------------------------------------------------- Jakarta Mail
  fixture_run jakarta-mail JAKARTA_OUT server/test/fixtures/jakarta-mail/make-fixtures.sh
  log "Jakarta Mail runs: $(ls "$OUT/jakarta-mail" | wc -l) files ($(($(date +%s) - t0))s)"

  # ------------------------------------------------------- swaks to :25 for a declared TLS policy
  fixture_run policy POLICY_OUT server/test/fixtures/policy/make-fixtures.sh
  log "policy runs: $(ls "$OUT/policy" | wc -l) files ($(($(date +%s) - t0))s)"

  # ------------------------------------------- Postfix through rsyslogd (last: it restarts Postfix twice)
  fixture_run postfix-syslog POSTFIX_SYSLOG_OUT server/test/fixtures/postfix-syslog/make-fixtures.sh
  log "Postfix through rsyslogd: $(ls "$OUT/postfix-syslog" | wc -l) files ($(($(date +%s) - t0))s)"

  # ------------------------------------------------- containers and corrupted copies
  CAPTURE_SRC="$S/swaks-tls/capture.pcap" CAPTURE_FIXTURE_OUT="$OUT/capture" sh server/test/fixtures/capture/make-fixtures.sh >"$OUT/capture.log" 2>&1 \
    || { tail -20 "$OUT/capture.log" >&2; fail_tool "server/test/fixtures/capture/make-fixtures.sh"; }
  C=$OUT/capture
  editcap -F pcap -s 60 "$S/swaks-tls/capture.pcap" "$C/corrupt-snap60.pcap" || fail_tool "editcap -s 60"
  editcap -F pcapng -s 60 "$S/ossl-tls13-msg/capture.pcap" "$C/corrupt-snap60.pcapng" || fail_tool "editcap -s 60 pcapng"
  size=$(stat -c %s "$S/ossl-tls12-msg/capture.pcap")
  head -c $((size * 2 / 3)) "$S/ossl-tls12-msg/capture.pcap" >"$C/corrupt-truncated.pcap"
  head -c $((size / 2)) "$S/ossl-tls12-msg/capture.pcapng" >"$C/corrupt-truncated.pcapng"
  for f in "$C"/*.pcap "$C"/*.pcapng; do
    tshark -r "$f" -T json --no-duplicate-keys -J "tcp tls" -Y tls >"${f}.tshark.json" 2>/dev/null || true
  done
  log "captures: $(ls "$C" | grep -c -E '\.pcap(ng)?$') files ($(($(date +%s) - t0))s)"
fi

rc=0
SMTPTLS_LIVE_DIR="$OUT" node --import tsx --test --test-reporter=spec test/live/*.test.ts || rc=$?
log "live stage done in $(($(date +%s) - t0))s"
exit $rc
