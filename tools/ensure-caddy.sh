#!/bin/sh
# The comment-proxy tests (tests/test_nginx.py) run Debian's Caddy with
# comments/Caddyfile.example in front of a real Isso on loopback ports.
# Install it when missing and we are root; otherwise say in one line what to
# do. The package's own service is not started (nothing listens on port 80
# because of the tests).
if command -v caddy >/dev/null 2>&1 || [ -x /usr/bin/caddy ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Caddy for the comment-proxy tests (apt-get install caddy, service not started) ..."
  added=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && added=yes
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy >/dev/null
  status=$?
  [ -n "$added" ] && rm -f /usr/sbin/policy-rc.d
  [ "$status" = "0" ] && exit 0
  echo "error: could not install Caddy with apt-get; install the 'caddy' package and run make test again" >&2
  exit 1
fi
echo "error: the comment-proxy tests need Caddy: run 'sudo apt-get install caddy' and run make test again" >&2
exit 1
