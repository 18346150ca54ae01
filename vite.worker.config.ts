import { defineConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

// `npm run build`, second step: the standalone invite worker (`npm run worker`, app/jobs/main.ts)
// compiled to build/worker/main.js, run with plain `node` (no tsx at run time). Dependencies stay
// external, imported from node_modules like the Remix server build's.
const buildDirectory = process.env.APP_BUILD_DIRECTORY || "build";

export default defineConfig({
  plugins: [tsconfigPaths()],
  logLevel: "warn",
  build: {
    ssr: "app/jobs/main.ts",
    outDir: `${buildDirectory}/worker`,
    emptyOutDir: true,
    target: "node22",
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: "main.js", format: "esm" } },
  },
}) satisfies UserConfig;
