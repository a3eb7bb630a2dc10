/**
 * The fleet CLI as the bench runs it (bin/fleet.js does the same with dist/): built with the
 * bench into .fleet/bench, so a rebuild of dist/ during a long run changes nothing mid-run.
 */
import { main } from '../src/cli/main.js';

await main(process.argv);
