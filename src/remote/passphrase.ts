/** Ask for a key's passphrase on the terminal, without echo. Only used when stdin is a TTY. */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

let queue: Promise<unknown> = Promise.resolve();

/** One prompt at a time, however many keys need one. */
export function askPassphrase(keyPath: string): Promise<string | undefined> {
  const next = queue.then(() => prompt(keyPath));
  queue = next.catch(() => undefined);
  return next;
}

function prompt(keyPath: string): Promise<string | undefined> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(`Enter passphrase for key '${keyPath}': `, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer === '' ? undefined : answer);
    });
    muted = true;
    rl.on('SIGINT', () => {
      rl.close();
      resolve(undefined);
    });
  });
}
