import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests of web modules resolve the core floor as Vite does.
  resolve: { alias: { '@core': path.join(import.meta.dirname, 'core') } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
