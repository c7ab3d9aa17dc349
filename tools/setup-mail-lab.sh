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
#   2527  smtpd serving a certificate that expired (2020-01-01 to 2021-01-01)
#   2528  smtpd serving a certificate with a 1024-bit RSA key
#   2529  smtpd serving a certificate not yet valid (from 2099-01-01)
#         (each issued by the lab's own CA, $CERT_DIR/lab-ca.crt; relaying refused)
#   2530  smtpd with a 1024-bit Diffie-Hellman group (smtpd_tls_dh1024_param_file), TLS 1.2 at most,
#         tls_*_cipherlist=DEFAULT:@SECLEVEL=0 (OpenSSL's default level refuses a group that short)
#   2532  smtpd offering AUTH PLAIN and LOGIN after STARTTLS only (smtpd_tls_auth_only), the account
#         labuser / labsecret in a Cyrus sasldb of the lab's ($SASL_DB); relaying refused but to that account
#   2533  the same with TLS from the connection's start (smtpd_tls_wrappermode, as on port 465)
# and the SMTP client transport `labverify` (smtp_tls_security_level=verify against the lab CA,
# smtp_tls_loglevel=1): mail to expired.lab.test, weak.lab.test and future.lab.test goes to 2527,
# 2528 and 2529 through it, so postfix/smtp logs its verdict on each server's certificate.
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
have_cmd s-nail     || need_pkgs+=(s-nail)
have_cmd tshark     || need_pkgs+=(tshark)
have_cmd tcpdump    || [ -x /usr/bin/tcpdump ] || [ -x /usr/sbin/tcpdump ] || need_pkgs+=(tcpdump)
# For sendmail, unpacked below beside Postfix (the two packages conflict): its macro processor, libwrap, and a syslog daemon.
have_cmd m4         || need_pkgs+=(m4)
have_cmd rsyslogd   || need_pkgs+=(rsyslog)
[ -e /usr/lib/x86_64-linux-gnu/libwrap.so.0 ] || [ -e /lib/x86_64-linux-gnu/libwrap.so.0 ] || need_pkgs+=(libwrap0)
# Cyrus SASL's PLAIN and LOGIN plugins, for sendmail's AUTH (a recommendation of libsasl2-2, which --no-install-recommends leaves out).
ls /usr/lib/*/sasl2/libplain.so* >/dev/null 2>&1 || need_pkgs+=(libsasl2-modules)
# For the AUTH ports 2532-2533: Cyrus SASL's sasldb plugin, and saslpasswd2 to write the lab's account into it.
ls /usr/lib/*/sasl2/libsasldb.so* >/dev/null 2>&1 || need_pkgs+=(libsasl2-modules-db)
have_cmd saslpasswd2 || [ -x /usr/sbin/saslpasswd2 ] || need_pkgs+=(sasl2-bin)
# PHPMailer (server/test/fixtures/phpmailer), PHP's command line to run it, and w3m to show its html output as a browser does.
have_cmd php        || need_pkgs+=(php-cli)
[ -e /usr/share/php/libphp-phpmailer/autoload.php ] || need_pkgs+=(libphp-phpmailer)
have_cmd w3m        || need_pkgs+=(w3m)
# Ruby's Net::SMTP (server/test/fixtures/ruby-net-smtp): Debian's ruby, whose bundled gems include net-smtp.
have_cmd ruby       || need_pkgs+=(ruby)
# Perl's Net::SMTP (server/test/fixtures/perl-net-smtp): libnet comes with perl, IO::Socket::SSL (above) for TLS, and
# Authen::SASL for AUTH.
perl -MAuthen::SASL -e1 2>/dev/null || need_pkgs+=(libauthen-sasl-perl)
# git send-email, whose --smtp-debug=1 is Net::SMTP's debug output.
git send-email -h >/dev/null 2>&1 || [ -x /usr/lib/git-core/git-send-email ] || need_pkgs+=(git-email)
# Mutt and NeoMutt (server/test/fixtures/mutt), whose SMTP client logs its dialogue in their debug logs.
have_cmd mutt       || need_pkgs+=(mutt)
have_cmd neomutt    || need_pkgs+=(neomutt)
# Jakarta Mail (server/test/fixtures/jakarta-mail), and a Java runtime (with keytool) to run it.
have_cmd java       || need_pkgs+=(openjdk-17-jre-headless)
[ -e /usr/share/java/jakarta-mail.jar ] || need_pkgs+=(libjakarta-mail-java)
[ -e /usr/share/java/jakarta-activation.jar ] || need_pkgs+=(libjakarta-activation-java)

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

# ------------------------------------------------------------- sendmail
# Debian's sendmail-bin conflicts with postfix, so it is not installed: its packages are unpacked into
# $SENDMAIL_ROOT (the binary at usr/libexec/sendmail/sendmail, the m4 files at usr/share/sendmail/cf), for
# server/test/fixtures/sendmail/make-fixtures.sh, which runs it with a configuration of its own.
SENDMAIL_ROOT=${SENDMAIL_ROOT:-/opt/smtptls-sendmail}
if [ ! -x "$SENDMAIL_ROOT/usr/libexec/sendmail/sendmail" ]; then
  if [ "${SKIP_APT:-0}" = 1 ]; then
    log "sendmail not unpacked in $SENDMAIL_ROOT (SKIP_APT=1)"
  else
    log "unpacking sendmail into $SENDMAIL_ROOT"
    debs=$(mktemp -d)
    ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1 || apt-get -o DPkg::Lock::Timeout=600 update -qq
    (cd "$debs" && apt-get -o APT::Sandbox::User=root download -qq sendmail-bin sendmail-base sendmail-cf >/dev/null)
    mkdir -p "$SENDMAIL_ROOT"
    for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$SENDMAIL_ROOT"; done
    rm -rf "$debs"
  fi
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

# The lab CA and the certificates of 2527-2529 (dates set with `openssl ca`, which takes them explicitly).
LAB_CA=$CERT_DIR/lab-ca.crt
if [ ! -s "$LAB_CA" ] || [ ! -s "$CERT_DIR/expired.pem" ] || [ ! -s "$CERT_DIR/weak.pem" ] || [ ! -s "$CERT_DIR/future.pem" ]; then
  log "creating the lab CA and the expired, weak-key and not-yet-valid server certificates"
  T=$(mktemp -d)
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Mail Lab CA/O=SMTP TLS Transcripts test" \
    -keyout "$T/ca.key" -out "$T/ca.crt" 2>/dev/null
  : >"$T/index.txt"
  openssl rand -hex 16 >"$T/serial"
  printf '[ca]\ndefault_ca=lab\n[lab]\ndatabase=%s\nnew_certs_dir=%s\nserial=%s\ndefault_md=sha256\npolicy=any\nunique_subject=no\n[any]\ncommonName=supplied\n' \
    "$T/index.txt" "$T" "$T/serial" >"$T/ca.cnf"
  # lab_leaf NAME BITS START END: a server certificate for NAME.cert-lab.test, chain file $CERT_DIR/NAME.pem (key, leaf, CA)
  lab_leaf() {
    openssl req -newkey "rsa:$2" -nodes -subj "/CN=$1.cert-lab.test" -keyout "$T/$1.key" -out "$T/$1.csr" 2>/dev/null
    printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:%s.cert-lab.test\n' "$1" >"$T/ext.cnf"
    openssl ca -batch -config "$T/ca.cnf" -cert "$T/ca.crt" -keyfile "$T/ca.key" -startdate "$3" -enddate "$4" \
      -extfile "$T/ext.cnf" -notext -in "$T/$1.csr" -out "$T/$1.crt" 2>/dev/null
    cat "$T/$1.key" "$T/$1.crt" "$T/ca.crt" >"$CERT_DIR/$1.pem"
    chmod 600 "$CERT_DIR/$1.pem"
  }
  lab_leaf expired 2048 20200101000000Z 20210101000000Z
  lab_leaf weak 1024 20200101000000Z 20991231000000Z
  lab_leaf future 2048 20990101000000Z 21000101000000Z
  cp "$T/ca.crt" "$LAB_CA"
  rm -rf "$T"
fi
if [ ! -s "$CERT_DIR/dh1024.pem" ]; then
  log "creating a 1024-bit Diffie-Hellman group"
  openssl dhparam -out "$CERT_DIR/dh1024.pem" 1024 2>/dev/null
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
   "compatibility_level = 3.6" \
   "transport_maps = inline:{expired.lab.test=labverify:[127.0.0.1]:2527, weak.lab.test=labverify:[127.0.0.1]:2528, future.lab.test=labverify:[127.0.0.1]:2529}" \
   "smtp_tls_policy_maps = inline:{{[127.0.0.1]:2527 = verify match=expired.cert-lab.test}, {[127.0.0.1]:2528 = verify match=weak.cert-lab.test}, {[127.0.0.1]:2529 = verify match=future.cert-lab.test}}"

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
# lab_server PORT NAME: smtpd on PORT serving $CERT_DIR/NAME.pem, refusing to relay (mail routed to it ends there).
lab_server() {
  postconf -M "$1/inet=$1 inet n - y - - smtpd"
  postconf -P "$1/inet/syslog_name=postfix/lab$1" "$1/inet/smtpd_tls_chain_files=$CERT_DIR/$2.pem" \
              "$1/inet/smtpd_tls_cert_file=" "$1/inet/smtpd_tls_key_file=" "$1/inet/smtpd_relay_restrictions=reject"
}
lab_server 2527 expired
lab_server 2528 weak
lab_server 2529 future
postconf -M "2530/inet=2530 inet n - y - - smtpd"
postconf -P "2530/inet/syslog_name=postfix/lab2530" "2530/inet/smtpd_tls_dh1024_param_file=$CERT_DIR/dh1024.pem" \
            "2530/inet/tls_high_cipherlist=DEFAULT:@SECLEVEL=0" "2530/inet/tls_medium_cipherlist=DEFAULT:@SECLEVEL=0" \
            "2530/inet/smtpd_tls_protocols=<=TLSv1.2" "2530/inet/smtpd_tls_mandatory_protocols=<=TLSv1.2" \
            "2530/inet/smtpd_relay_restrictions=reject"
# lab_auth PORT [OPTION...]: smtpd on PORT (not chrooted: it reads $SASL_DB) offering AUTH PLAIN and LOGIN inside TLS only.
SASL_DB=$CERT_DIR/lab-sasldb2
printf 'labsecret' | saslpasswd2 -p -c -f "$SASL_DB" -u mx.example.test labuser
chown root:postfix "$SASL_DB"
chmod 640 "$SASL_DB"
mkdir -p /etc/postfix/sasl
printf 'pwcheck_method: auxprop\nauxprop_plugin: sasldb\nmech_list: PLAIN LOGIN\nsasldb_path: %s\n' "$SASL_DB" >/etc/postfix/sasl/lab-auth.conf
lab_auth() {
  local port=$1
  shift
  postconf -M "$port/inet=$port inet n - n - - smtpd"
  postconf -P "$port/inet/syslog_name=postfix/lab$port" "$port/inet/smtpd_sasl_auth_enable=yes" "$port/inet/smtpd_sasl_type=cyrus" \
              "$port/inet/smtpd_sasl_path=lab-auth" "$port/inet/smtpd_sasl_local_domain=mx.example.test" "$port/inet/smtpd_tls_auth_only=yes" \
              "$port/inet/smtpd_relay_restrictions=permit_sasl_authenticated,reject" "$@"
}
lab_auth 2532
lab_auth 2533 "2533/inet/smtpd_tls_wrappermode=yes"
postconf -M "labverify/unix=labverify unix - - n - - smtp"
# As a production relay logs: no debug_peer_list dialogue (the lab's smtpd services log theirs).
postconf -P "labverify/unix/smtp_tls_CAfile=$LAB_CA" "labverify/unix/smtp_tls_loglevel=1" "labverify/unix/debug_peer_list="

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
wait_port 2527
wait_port 2528
wait_port 2529
wait_port 2530
wait_port 2532
wait_port 2533
log "ready: 127.0.0.1:25, 2526, 2527-2530 and 2532-2533 (log: $LAB_LOG)"
log "$(postconf -h mail_version | sed 's/^/postfix /'), $(openssl version)"
