#!/usr/bin/env bash
# The main job on the built-in lab: set-up, a lab of real hosts, then fleet on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
fleet() { node bin/fleet.js "$@"; }
fleet lab up "${FLEET_DEMO_HOSTS:-5}"
fleet lab status
