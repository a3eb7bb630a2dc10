import { FleetError } from '../errors.js';

/** Placeholder action for a command whose issue is still open. */
export function notYet(command: string): () => never {
  return () => {
    throw new FleetError(`\`fleet ${command}\` is not built yet`, { hint: 'see the open issues' });
  };
}
