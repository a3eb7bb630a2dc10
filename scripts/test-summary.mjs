// Prints the closing line "N passed, N failed, N skipped" from vitest's JSON report and
// decides the exit code: under FLEET_LAB_REQUIRED=1 a skipped test is a failure.
import { existsSync, readFileSync } from 'node:fs';

const [file, rcText] = process.argv.slice(2);
const rc = Number(rcText);
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(rc || 1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = r.numPendingTests + r.numTodoTests;
const failedSuites = r.testResults.filter((t) => t.status === 'failed' && t.assertionResults.length === 0);
const failed = r.numFailedTests + failedSuites.length;
console.log(`${r.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
if (process.env.FLEET_LAB_REQUIRED === '1' && skipped > 0) {
  console.error('FLEET_LAB_REQUIRED=1: skipped tests count as failures here');
  process.exit(1);
}
process.exit(rc !== 0 ? rc : failed > 0 || r.numPassedTests === 0 ? 1 : 0);
