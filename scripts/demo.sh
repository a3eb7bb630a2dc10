#!/usr/bin/env bash
# The main job on the built-in lab: set-up, a lab of real hosts on this machine, then
# `fleet plan` and `fleet apply web-servers` on it, ending in the summary report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
fleet() { node bin/fleet.js "$@"; }
fleet lab up "${FLEET_DEMO_HOSTS:-6}"
fleet lab status
echo
echo "== fleet plan web-servers"
fleet plan web-servers
echo
echo "== fleet apply web-servers"
fleet apply web-servers
echo
echo "The lab stays up for you to explore (fleet facts all, fleet audit all, fleet ban ...)."
echo "Take it down with: node bin/fleet.js lab down"
