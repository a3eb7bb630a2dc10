/** listr2 progress on a terminal: one task whose output lists the hosts in flight, redrawn in place. */
import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { EngineEvent } from '../../engine/events.js';
import { InflightBoard } from './inflight-board.js';
import type { Progress } from './progress.js';

/** Lines kept free under the host list for the title, the prompt and some slack. */
const RESERVED_ROWS = 6;

export function createTtyProgress(stream: NodeJS.WriteStream, command: string): Progress {
  const board = new InflightBoard();
  let redraw = () => {};
  let finish = () => {};
  const over = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const list = new Listr(
    [
      {
        title: board.title(command),
        task: (_ctx, task) => {
          redraw = () => {
            task.title = board.title(command);
            const rows = Math.max(3, (stream.rows ?? 24) - RESERVED_ROWS);
            task.output = board.lines(rows, (stream.columns ?? 80) - 4).join('\n');
          };
          return over;
        },
        rendererOptions: { outputBar: Number.POSITIVE_INFINITY, persistentOutput: false },
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
  return {
    onEvent: (event: EngineEvent) => {
      board.apply(event);
      redraw();
    },
    close: async () => {
      redraw();
      finish();
      await running;
    },
  };
}
