import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

process.env.TZ = "UTC";

// Two projects: the app, the emulator and scripts (Node, a fresh SQLite database per file), and the admin
// UI extensions (Preact in jsdom, extensions/vitest.config.ts). Browser tests: vitest.browser.config.ts.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "app",
          include: [
            "app/**/*.test.{ts,tsx}",
            "test/**/*.test.{ts,tsx}",
            "emulator/**/*.test.ts",
            "scripts/**/*.test.ts",
          ],
          // test/postgres: several processes on one ledger, a PostgreSQL deployment only (SQLite serves one
          // instance); run by vitest.postgres.config.ts (npm run test:postgres).
          exclude: ["**/node_modules/**", "test/browser/**", "test/postgres/**"],
          environment: "node",
          globalSetup: ["test/globalSetup.ts"],
          setupFiles: ["test/setup.ts"],
          restoreMocks: true,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
      "extensions/vitest.config.ts",
    ],
  },
});
