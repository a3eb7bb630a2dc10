/**
 * One process of simulated hosts (bench/lib/sim/server.ts): `node sim-server.js CONFIG.json`.
 * Prints `ready` when every address listens; relays unknown requests to stderr (the bench counts
 * them); on SIGTERM prints `served N unknown M` and exits. Started by bench/lib/simulate.ts, in
 * the bench's cgroup, never in the measured fleet run's.
 */
import { readFileSync } from 'node:fs';
import { type SimHost, startSimServer } from './lib/sim/server.js';

interface Config {
  hosts: SimHost[];
  port: number;
  hostKey: string;
  clientPub: string;
  recordingPath: string;
}

const cfg = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Config;
const server = await startSimServer({
  hosts: cfg.hosts,
  port: cfg.port,
  hostKey: cfg.hostKey,
  clientPub: readFileSync(cfg.clientPub, 'utf8'),
  recording: JSON.parse(readFileSync(cfg.recordingPath, 'utf8')),
  log: (s) => process.stderr.write(`${s}\n`),
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  process.stdout.write(`served ${server.served} unknown ${server.unknown}\n`);
  void server.close().finally(() => process.exit(0));
});
