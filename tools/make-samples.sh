#!/usr/bin/env bash
# make-samples.sh - regenerate samples/ and server/test/fixtures/live/ from
# real traffic against a real Postfix on 127.0.0.1.
#
#   1. tools/setup-mail-lab.sh      installs/starts postfix (ports 25 and 2526)
#   2. tools/craft-hellos.mjs       writes server/test/fixtures/crafted/*.bin
#   3. for every case: tcpdump on lo, run the client, stop tcpdump, then save
#        samples/<case>.transcript                 the client's view, with a
#                                                  header of "# " lines naming
#                                                  the exact command and date
#        server/test/fixtures/live/<case>.pcap     the packets
#        .../<case>.tshark-V.txt                   tshark -V of TLS handshake
#                                                  and alert frames (ground truth)
#        .../<case>.tshark.json                    the same as tshark -T json
#        .../<case>.tshark-summary.txt             tshark's one line per frame
#        .../<case>.postfix.log                    postfix's log of the session
#   4. samples/README.md and server/test/fixtures/live/README.md, including a
#      table of how the server answered each case (read off tshark).
#
# Usage: tools/make-samples.sh            (as root; run from anywhere)
# Env:   WAIT=3          seconds send-after-starttls waits for the server
#        SKIP_SETUP=1    do not run setup-mail-lab.sh (postfix already up)
#        LAB_LOG=...     postfix log file (must match setup-mail-lab.sh)
#        ONLY="a b"      regenerate only these cases (READMEs list all)

set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

WAIT=${WAIT:-3}
LAB_LOG=${LAB_LOG:-/var/log/mail-lab.log}
SAMPLES=samples
# Frames tshark keeps as ground truth: handshake messages and alerts. The
# middle term is needed for SSLv2-format hellos, which tshark 4.0 dissects
# with tls.handshake.* fields but without a tls.handshake node.
FILTER='tls.handshake || tls.handshake.type || tls.alert_message'
LIVE=server/test/fixtures/live
CRAFTED=server/test/fixtures/crafted
TMP=$(mktemp -d)
TCPDUMP_PID=
cleanup() {
  if [ -n "$TCPDUMP_PID" ]; then kill -INT "$TCPDUMP_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

log() { printf '[make-samples] %s\n' "$*" >&2; }

if [ "${SKIP_SETUP:-0}" != 1 ]; then
  LAB_LOG=$LAB_LOG tools/setup-mail-lab.sh
fi
node tools/craft-hellos.mjs "$CRAFTED"
mkdir -p "$SAMPLES" "$LIVE"

TCPDUMP=$(command -v tcpdump || echo /usr/bin/tcpdump)
POSTFIX_VERSION=$(postconf -h mail_version)
OPENSSL_VERSION=$(openssl version | awk '{print $1" "$2}')
TSHARK_VERSION=$(tshark --version 2>/dev/null | head -1 | awk '{print $1" "$3}')
SWAKS_VERSION=$(swaks --version 2>/dev/null | head -1 | sed 's/^swaks version //')

port_desc() {
  case $1 in
    25)   echo "127.0.0.1:25, Debian-default TLS settings, smtpd_tls_loglevel=2" ;;
    2526) echo "127.0.0.1:2526, tls_*_cipherlist=DEFAULT:@SECLEVEL=0, smtpd_tls_protocols=>=TLSv1, smtpd_tls_loglevel=3" ;;
  esac
}

# tshark needs to be told that 2526 is SMTP to apply its STARTTLS dissector.
decode_as() { [ "$1" = 25 ] && return 0; printf -- '-d tcp.port==%s,smtp' "$1"; }

alert_name() {
  case $1 in
    0) echo close_notify ;; 10) echo unexpected_message ;; 20) echo bad_record_mac ;;
    22) echo record_overflow ;; 40) echo handshake_failure ;; 42) echo bad_certificate ;;
    47) echo illegal_parameter ;; 50) echo decode_error ;; 51) echo decrypt_error ;;
    70) echo protocol_version ;; 71) echo insufficient_security ;; 80) echo internal_error ;;
    86) echo inappropriate_fallback ;; 90) echo user_canceled ;; 109) echo missing_extension ;;
    110) echo unsupported_extension ;; *) echo "alert_$1" ;;
  esac
}
version_name() {
  case $1 in
    0x0002) echo "SSL 2.0" ;; 0x0300) echo "SSL 3.0" ;; 0x0301) echo "TLS 1.0" ;;
    0x0302) echo "TLS 1.1" ;; 0x0303) echo "TLS 1.2" ;; 0x0304) echo "TLS 1.3" ;; *) echo "$1" ;;
  esac
}

# How the server answered, read off the capture by tshark (first answer only).
server_answer() {
  local pcap=$1 port=$2 d fields alerts="" sh="" out=""
  d=$(decode_as "$port")
  # shellcheck disable=SC2086
  fields=$(tshark -r "$pcap" $d -Y "tcp.srcport==$port && (tls.alert_message || tls.handshake.type==2)" \
             -T fields -E separator='|' -e tls.record.version -e tls.alert_message.level \
             -e tls.alert_message.desc -e tls.handshake.type -e tls.handshake.version \
             -e tls.handshake.extensions.supported_version -e tls.handshake.ciphersuite 2>/dev/null | head -1)
  if [ -z "$fields" ]; then echo ""; return; fi
  local recv level desc types hv sv cs
  IFS='|' read -r recv level desc types hv sv cs <<<"$fields"
  recv=${recv%%,*}
  if [ -n "$desc" ]; then
    local lvl="fatal"; [ "${level%%,*}" = 1 ] && lvl="warning"
    out="alert $lvl $(alert_name "${desc%%,*}")(${desc%%,*}), record version ${recv:2:2} ${recv:4:2} ($(version_name "$recv"))"
  fi
  case ",$types," in
    *,2,*)
      local neg=${sv:-${hv%%,*}}
      local csname
      # shellcheck disable=SC2086
      csname=$(tshark -r "$pcap" $d -Y "tcp.srcport==$port && tls.handshake.type==2" -V 2>/dev/null \
                 | grep -m1 'Cipher Suite:' | sed 's/^ *Cipher Suite: //; s/ (0x.*//')
      out="ServerHello $(version_name "${hv%%,*}")${sv:+ + supported_versions $(version_name "$sv")}, negotiated $(version_name "$neg"), $csname"
      ;;
  esac
  echo "$out"
}

# run_case NAME PORT SHOWS RULES COMMAND
#   SHOWS   one sentence: what the sample shows
#   RULES   rule ids that should fire, or "none"
#   COMMAND a shell command line, run from the repository root
README_ROWS=()
US=$'\x1f' # field separator inside README_ROWS entries (commands contain |)
run_case() {
  local name=$1 port=$2 shows=$3 rules=$4 cmd=$5
  local pcap=$LIVE/$name.pcap out=$TMP/$name.out date off d answer ending
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then
    README_ROWS+=("$name$US$port$US$shows$US$rules$US$cmd$US(not regenerated)")
    return
  fi
  log "$name (port $port)"
  rm -f "$pcap"
  "$TCPDUMP" -i lo -nn -U --immediate-mode -s 0 -w "$pcap" "host 127.0.0.1 and tcp port $port" 2>"$TMP/tcpdump.err" &
  TCPDUMP_PID=$!
  for _ in $(seq 1 50); do grep -q 'listening on' "$TMP/tcpdump.err" 2>/dev/null && break; sleep 0.1; done
  off=$(stat -c %s "$LAB_LOG")
  date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  set +e
  bash -c "$cmd" >"$out" 2>&1 </dev/null
  local rc=$?
  set -e
  # Let postfix finish the session (it logs "disconnect from" last).
  for _ in $(seq 1 50); do
    tail -c +"$((off + 1))" "$LAB_LOG" | grep -q 'disconnect from' && break
    sleep 0.1
  done
  sleep 0.5
  kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" 2>/dev/null || true; TCPDUMP_PID=
  tail -c +"$((off + 1))" "$LAB_LOG" >"$LIVE/$name.postfix.log"

  {
    printf '# sample: %s\n' "$name"
    printf '# command (run from the repository root): %s\n' "$cmd"
    printf '# date: %s\n' "$date"
    printf '# server: postfix %s, %s on %s\n' "$POSTFIX_VERSION" "$OPENSSL_VERSION" "$(port_desc "$port")"
    printf '# shows: %s\n' "$shows"
    printf '# expected rules: %s\n' "$rules"
    [ "$rc" = 0 ] || printf '# client exit status: %s\n' "$rc"
    printf '# regenerate: tools/make-samples.sh (packets: %s)\n' "$pcap"
    cat "$out"
  } >"$SAMPLES/$name.transcript"

  d=$(decode_as "$port")
  # shellcheck disable=SC2086
  tshark -r "$pcap" $d -V -Y "$FILTER" >"$LIVE/$name.tshark-V.txt" 2>/dev/null
  # shellcheck disable=SC2086
  tshark -r "$pcap" $d >"$LIVE/$name.tshark-summary.txt" 2>/dev/null
  # shellcheck disable=SC2086
  tshark -r "$pcap" $d -T json -Y "$FILTER" >"$LIVE/$name.tshark.json" 2>/dev/null
  answer=$(server_answer "$pcap" "$port")
  ending=$(grep -E '^# server (closed|still silent)' "$out" | tail -1 | sed 's/^# //' || true)
  [ -n "$answer" ] || answer="no TLS answer"
  [ -z "$ending" ] || answer="$answer; $ending"
  README_ROWS+=("$name$US$port$US$shows$US$rules$US$cmd$US$answer")
}

SEND="node tools/send-after-starttls.mjs"

# ------------------------------------------------------------- crafted cases
crafted_case() { # NAME PORT SUFFIX SHOWS RULES
  run_case "$1$3" "$2" "$4" "$5" "$SEND 127.0.0.1 $2 $CRAFTED/$1.bin $WAIT"
}
for port in 25 2526; do
  sfx=""; [ "$port" = 25 ] || sfx="-p$port"
  crafted_case sslv2-hello-ssl2 "$port" "$sfx" \
    "SSLv2-compatible ClientHello offering SSL 2.0 (version 00 02) after STARTTLS" "tls-hello-version-below-3.1"
  crafted_case sslv2-hello-ssl3 "$port" "$sfx" \
    "SSLv2-compatible ClientHello offering SSL 3.0 (version 03 00)" "tls-hello-version-below-3.1"
  crafted_case sslv2-hello-tls10 "$port" "$sfx" \
    "SSLv2-compatible ClientHello offering TLS 1.0 (version 03 01): legal under the 2001 text, forbidden for clients by RFC 6176" "tls-sslv2-compat-hello"
  crafted_case ssl3-hello "$port" "$sfx" \
    "SSL 3.0 ClientHello (record 03 00, client_version 03 00), new session" "tls-hello-version-below-3.1"
  crafted_case ssl3-hello-resumption "$port" "$sfx" \
    "SSL 3.0 ClientHello with a 32-byte session_id (resumption attempt; I under rfc3207, E under current)" "tls-hello-version-below-3.1"
  crafted_case tls12-record-ssl3-legal "$port" "$sfx" \
    "TLS 1.2 ClientHello (client_version 03 03) in a record with version 03 00: legal" "none"
  crafted_case truncated-hello "$port" "$sfx" \
    "TLS 1.2 ClientHello whose record header claims 93 bytes of which 40 are sent" "tls-truncated"
  crafted_case malformed-hello "$port" "$sfx" \
    "TLS 1.2 ClientHello with an odd cipher_suites length (7)" "tls-malformed"
done

# --------------------------------------------- STARTTLS sequencing (later rules)
run_case tls-hello-without-220 25 \
  "ClientHello sent in the same write as STARTTLS, before the 220 (pipelined TLS bytes)" \
  "starttls-tls-without-220 (TLS bytes before the 220; see README)" \
  "$SEND --no-wait 127.0.0.1 25 $CRAFTED/tls12-record-ssl3-legal.bin $WAIT"
run_case tls-hello-after-refused-starttls 25 \
  "'STARTTLS now' refused with 501, then a ClientHello sent anyway" \
  "starttls-with-parameters, starttls-tls-without-220" \
  "$SEND --starttls-line 'STARTTLS now' --send-anyway 127.0.0.1 25 $CRAFTED/tls12-record-ssl3-legal.bin $WAIT"

# ------------------------------------------------------ real clients, clean
run_case openssl-tls13-clean 25 \
  "openssl s_client -msg output of a clean STARTTLS session (TLS 1.3)" "none" \
  "printf 'EHLO client.example.test\\nQUIT\\n' | openssl s_client -starttls smtp -connect 127.0.0.1:25 -name client.example.test -crlf -ign_eof -msg"
run_case openssl-tls12-clean 25 \
  "openssl s_client -msg output of a clean STARTTLS session forced to TLS 1.2" "none" \
  "printf 'EHLO client.example.test\\nQUIT\\n' | openssl s_client -starttls smtp -connect 127.0.0.1:25 -name client.example.test -crlf -ign_eof -msg -tls1_2"
run_case swaks-starttls 25 \
  "swaks --tls session delivering one message (cleartext lines ->/<-, TLS lines ~>/<~)" "none" \
  "swaks --server 127.0.0.1 --port 25 --tls --helo client.example.test --from bob@example.test --to postmaster@mx.example.test"

# ------------------------------------------------------------------- READMEs
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
{
  cat <<EOF
# Samples: real SMTP/STARTTLS sessions

Every \`.transcript\` here was produced by \`tools/make-samples.sh\` from real
traffic against a real Postfix on 127.0.0.1 (set up by
\`tools/setup-mail-lab.sh\`). Do not edit them by hand: run the script again.
Each file starts with \`# \` comment lines giving the exact command (run from the
repository root) and the date. The packets of every session, tshark's
dissection of them (the ground truth for TLS fields) and postfix's log of the
session are in \`server/test/fixtures/live/<name>.*\`.

Last generated: $now, postfix $POSTFIX_VERSION, $OPENSSL_VERSION, $TSHARK_VERSION, swaks $SWAKS_VERSION, Node $(node --version).

- Port 25: $(port_desc 25).
- Port 2526: $(port_desc 2526).

Files made with \`tools/send-after-starttls.mjs\` use the C:/S: transcript
format: SMTP lines as \`C: ...\`/\`S: ...\`, binary turns as lowercase hex, 16
bytes per line, and \`# \` comment lines saying what was sent and how the
server ended the connection. The crafted hellos they send are explained byte
by byte in \`server/test/fixtures/crafted/README.md\`. \`openssl-*\` files are
\`openssl s_client -msg\` output and \`swaks-starttls\` is swaks output, as a
user would paste them.

| sample | port | what it shows | rules that should fire | server answer (from tshark) | exact command |
|---|---|---|---|---|---|
EOF
  for row in "${README_ROWS[@]}"; do
    IFS=$US read -r name port shows rules cmd answer <<<"$row"
    printf '| [`%s.transcript`](%s.transcript) | %s | %s | %s | %s | `%s` |\n' \
      "$name" "$name" "$port" "$shows" "$rules" "$answer" "${cmd//|/\\|}"
  done
  cat <<'EOF'

Notes

- `tls-hello-without-220`: the catalog's `starttls-tls-without-220` speaks of
  TLS bytes after a refused or missing STARTTLS; here STARTTLS is accepted but
  the hello was sent before the 220 arrived. `starttls-command-injection`
  covers commands sent before the 220; which id applies to TLS bytes sent
  early is for the rule's author to decide.
- `truncated-hello`: tshark does not dissect a record whose declared length
  exceeds the bytes present (it waits for reassembly), so its
  `.tshark-V.txt` is empty; the truncation is visible only in the bytes.
- `tls-hello-without-220` and `tls-hello-after-refused-starttls`: tshark
  reads the hello bytes as SMTP text there (no 220 came before them), so their
  `.tshark-V.txt` is empty too; the bytes and their meaning are those of
  `server/test/fixtures/crafted/tls12-record-ssl3-legal.bin`, and
  `.tshark-summary.txt` shows them inside the SMTP stream.
- Times in `# server ... after Ns` lines and random values in server answers
  differ from run to run; everything the client sends is fixed.
EOF
} >"$SAMPLES/README.md"

{
  cat <<EOF
# Live captures

Made by \`tools/make-samples.sh\` (last run $now) against postfix
$POSTFIX_VERSION with $OPENSSL_VERSION on 127.0.0.1; the client-side
transcripts are \`samples/<name>.transcript\`. For each session \`<name>\`:

| file | produced by |
|---|---|
| \`<name>.pcap\` | \`tcpdump -i lo -nn -U --immediate-mode -s 0 -w <name>.pcap 'host 127.0.0.1 and tcp port PORT'\` running during the session |
| \`<name>.tshark-V.txt\` | \`tshark -r <name>.pcap [-d tcp.port==2526,smtp] -V -Y 'tls.handshake \|\| tls.handshake.type \|\| tls.alert_message'\` ($TSHARK_VERSION): the ground truth for TLS fields |
| \`<name>.tshark.json\` | the same with \`-T json\` instead of \`-V\` |
| \`<name>.tshark-summary.txt\` | \`tshark -r <name>.pcap [-d tcp.port==2526,smtp]\`: one line per frame (SMTP lines, record names) |
| \`<name>.postfix.log\` | the lines postfix wrote to its \`maillog_file\` during the session (\`debug_peer_level=2\`; port 2526 logs TLS hex dumps, \`smtpd_tls_loglevel=3\`) |

\`-d tcp.port==2526,smtp\` is added for port 2526 sessions so that tshark
applies its SMTP/STARTTLS dissector there. The filter term
\`tls.handshake.type\` is there for SSLv2-format hellos: tshark dissects
them with \`tls.handshake.*\` fields but no \`tls.handshake\` node, so
\`tls.handshake || tls.alert_message\` alone would drop them.

How the server answered (first TLS answer read off the capture):

| session | port | server answer |
|---|---|---|
EOF
  for row in "${README_ROWS[@]}"; do
    IFS=$US read -r name port shows rules cmd answer <<<"$row"
    printf '| %s | %s | %s |\n' "$name" "$port" "$answer"
  done
} >"$LIVE/README.md"

log "done: $(ls "$SAMPLES"/*.transcript | wc -l) samples, $(ls "$LIVE"/*.pcap | wc -l) captures"
