/** The fan-out engine's public surface. */
export { type Amount, formatAmount, resolveAmount } from './amount.js';
export { Dispatcher, HOSTS_PER_WORKER, leastLoaded, shareOf, workerCount } from './dispatch.js';
export type {
  EngineEvent,
  EventKind,
  EventOf,
  EventSink,
  LogLevel,
  StopCause,
  TaskEvent,
  WaveLabel,
} from './events.js';
export { exitCodeFor } from './exit-code.js';
export { formatMs, type HostEnv, runOneHost } from './host-run.js';
export { DEFAULT_CONCURRENCY, runFleet } from './run-fleet.js';
export { isPartial, type PartOptions, parseShard, partOfSelection, type Shard, shardOf } from './shard.js';
export {
  type FleetOptions,
  type FleetRun,
  HostError,
  type HostTask,
  type Named,
  type TaskContext,
  type TaskResult,
} from './types.js';
export { planWaves, type Wave } from './waves.js';
