#!/bin/sh
# The header-file tests (tests/test_nginx.py) run Debian's nginx: `nginx -t`
# on the shipped configurations, then nginx serving the built site on a
# loopback port. Install it when missing and we are root; otherwise say in
# one line what to do. The package's own service is not started (nothing
# listens on port 80 because of the tests).
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing nginx for the header-file tests (apt-get install nginx-light, service not started) ..."
  added=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && added=yes
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
  status=$?
  [ -n "$added" ] && rm -f /usr/sbin/policy-rc.d
  [ "$status" = "0" ] && exit 0
  echo "error: could not install nginx with apt-get; install the 'nginx-light' package and run make test again" >&2
  exit 1
fi
echo "error: the header-file tests need nginx: run 'sudo apt-get install nginx-light' and run make test again" >&2
exit 1
