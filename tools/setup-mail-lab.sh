#!/usr/bin/env bash
# setup-mail-lab.sh - install and start a local Postfix "mail lab" on 127.0.0.1
# for producing real SMTP/STARTTLS captures (see tools/make-samples.sh).
#
# Idempotent: safe to run again; installs only what is missing, rewrites the
# same configuration, and starts or reloads postfix. Works in a container
# without systemd (uses `postfix start` / `postfix reload` directly).
#
# Ports (all on 127.0.0.1 only):
#   25    smtpd, STARTTLS offered, Debian-default TLS settings, smtpd_tls_loglevel=2
#   2526  smtpd, STARTTLS, tls_*_cipherlist=DEFAULT:@SECLEVEL=0,
#         smtpd_tls_protocols=>=TLSv1, smtpd_tls_loglevel=3 (hex dumps in the log)
#
# The server certificate is self-signed for mx.example.test (RSA-2048).
# Postfix logs to $LAB_LOG (default /var/log/mail-lab.log) via maillog_file,
# so no syslog daemon is needed.
#
# Usage: tools/setup-mail-lab.sh        (as root)
# Env:   LAB_LOG=/path/to/log           override the postfix log file
#        SKIP_APT=1                     do not touch apt (fail if tools missing)

set -euo pipefail

LAB_HOST=mx.example.test
LAB_LOG=${LAB_LOG:-/var/log/mail-lab.log}
CERT_DIR=/etc/postfix/lab-tls
CERT=$CERT_DIR/mx.example.test.crt
KEY=$CERT_DIR/mx.example.test.key

log() { printf '[setup-mail-lab] %s\n' "$*" >&2; }

if [ "$(id -u)" != 0 ]; then
  log "must run as root"; exit 1
fi

# ---------------------------------------------------------------- packages
need_pkgs=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_cmd postfix    || [ -x /usr/sbin/postfix ] || need_pkgs+=(postfix)
have_cmd swaks      || need_pkgs+=(swaks)
# swaks --tls needs Net::SSLeay (only a "Recommends" of swaks)
perl -MNet::SSLeay -e1 2>/dev/null      || need_pkgs+=(libnet-ssleay-perl)
perl -MIO::Socket::SSL -e1 2>/dev/null  || need_pkgs+=(libio-socket-ssl-perl)
have_cmd openssl    || need_pkgs+=(openssl)
have_cmd gnutls-cli || need_pkgs+=(gnutls-bin)
have_cmd msmtp      || need_pkgs+=(msmtp)
have_cmd tshark     || need_pkgs+=(tshark)
have_cmd tcpdump    || [ -x /usr/bin/tcpdump ] || [ -x /usr/sbin/tcpdump ] || need_pkgs+=(tcpdump)

if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "${SKIP_APT:-0}" = 1 ]; then
    log "missing packages: ${need_pkgs[*]} (SKIP_APT=1)"; exit 1
  fi
  log "installing: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Pre-answer the postfix debconf questions so the install never prompts.
  if printf 'postfix postfix/main_mailer_type select Internet Site\npostfix postfix/mailname string %s\n' "$LAB_HOST" \
       | debconf-set-selections 2>/dev/null; then :; fi
  # wireshark-common asks whether non-root users may capture; answer no.
  if printf 'wireshark-common wireshark-common/install-setuid boolean false\n' \
       | debconf-set-selections 2>/dev/null; then :; fi
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${need_pkgs[@]}" >/dev/null
else
  log "packages already installed"
fi

# ------------------------------------------------------------- certificate
mkdir -p "$CERT_DIR"
if [ ! -s "$CERT" ] || [ ! -s "$KEY" ]; then
  log "creating self-signed certificate for $LAB_HOST"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
    -subj "/CN=$LAB_HOST" \
    -addext "subjectAltName=DNS:$LAB_HOST,IP:127.0.0.1" \
    -keyout "$KEY" -out "$CERT" 2>/dev/null
  chmod 600 "$KEY"
fi

# ------------------------------------------------------------------ main.cf
# Only the settings we need differ from Debian's defaults.
pc() { postconf -e "$@"; }
pc "myhostname = $LAB_HOST" \
   "mydomain = example.test" \
   "myorigin = \$myhostname" \
   "mydestination = \$myhostname, localhost" \
   "inet_interfaces = 127.0.0.1" \
   "inet_protocols = ipv4" \
   "mynetworks = 127.0.0.0/8" \
   "maillog_file = $LAB_LOG" \
   "smtpd_tls_cert_file = $CERT" \
   "smtpd_tls_key_file = $KEY" \
   "smtpd_tls_security_level = may" \
   "smtpd_tls_loglevel = 2" \
   "debug_peer_list = 127.0.0.1" \
   "debug_peer_level = 2" \
   "smtputf8_enable = yes" \
   "compatibility_level = 3.6"

# ---------------------------------------------------------------- master.cf
# Port 25 is Debian's default "smtp inet" entry. Make sure it is present,
# then (re)define the 2526 service. postconf -M/-P edit master.cf in place,
# so running this twice yields the same file.
if ! postconf -M smtp/inet >/dev/null 2>&1 || [ -z "$(postconf -M smtp/inet 2>/dev/null)" ]; then
  postconf -M "smtp/inet=smtp inet n - y - - smtpd"
fi
postconf -M "2526/inet=2526 inet n - y - - smtpd"
postconf -P "2526/inet/syslog_name=postfix/lab2526" \
            "2526/inet/tls_high_cipherlist=DEFAULT:@SECLEVEL=0" \
            "2526/inet/tls_medium_cipherlist=DEFAULT:@SECLEVEL=0" \
            "2526/inet/tls_low_cipherlist=DEFAULT:@SECLEVEL=0" \
            "2526/inet/smtpd_tls_protocols=>=TLSv1" \
            "2526/inet/smtpd_tls_mandatory_protocols=>=TLSv1" \
            "2526/inet/smtpd_tls_loglevel=3"

# Debian's chrooted smtpd needs copies of a few files in the chroot.
if [ -x /usr/lib/postfix/configure-instance.sh ]; then
  /usr/lib/postfix/configure-instance.sh >/dev/null 2>&1 || true
fi
newaliases >/dev/null 2>&1 || true
touch "$LAB_LOG"

postfix check >/dev/null

# -------------------------------------------------------------------- start
if postfix status >/dev/null 2>&1; then
  log "postfix running: reload"
  postfix reload >/dev/null 2>&1
else
  log "starting postfix"
  postfix start >/dev/null 2>&1
fi

# Wait until both ports answer with a 220 greeting.
wait_port() {
  local port=$1 i
  for i in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  log "port $port did not open"; return 1
}
wait_port 25
wait_port 2526
log "ready: 127.0.0.1:25 and 127.0.0.1:2526 (log: $LAB_LOG)"
log "$(postconf -h mail_version | sed 's/^/postfix /'), $(openssl version)"
