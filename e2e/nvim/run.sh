#!/usr/bin/env bash
# Runs e2e/nvim/lsp-test.lua in headless Debian neovim against bin/smtptls-language-server --stdio.
# HOME and XDG_* point into a temp dir; samples are copied into a temp workspace (e2e/client-suite.sh).
# Usage: bash e2e/nvim/run.sh [RESULT_JSON]   (writes {"passed":N,"failed":N})
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RESULT=${1:-}
SUITE=nvim
. "$ROOT/e2e/client-suite.sh"

mkdir -p "$TMP/config" "$TMP/data" "$TMP/state" "$TMP/cache"
cp "$ROOT/server/test/fixtures/corpus/sessions/raw-sslv2-hello-v3.1-p25/transcript-CS.txt" \
   "$TMP/ws/corpus-raw-sslv2-hello-v3.1-p25.transcript"
cp "$ROOT/server/test/fixtures/stated-alerts/sclient-state-unknown-ca.postfix.log" "$TMP/ws/postfix-unknown-ca.log"
cp "$ROOT/server/test/fixtures/certificates/weak-key.msg.txt" "$TMP/ws/sclient-weak-key.txt"
cp "$ROOT/server/test/fixtures/certificates/weak-key.gnutls-default.txt" "$TMP/ws/gnutls-weak-key.txt"
cp "$ROOT/server/test/fixtures/dh-groups/dhe1024.plain.txt" "$TMP/ws/dhe1024.txt"
# sendmail's server log up to its failed handshake, its TLS 1.3 handshakes left out with grep: one finding, the TLS 1.0
# Ruby's Net::SMTP refusing an expired certificate (its exception and backtrace after the dialogue), as pasted from a terminal.
cp "$ROOT/server/test/fixtures/ruby-net-smtp/ruby-expired.txt" "$TMP/ws/ruby-expired.txt"
# The mail lab's Postfix log through rsyslogd (RFC 3339 timestamps) of a session serving an expired certificate.
cp "$ROOT/server/test/fixtures/postfix-syslog/expired-level3.log" "$TMP/ws/mail.log"
# A swaks delivery to the lab's port 25 in the clear, under a comment declaring the domain's MTA-STS policy.
{ echo '# smtptls-policy: mta-sts'; cat "$ROOT/server/test/fixtures/policy/swaks-plain.txt"; } >"$TMP/ws/policy-plain.log"
cp "$ROOT/server/test/fixtures/perl-net-smtp/perl-name-mismatch.txt" "$ROOT/server/test/fixtures/perl-net-smtp/perl-smtps-login.txt" "$TMP/ws/"
sed '/reason=tlsv1 alert unknown ca/,$d' "$ROOT/server/test/fixtures/sendmail/maillog-server.log" | grep -v 'version=TLSv1\.3,' >"$TMP/ws/maillog"

HOME=$TMP/home XDG_CONFIG_HOME=$TMP/config XDG_DATA_HOME=$TMP/data XDG_STATE_HOME=$TMP/state \
XDG_CACHE_HOME=$TMP/cache LSP_CMD="$ROOT/bin/smtptls-language-server --stdio" LSP_WS="$TMP/ws" \
  run_grouped 90 "$TMP/out.txt" nvim --headless -u NONE -i NONE -n -c "luafile $ROOT/e2e/nvim/lsp-test.lua"
cat "$TMP/out.txt.err" >> "$TMP/out.txt"
# nvim's output may carry terminal control sequences: keep printable text only
sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\r//g' "$TMP/out.txt" | grep -v '^\s*$' | sed 's/^/  nvim: /'
report "$TMP/out.txt" "nvim exit $status"
