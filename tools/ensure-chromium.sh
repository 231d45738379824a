#!/bin/sh
# Browser tests need Chromium: the one named by $CHROMIUM, or Debian's
# `chromium` (Ubuntu's `chromium-browser`) on the PATH, as tests/conftest.py
# looks for them. Install Debian's when none is there and we are root;
# otherwise say in one line what to do.
if [ -n "$CHROMIUM" ]; then
  if [ -x "$CHROMIUM" ] || command -v "$CHROMIUM" >/dev/null 2>&1; then exit 0; fi
  echo "error: CHROMIUM=$CHROMIUM is not an executable Chromium; fix the path or unset CHROMIUM" >&2
  exit 1
fi
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get install chromium) ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    && exit 0
  echo "error: could not install Chromium with apt-get; install the 'chromium' package and run make test again" >&2
  exit 1
fi
echo "error: the browser tests need Chromium: run 'sudo apt-get install chromium' (or set CHROMIUM=/path/to/chromium) and run make test again" >&2
exit 1
