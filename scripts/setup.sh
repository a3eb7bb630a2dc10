#!/usr/bin/env bash
# Makes this machine ready to run fleet, its lab and its tests: Debian packages,
# npm dependencies, the build. Safe to run again; does only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS=(openssh-server openssh-client iptables ipset iproute2 debootstrap conntrack procps util-linux
  dpkg-dev pssh ansible-core chromium)

missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 2
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies"
  # `npm ci`: exactly the committed lock, which it never rewrites (a fresh clone stays clean).
  # The lock lists every platform's optional packages (biome's binaries), as `npm ci` requires.
  npm ci --no-fund --no-audit --loglevel=error
fi
npm run --silent build
