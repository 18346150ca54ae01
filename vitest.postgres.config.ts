import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

process.env.TZ = "UTC";
process.env.TEST_DATABASE = "postgresql";

// The tests that touch the ledger (ledger moves, the worker, routes, the JSON API, webhooks, auth and the
// multi-worker run) again, on PostgreSQL: `npm run test:postgres` starts a throwaway server
// (scripts/with-postgres.mjs) and runs this config; each test file gets its own database copied from a
// template migrated by the app's PostgreSQL migrator (test/globalSetup.ts, test/setup.ts). Same setup
// and timeouts as the app project of vitest.config.ts.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    name: "postgresql",
    include: [
      "test/invites/**/*.test.ts",
      "test/integration/**/*.test.ts",
      "test/webhooks/**/*.test.ts",
      "test/api/**/*.test.ts",
      "test/routes/**/*.test.ts",
      "test/postgres/**/*.test.ts",
      "test/links/**/*.test.ts",
      // The invite lifecycle (outcomes, follow-ups, reminders); the 5,000-customer import runs on SQLite only.
      "test/automation/lifecycle.test.ts",
    ],
    environment: "node",
    globalSetup: ["test/globalSetup.ts"],
    setupFiles: ["test/setup.ts"],
    restoreMocks: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
