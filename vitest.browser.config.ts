import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

process.env.TZ = "UTC";

// Browser tests: the demo (emulator + production build of the app) driven in Debian's Chromium.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: "forks",
  },
});
