#!/usr/bin/env node
// `npm start`: the app's production server. Plain ESM with nothing to compile: it imports the Remix
// build (`npm run build`) and calls the server that build carries (app/server/productionServer.server.ts,
// exported by app/entry.server.tsx), so the server, the routes and the in-process worker share one
// module graph. Usage: node server.mjs [build directory, default ./build]
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { installGlobals } from "@remix-run/node";

// Node's own fetch (undici), as in development: the Shopify library and emulator/preload.mjs rely on it.
installGlobals({ nativeFetch: true });
process.env.NODE_ENV ??= "production";

const buildDirectory = resolve(process.argv[2] ?? "build");
const build = await import(pathToFileURL(resolve(buildDirectory, "server", "index.js")).href);
await build.entry.module.startProductionServer({
  build,
  clientDirectory: resolve(buildDirectory, "client"),
});
