#!/usr/bin/env bash
# fleet's benchmark (bench/README.md): set-up (Debian packages incl. pssh and ansible-core, npm
# dependencies, the build), the bench runner compiled to .fleet/bench, then the run. Needs root
# (the lab). Arguments go to the runner:
#   npm run bench [-- --hosts N --concurrency C --reps R]   fleet vs the pssh floor vs Ansible
#     [--ops ban,audit] [--no-ansible]                     only those sections; without Ansible's rows
#   npm run bench -- --scale [--sizes 50,100,200]            fleet's cost per host as hosts grow
#   npm run bench -- --simulate [--sizes 100,1000,10000]     the same on simulated hosts (ssh2, loopback)
#   npm run bench -- --record                                re-record the simulated hosts' answers
#   npm run bench -- --profile [--hosts N]                    round trips per host, CPU profiles
#   npm run bench -- --processes [--lab NAME]                 processes per command on one host
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc -p bench/tsconfig.json
exec node .fleet/bench/bench/run.js "$@"
