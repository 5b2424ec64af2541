import { defineConfig } from 'vitest/config';

/** `npm run drill:zone-outage`: the HA drills, one after the other (each brings up its own cluster). */
export default defineConfig({
  test: {
    include: ['test/drills/zone-outage.drill.ts', 'test/drills/pitr.drill.ts'],
    // The local Bluesky network's AppView needs a PostgreSQL of its own: the suite's (a throwaway one unless CHORUS_TEST_PG_URL names one).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
