#!/bin/sh
# Browser tests need Debian's Chromium. Install it when missing and we are
# root; otherwise say in one line what to do.
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get install chromium) ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    && exit 0
  echo "error: could not install Chromium with apt-get; install the 'chromium' package and run make test again" >&2
  exit 1
fi
echo "error: the browser tests need Chromium: run 'sudo apt-get install chromium' (or set CHROMIUM=/path/to/chromium) and run make test again" >&2
exit 1
