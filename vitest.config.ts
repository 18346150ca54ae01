import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

process.env.TZ = "UTC";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: [
      "app/**/*.test.{ts,tsx}",
      "test/**/*.test.{ts,tsx}",
      "emulator/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "test/browser/**"],
    environment: "node",
    globalSetup: ["test/globalSetup.ts"],
    setupFiles: ["test/setup.ts"],
    restoreMocks: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
