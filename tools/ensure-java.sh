#!/bin/sh
# The Nu Html Checker (make check, make test) runs on Java. Install Debian's
# default Java runtime when missing and we are root; otherwise say in one line
# what to do.
if command -v java >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Java for the HTML checker (apt-get install default-jre-headless) ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null \
    && exit 0
  echo "error: could not install Java with apt-get; install the 'default-jre-headless' package and run make test again" >&2
  exit 1
fi
echo "error: the HTML checker needs Java: run 'sudo apt-get install default-jre-headless' and run make test again" >&2
exit 1
