import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Component tests of the admin UI extensions (Preact in jsdom, with @shopify/ui-extensions-tester's
// mock `shopify` global). Run: npx vitest run --config extensions/vitest.config.ts
process.env.TZ = "UTC";

export default defineConfig({
  // Paths are relative to extensions/, whether run alone or as a project of the root config.
  root: fileURLToPath(new URL(".", import.meta.url)),
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  test: {
    name: "extensions",
    include: ["*/tests/**/*.test.{ts,tsx}"],
    environment: "jsdom",
    setupFiles: ["shared/tests/setup.ts"],
    server: { deps: { inline: ["@shopify/ui-extensions-tester"] } },
    restoreMocks: true,
  },
});
