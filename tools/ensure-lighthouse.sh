#!/bin/sh
# The Lighthouse test (tests/test_lighthouse.py) runs the npm package
# `lighthouse`, pinned in tools/lighthouse/package-lock.json, with Node and
# Debian's Chromium. Install it with `npm ci` (only the npm registry is
# needed) when it is missing or the lock file changed; say in one line what
# to do when Node or npm is missing.
dir=$(dirname "$0")/lighthouse
stamp=$dir/node_modules/.package-lock.json
if [ -f "$stamp" ] && [ -x "$dir/node_modules/.bin/lighthouse" ] && [ ! "$dir/package-lock.json" -nt "$stamp" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "error: the Lighthouse test needs Node 18.16 or newer with npm: run 'sudo apt-get install nodejs npm' and run make test again" >&2
  exit 1
fi
echo "Installing Lighthouse for the Lighthouse test (npm ci in tools/lighthouse/) ..."
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) && exit 0
echo "error: could not install Lighthouse with 'npm ci' in tools/lighthouse/; run it there to see why" >&2
exit 1
