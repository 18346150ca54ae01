import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { createServer, type ViteDevServer } from "vite";

// The whole app (every route, entry.server, root) served over HTTP from this test process, compiled by
// Vite like `remix vite:dev` does. Tests use it where Shopify must call the app: webhook deliveries.
export interface TestAppServer {
  url: string;
  close: () => Promise<void>;
}

export async function startAppServer(): Promise<TestAppServer> {
  const vite: ViteDevServer = await createServer({
    server: { middlewareMode: true, hmr: false },
    logLevel: "error",
    // The test process already loaded the app's modules through vitest; this is a second, separate graph.
    configFile: "vite.config.ts",
  });
  const app = express();
  app.use(vite.middlewares);
  app.all(
    "*",
    createRequestHandler({
      build: () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await vite.close();
    },
  };
}
