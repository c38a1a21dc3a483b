#!/usr/bin/env bash
# The web app's browser tests drive Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH): installed from Debian's
# packages when missing. Nothing downloads a browser of its own.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$browser" ]; then
  echo "Installing Debian's chromium package for the browser tests..." >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
  fi
fi
