import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Lab tests bring up real hosts; the machine has 2 cores, so a few files at a time.
    maxWorkers: 3,
    reporters: ['default'],
  },
});
