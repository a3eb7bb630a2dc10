/** listr2 progress on a terminal: one task whose output lists the hosts in flight, redrawn in place. */
import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { EngineEvent } from '../../engine/events.js';
import { InflightBoard } from './inflight-board.js';
import type { Progress } from './progress.js';

/** Lines kept free under the host list for the title, the prompt and some slack. */
const RESERVED_ROWS = 6;
/** Redraw at most this often: hundreds of hosts emit thousands of events. */
const REDRAW_MS = 100;

export function createTtyProgress(stream: NodeJS.WriteStream, command: string): Progress {
  const board = new InflightBoard();
  let draw = () => {};
  let finish = () => {};
  const over = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const list = new Listr(
    [
      {
        title: board.title(command),
        task: (_ctx, task) => {
          draw = () => {
            task.title = board.title(command);
            const rows = Math.max(3, (stream.rows ?? 24) - RESERVED_ROWS);
            // listr2 ignores an empty output; a blank keeps finished hosts from lingering.
            task.output = board.lines(rows, (stream.columns ?? 80) - 4).join('\n') || ' ';
          };
          return over;
        },
        // outputBar 1: keep only the latest board (each output write is one whole board).
        rendererOptions: { outputBar: 1, persistentOutput: false },
      },
    ],
    {
      renderer: 'default',
      rendererOptions: { logger: new ListrLogger({ processOutput: new ProcessOutput(stream, stream) }) },
      registerSignalListeners: false,
      exitOnError: false,
    },
  );
  const running = list.run();
  let dirty = false;
  const timer = setInterval(() => {
    if (dirty) draw();
    dirty = false;
  }, REDRAW_MS);
  timer.unref();
  return {
    onEvent: (event: EngineEvent) => {
      board.apply(event);
      dirty = true;
    },
    close: async () => {
      clearInterval(timer);
      draw();
      finish();
      await running;
    },
  };
}
