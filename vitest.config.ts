// One test run for the whole project: unit tests beside the code, cross-process and browser tests
// in tests/. Timings are never asserted here; they belong in benchmarks.
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const protocol = resolve(import.meta.dirname, 'device-daemon/src/protocol/index.ts');

export default defineConfig({
  resolve: { alias: { '@protocol': protocol } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['device-daemon/src/**/*.test.ts', 'kiosk-ui/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts'],
          globalSetup: ['tests/global-setup.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Cross-process tests start daemons and browsers: one file at a time on two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
