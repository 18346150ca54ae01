import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import {
  type ServerBuild,
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
} from "@remix-run/node";
import compression from "compression";
import express, { type Request as ExpressRequest, type Response as ExpressResponse } from "express";
import prisma from "~/db.server";
import { env } from "~/env.server";
import { english } from "~/i18n/translate.server";
import { startInProcessWorker } from "~/jobs/inProcessWorker.server";
import { bodyLimitFor, closeAfterUnreadBody, countedBody, declaredLength } from "~/server/bodyLimits.server";
import { databaseAnswers } from "~/server/health.server";
import { logRequest } from "~/server/requestLog.server";
import { type Logger, logger as appLogger } from "~/utils/logger.server";

// The app's production HTTP server (`npm start` → server.mjs → here): Express and Remix's Node runtime,
// wired as @remix-run/express's createRequestHandler does (remixRequest and sendResponse below mirror its
// unexported helpers) except for one thing: that adapter hands Remix the raw request stream, which leaves
// no place to count bytes, so here Remix reads the body through a counter.
//   - build/client served as static files, `/assets/*` (content-hashed) cached as immutable for a year;
//   - one redacted log line per request (requestLog.server.ts);
//   - request bodies limited while they are read (bodyLimits.server.ts): 413 at once on a Content-Length
//     above the route family's limit, or the moment a chunked body crosses it;
//   - GET /healthz: 200 when the database answers, 503 when it does not or while shutting down;
//   - SIGTERM/SIGINT: stop accepting, drain requests in flight, stop the in-process invite worker
//     (requests in flight answered and settled, leases released), close Prisma, exit 0; a second signal
//     or the deadline (SHUTDOWN_TIMEOUT_MS) exits 1 at once.

export interface ServerApp {
  app: express.Express;
  /** From now on /healthz answers 503 and every answer closes its connection. */
  startDraining: () => void;
}

export interface ServerAppOptions {
  /** Answers one request: the Remix build's handler (tests pass their own). */
  handle: (request: Request) => Promise<Response>;
  /** build/client, or null (tests). */
  clientDirectory: string | null;
  databaseAnswers?: () => Promise<boolean>;
  logger?: Logger;
}

function tooLargeBody(path: string, maxBytes: number): { type: string; body: string } {
  const t = english();
  if (path.startsWith("/api/") || path === "/api") {
    // The JSON API's error shape (app/api/jsonApi.server.ts), so an extension shows it like any other.
    return {
      type: "application/json",
      body: JSON.stringify({ error: t("api.tooLarge"), fieldErrors: {}, maxBytes }),
    };
  }
  return { type: "text/plain; charset=utf-8", body: `${t("api.tooLarge")} (at most ${maxBytes} bytes)\n` };
}

/** Answers 413; the rest of the upload is discarded, then the connection closed (closeAfterUnreadBody). */
function refuseTooLarge(req: ExpressRequest, res: ExpressResponse, maxBytes: number): void {
  if (res.headersSent) return;
  const { type, body } = tooLargeBody(req.path, maxBytes);
  res.status(413);
  res.set("Content-Type", type);
  // An extension calls the JSON API from another origin: without this it would see a failed fetch.
  if (req.headers.origin) res.set("Access-Control-Allow-Origin", "*");
  res.end(body);
}

function remixHeaders(source: ExpressRequest["headers"]): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(source)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  return headers;
}

async function sendResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** The Remix Request for an Express request, with the body given (as the Express adapter builds it). */
function remixRequest(
  req: ExpressRequest,
  res: ExpressResponse,
  body: Readable | null,
  controller: AbortController,
): Request {
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = [forwardedPort, hostPort].map((p) => Number.parseInt(p ?? "", 10)).find(Number.isSafeInteger);
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method,
    headers: remixHeaders(req.headers),
    signal: controller.signal,
  };
  if (body) {
    init.body = createReadableStreamFromReadable(body);
    init.duplex = "half";
  }
  let finished = false;
  res.once("finish", () => (finished = true));
  res.once("close", () => {
    if (!finished) controller.abort();
  });
  return new Request(url.href, init);
}

export function createServerApp({
  handle,
  clientDirectory,
  databaseAnswers: checkDatabase = databaseAnswers,
  logger = appLogger,
}: ServerAppOptions): ServerApp {
  let draining = false;
  const app = express();
  app.disable("x-powered-by");

  app.use((req, res, next) => {
    logRequest(logger, req, res);
    if (draining) res.set("Connection", "close");
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store");
    if (draining) {
      res.status(503).json({ status: "shutting down" });
      return;
    }
    void checkDatabase().then((ok) => {
      res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "database unavailable" });
    });
  });

  app.use(compression());
  if (clientDirectory) {
    // Vite names every file under /assets by its content hash: it never changes, so cache it for good.
    app.use(
      "/assets",
      express.static(`${clientDirectory}/assets`, { immutable: true, maxAge: "1y", fallthrough: false }),
    );
    app.use(express.static(clientDirectory, { maxAge: "1h", index: false }));
  }

  app.all("*", (req, res, next) => {
    const { maxBytes } = bodyLimitFor(req.path);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    let body: ReturnType<typeof countedBody> | null = null;
    // Whatever the answer, a body it did not read is discarded for a moment, then the connection closed.
    res.once("finish", () => closeAfterUnreadBody(req, body));
    const declared = declaredLength(req);
    if (declared !== null && declared > maxBytes) {
      refuseTooLarge(req, res, maxBytes);
      return;
    }
    const controller = new AbortController();
    body = hasBody
      ? countedBody(req, maxBytes, () => {
          refuseTooLarge(req, res, maxBytes);
          // The handler's own answer (an unreadable body) is dropped, and Remix logs nothing for it.
          controller.abort();
        })
      : null;
    const request = remixRequest(req, res, body, controller);
    handle(request)
      .then(async (response) => {
        if (res.headersSent) {
          await response.body?.cancel().catch(() => {});
          return;
        }
        await sendResponse(res, response);
      })
      .catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        next(error);
      });
  });

  // Express's last resort: a client error keeps its status (a missing asset: 404); anything else is a
  // plain 500, logged (redacted), no stack to the client.
  app.use((error: unknown, _req: ExpressRequest, res: ExpressResponse, _next: express.NextFunction) => {
    const status = Number((error as { status?: unknown } | null)?.status);
    if (status >= 400 && status < 500 && !res.headersSent) {
      res
        .status(status)
        .type("text/plain")
        .send(`${status === 404 ? "Not Found" : "Bad Request"}\n`);
      return;
    }
    logger.error({ err: error }, "request failed outside the app's handlers");
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(500).type("text/plain").send("Internal Server Error\n");
  });

  return {
    app,
    startDraining: () => {
      draining = true;
    },
  };
}

export interface RunningServer {
  server: Server;
  url: string;
  /** What a SIGTERM does; resolves once everything is closed (the caller exits). */
  shutdown: (reason: string) => Promise<void>;
}

/**
 * Serves the Remix build and wires the process signals: the whole `npm start`. `listen` false only
 * builds it (tests).
 */
export async function startProductionServer({
  build,
  clientDirectory,
  port = env.PORT,
  host = env.HOST,
  exit = (code: number) => process.exit(code),
}: {
  build: ServerBuild;
  clientDirectory: string;
  port?: number;
  host?: string;
  exit?: (code: number) => void;
}): Promise<RunningServer> {
  const handleRemix = createRequestHandler(build, "production");
  const { app, startDraining } = createServerApp({
    handle: (request) => handleRemix(request),
    clientDirectory,
  });
  const server = createServer(app);
  // `Expect: 100-continue` with a body above the limit: refused before the client sends it.
  server.on("checkContinue", (req, res) => {
    const limit = bodyLimitFor(new URL(req.url ?? "/", "http://localhost").pathname).maxBytes;
    const declared = declaredLength(req);
    if (declared !== null && declared > limit) {
      res.writeHead(413, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
      res.end(`${english()("api.tooLarge")} (at most ${limit} bytes)\n`);
      return;
    }
    res.writeContinue();
    app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if (host) server.listen(port, host, resolve);
    else server.listen(port, resolve);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host ?? "localhost"}:${address.port}`;
  appLogger.info({ url }, "Account Invites is listening");

  const worker = startInProcessWorker({ handleSignals: false });

  let closing: Promise<void> | null = null;
  const shutdown = (reason: string) => {
    if (closing) return closing;
    appLogger.info(
      { reason, deadlineMs: env.SHUTDOWN_TIMEOUT_MS },
      "shutting down: draining requests and the worker",
    );
    startDraining();
    const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    closing = (async () => {
      await Promise.all([httpClosed, worker?.stop()]);
      await prisma.$disconnect();
      appLogger.info("shut down: requests drained, worker stopped, database closed");
    })();
    return closing;
  };

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (closing) {
        appLogger.warn({ signal }, "second signal: exiting now");
        exit(1);
        return;
      }
      const deadline = setTimeout(() => {
        appLogger.error({ deadlineMs: env.SHUTDOWN_TIMEOUT_MS }, "shutdown deadline passed: exiting now");
        exit(1);
      }, env.SHUTDOWN_TIMEOUT_MS);
      shutdown(signal).then(
        () => {
          clearTimeout(deadline);
          exit(0);
        },
        (error: unknown) => {
          appLogger.error({ err: error }, "shutdown failed");
          exit(1);
        },
      );
    });
  }
  return { server, url, shutdown };
}
