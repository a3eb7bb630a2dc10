#!/usr/bin/env bash
# The one test command (README, .ci/run): set-up, then every test, then one closing line
# "N passed, N failed, N skipped". Under FLEET_LAB_REQUIRED=1 (CI) a skipped test fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx biome ci src test bench >/dev/null || { echo "lint: npx biome check src test bench shows what to fix" >&2; exit 1; }
npx tsc --noEmit -p tsconfig.json || { echo "typecheck failed (src, test, bench)" >&2; exit 1; }
mkdir -p .fleet
results=.fleet/test-results.json
rm -f "$results"
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@"
rc=$?
set -e
node scripts/test-summary.mjs "$results" "$rc"
