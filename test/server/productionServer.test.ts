import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { BODY_LIMIT_FAMILIES, DEFAULT_BODY_LIMIT, bodyLimitFor } from "~/server/bodyLimits.server";
import { subscriptionsFromToml } from "../../emulator/src/appToml";
import { type Emulator, createEmulator } from "../../emulator/src/server";
import { freePort } from "../chaos/harness.mjs";
import {
  BROWSER_USER_AGENT,
  TEST_API_KEY,
  TEST_API_SECRET,
  TEST_LINK_EXPORT_KEY,
  TEST_SCOPES,
} from "../testEnv";

// The production server as deployed: a fresh `npm run build` (into its own directory), `node server.mjs`
// in a child process with the emulator behind the documented switch (SHOPIFY_EMULATOR_URL + the preload),
// every line it prints on stdout and stderr captured. Then: an embedded page load as the local admin makes
// it and an activation link through the JSON API leave no credential in any line; oversized bodies are
// refused while being read on every route; /healthz answers; the compiled worker runs under plain node;
// SIGTERM with a campaign sending drains and exits 0 with nothing left in `sending`.

const root = resolve(".");
const buildDirectory = resolve(`node_modules/.cache/account-invites-server-test/build-${process.pid}`);
const SHOP = "served.myshopify.com";
const HANDLE = "served";

interface Served {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let emulator: Emulator;
let appUrl: string;
let app: Served;

function spawnNode(args: string[], env: Record<string, string>): Served {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env } as unknown as NodeJS.ProcessEnv,
    stdio: "pipe",
  });
  child.stdin.end();
  const lines: string[] = [];
  // Whole lines only: a chunk may end mid-line.
  const partial = { stdout: "", stderr: "" };
  const keep = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
    const parts = (partial[stream] + String(chunk)).split("\n");
    partial[stream] = parts.pop() ?? "";
    lines.push(...parts.filter((l) => l.trim() !== ""));
  };
  child.stdout.on("data", keep("stdout"));
  child.stderr.on("data", keep("stderr"));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once("exit", (code: number | null, signal: NodeJS.Signals | null) => {
      for (const rest of [partial.stdout, partial.stderr]) if (rest.trim() !== "") lines.push(rest);
      resolveExit({ code, signal });
    }),
  );
  return { child, lines, exited };
}

function appEnv(port: number): Record<string, string> {
  return {
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: appUrl,
    SCOPES: TEST_SCOPES,
    LINK_EXPORT_KEY: TEST_LINK_EXPORT_KEY,
    // This test file's own database (test/setup.ts), so the test reads the ledger the server writes.
    DATABASE_URL: process.env.DATABASE_URL!,
    SHOPIFY_EMULATOR_URL: emulator.url,
    LOG_LEVEL: "trace",
    WORKER_ENABLED: "true",
    WORKER_POLL_MS: "100",
    WORKER_LEASE_MS: "3000",
    WORKER_SLICE_MS: "3000",
    INVITE_REQUEST_TIMEOUT_MS: "2000",
  };
}

async function control<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${emulator.url}/__emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`emulator ${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function sessionToken(): Promise<string> {
  return (await control<{ token: string }>("POST", "session-token", { shop: SHOP, sub: "4242" })).token;
}

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${appUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${await sessionToken()}`,
      Origin: "https://extensions.shopifycdn.com",
      "User-Agent": BROWSER_USER_AGENT,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function waitUntil<T>(check: () => Promise<T | null | undefined | false>, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Parsed JSON log lines (every line the server prints is one; anything else is kept as text). */
function parsed(lines: string[]): Record<string, unknown>[] {
  return lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return { text: line };
    }
  });
}

beforeAll(async () => {
  // `npm run build`'s two steps, into this test's own directory (never the build/ a demo may be serving).
  const buildEnv = { ...process.env, APP_BUILD_DIRECTORY: buildDirectory, NODE_ENV: "production" as const };
  execFileSync("npx", ["remix", "vite:build"], {
    cwd: root,
    env: buildEnv,
    stdio: ["ignore", "ignore", "inherit"],
  });
  execFileSync("npx", ["vite", "build", "--config", "vite.worker.config.ts"], {
    cwd: root,
    env: buildEnv,
    stdio: ["ignore", "ignore", "inherit"],
  });

  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  emulator = await createEmulator({
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    appUrl,
    port: 0,
    webhooks: subscriptionsFromToml("shopify.app.toml"),
  });
  // A slow bucket (2 invites a second): the campaign below is still sending when SIGTERM comes.
  await control("POST", "shops", {
    domain: SHOP,
    customers: 0,
    custom: { maximumAvailable: 120, restoreRate: 20 },
  });
  await control("POST", `shops/${SHOP}/customers`, {
    customers: Array.from({ length: 60 }, (_, i) => ({
      firstName: "Served",
      lastName: `Customer${i}`,
      email: `served.c${i}@example.com`,
      state: "DISABLED",
    })),
  });
  app = spawnNode(["--import", "./emulator/preload.mjs", "server.mjs", buildDirectory], appEnv(port));
  await waitUntil(
    async () => {
      if (app.child.exitCode !== null) throw new Error(`the server exited:\n${app.lines.join("\n")}`);
      return (await fetch(`${appUrl}/healthz`).catch(() => null))?.status === 200;
    },
    "the server to answer /healthz",
    60_000,
  );
}, 300_000);

afterAll(async () => {
  if (app && app.child.exitCode === null && app.child.signalCode === null) {
    app.child.kill("SIGKILL");
    await app.exited;
  }
  await emulator?.close();
  rmSync(buildDirectory, { recursive: true, force: true });
});

describe("the served production server", () => {
  it("answers /healthz with 200 and no secrets", async () => {
    const response = await fetch(`${appUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("logs an embedded page load and an activation link request without a credential in any line", async () => {
    const from = app.lines.length;
    // The local admin's page for the app: its iframe is the embedded URL Shopify admin would load.
    const adminPage = await (await fetch(`${emulator.url}/store/${HANDLE}/apps/account-invites`)).text();
    const src = new URL(/id="app-iframe"[^>]* src="([^"]+)"/.exec(adminPage)![1]!.replace(/&amp;/g, "&"));
    expect(src.origin).toBe(appUrl);
    const idToken = src.searchParams.get("id_token")!;
    const hmac = src.searchParams.get("hmac")!;
    const session = src.searchParams.get("session")!;
    expect([idToken, hmac, session].every(Boolean)).toBe(true);

    const page = await fetch(src, { headers: { "User-Agent": BROWSER_USER_AGENT } });
    expect(page.status).toBe(200);
    const html = await page.text();
    // What the browser fetches next carries the embedded URL as its Referer.
    const asset =
      /<script[^>]+src="(\/assets\/[^"]+)"/.exec(html)?.[1] ?? /href="(\/assets\/[^"]+)"/.exec(html)![1]!;
    expect((await fetch(`${appUrl}${asset}`, { headers: { Referer: src.href } })).status).toBe(200);

    // An activation link through the JSON API (session token in Authorization, as the extension sends it).
    const { customers } = await control<{ customers: { id: string; state: string }[] }>(
      "GET",
      `customers?shop=${SHOP}&limit=100`,
    );
    const customer = customers.find((c) => c.state === "DISABLED")!;
    const token = await sessionToken();
    const link = await fetch(`${appUrl}/api/customers/${encodeURIComponent(customer.id)}/activation-url`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        Origin: "https://extensions.shopifycdn.com",
        "User-Agent": BROWSER_USER_AGENT,
      },
      body: "{}",
    });
    expect(link.status).toBe(200);
    const { url } = (await link.json()) as { url: string };
    expect(url).toContain("/account/activate/");

    // Every credential this exchange involved, from where it was issued.
    const { links } = await control<{ links: { url: string; token: string }[] }>("GET", `links?shop=${SHOP}`);
    const accessTokens = emulator.tokens.list(SHOP).map((t) => t.token);
    const stored = await prisma.session.findMany({ where: { shop: SHOP } });
    expect(links.length).toBeGreaterThan(0);
    expect(accessTokens.length).toBeGreaterThan(0);
    const secrets = [
      idToken,
      token,
      hmac,
      session,
      ...accessTokens,
      ...stored.flatMap((s) => [s.accessToken, s.refreshToken].filter((v): v is string => Boolean(v))),
      ...links.flatMap((l) => [l.url, l.token]),
    ];
    expect(secrets).toContain(url);

    const lines = await waitUntil(async () => {
      const mine = app.lines.slice(from);
      const requests = parsed(mine).filter((l) => l.msg === "request");
      return requests.some((l) => String(l.path).endsWith("/activation-url")) ? mine : null;
    }, "the request log lines");
    // The capture works: the request lines are there, with the parts that are not secret.
    const requests = parsed(lines).filter((l) => l.msg === "request");
    expect(requests).toContainEqual(
      expect.objectContaining({
        method: "GET",
        path: "/app",
        status: 200,
        query: expect.objectContaining({
          shop: SHOP,
          host: src.searchParams.get("host"),
          id_token: "[redacted]",
        }),
      }),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({
        method: "GET",
        path: asset,
        headers: expect.objectContaining({ referer: expect.stringContaining("id_token=[redacted]") }),
      }),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({
        method: "POST",
        path: `/api/customers/${encodeURIComponent(customer.id)}/activation-url`,
        status: 200,
        headers: expect.objectContaining({ authorization: "[redacted]" }),
      }),
    );
    // The token exchange and the link were logged too (so those paths were exercised with the capture on).
    expect(lines.length).toBeGreaterThan(requests.length);
    for (const secret of secrets) {
      for (const line of app.lines) expect(line, `a log line holds a credential`).not.toContain(secret);
    }
    for (const line of app.lines) expect(line).not.toContain("/account/activate/");
  });

  it("refuses an endless chunked upload with 413 once past the limit, on the JSON API, a form and a webhook", async () => {
    // Authenticated where the route checks first, so that the route goes on to read the body.
    const bearer = { Authorization: `Bearer ${await sessionToken()}` };
    for (const [path, headers] of [
      ["/api/campaigns", bearer],
      ["/app/settings", bearer],
      ["/webhooks/app/uninstalled", {}],
    ] as const) {
      const result = await endlessUpload(`${appUrl}${path}`, headers);
      expect(result.status, path).toBe(413);
      expect(result.sentBytes, path).toBeGreaterThan(bodyLimitFor(path).maxBytes);
      expect(result.connectionClosed, path).toBe(true);
    }
    expect(app.child.exitCode).toBeNull();
  });

  it("closes the connection of an upload nobody reads (answered before its body: a refused token)", async () => {
    const result = await endlessUpload(`${appUrl}/api/campaigns`, { Authorization: "Bearer not-a-token" });
    expect(result.status).toBe(401);
    expect(result.connectionClosed).toBe(true);
  });

  it("refuses a body above its family's limit on every route, formData() routes included", async () => {
    const routes = routeUrls();
    const formRoutes = routes.filter((r) => r.readsForm);
    expect(formRoutes.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        "/app/settings",
        "/app/campaigns/1",
        "/app/campaigns/new",
        "/app/links",
        "/app/links/1/confirm",
      ]),
    );
    expect(routes.length).toBeGreaterThan(20);
    for (const { path } of routes) {
      const limit = bodyLimitFor(path);
      expect([...BODY_LIMIT_FAMILIES, DEFAULT_BODY_LIMIT]).toContain(limit);
      expect(await declaredUpload(`${appUrl}${path}`, limit.maxBytes + 1), path).toBe(413);
    }
  });

  it("runs the compiled worker with plain node, which stops cleanly on SIGTERM", async () => {
    const worker = spawnNode([join(buildDirectory, "worker", "main.js")], appEnv(0));
    await waitUntil(async () => {
      if (worker.child.exitCode !== null) throw new Error(`the worker exited:\n${worker.lines.join("\n")}`);
      return worker.lines.some((l) => l.includes("invite worker started"));
    }, "the worker to start");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.lines.some((l) => l.includes("invite worker stopped"))).toBe(true);
  });

  // Last: it stops the server.
  it("drains on SIGTERM with a campaign sending: a request in flight is answered, exit 0, nothing left in `sending`", async () => {
    const { customers } = await control<{ customers: { id: string; state: string }[] }>(
      "GET",
      `customers?shop=${SHOP}&limit=100`,
    );
    const ids = customers.filter((c) => c.state === "DISABLED").map((c) => c.id);
    const created = await api("POST", "/api/campaigns", {
      customerIds: ids,
      idempotencyKey: "served-sigterm",
    });
    expect(created.status).toBe(202);
    const campaignId = (created.json.campaign as { id: string }).id;
    await waitUntil(
      async () =>
        (await control<{ emails: unknown[] }>("GET", `outbox?shop=${SHOP}`)).emails.length > 0 &&
        (await prisma.recipient.count({ where: { campaignId, status: "queued" } })) > 0,
      "the campaign to be sending",
    );

    // A request that takes a while (every Shopify answer delayed 800 ms) is in flight when SIGTERM comes.
    await control("POST", "faults", { shop: SHOP, latencyMs: 800 });
    const inFlight = api("GET", `/api/customers/${encodeURIComponent(ids[0]!)}/history`);
    await new Promise((r) => setTimeout(r, 200));
    app.child.kill("SIGTERM");
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(await app.exited).toEqual({ code: 0, signal: null });

    const byStatus = await prisma.recipient.groupBy({ by: ["status"], where: { campaignId }, _count: true });
    const counts = Object.fromEntries(byStatus.map((g) => [g.status, g._count]));
    expect(counts.sending ?? 0).toBe(0);
    // Stopped mid-way, and what was sent matches Shopify's outbox exactly.
    expect(counts.queued ?? 0).toBeGreaterThan(0);
    const outbox = (await control<{ emails: unknown[] }>("GET", `outbox?shop=${SHOP}`)).emails;
    expect(counts.sent ?? 0).toBe(outbox.length);
    const log = app.lines.join("\n");
    expect(log).toContain("shutting down: draining requests and the worker");
    expect(log).toContain("invite worker stopped");
    expect(log).toContain("shut down: requests drained, worker stopped, database closed");
  });
});

/**
 * A chunked POST that never ends by itself; resolves with the status, the bytes sent when the answer
 * came, and whether the server then closed the connection (within 10 s).
 */
function endlessUpload(url: string, headers: Record<string, string> = {}, chunkBytes = 65_536) {
  return new Promise<{ status: number; sentBytes: number; connectionClosed: boolean }>(
    (resolveUpload, reject) => {
      let sent = 0;
      let status = 0;
      let sentBytes = 0;
      const req = httpRequest(url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Transfer-Encoding": "chunked",
          "User-Agent": BROWSER_USER_AGENT,
          ...headers,
        },
      });
      const timer = setInterval(() => {
        if (req.destroyed) return;
        sent += chunkBytes;
        req.write(Buffer.alloc(chunkBytes, 0x61));
      }, 2);
      const giveUp = setTimeout(() => {
        clearInterval(timer);
        req.destroy();
        if (status) resolveUpload({ status, sentBytes, connectionClosed: false });
        else reject(new Error(`no answer from ${url} after ${sent} bytes`));
      }, 20_000);
      req.on("response", (res) => {
        status = res.statusCode ?? 0;
        sentBytes = sent;
        res.resume();
      });
      // The server closing the socket (FIN or reset) ends the upload: that is the point.
      req.on("close", () => {
        clearInterval(timer);
        clearTimeout(giveUp);
        if (status) resolveUpload({ status, sentBytes, connectionClosed: true });
        else reject(new Error(`${url} closed the connection without an answer after ${sent} bytes`));
      });
      req.on("error", () => {});
    },
  );
}

/** A POST declaring `bytes` of body (Content-Length); resolves with the status, whatever happens to the rest. */
function declaredUpload(url: string, bytes: number) {
  return new Promise<number>((resolveUpload, reject) => {
    const req = httpRequest(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": String(bytes),
        "User-Agent": BROWSER_USER_AGENT,
      },
    });
    req.on("response", (res) => {
      res.resume();
      resolveUpload(res.statusCode ?? 0);
    });
    // The server refuses without reading: writing the rest may fail (EPIPE, reset) once it has answered.
    req.on("error", (error) => setTimeout(() => reject(error), 1_000));
    req.write(Buffer.alloc(Math.min(bytes, 65_536), 0x61));
  });
}

/**
 * A URL for every route module in app/routes (Remix flat routes: dots are slashes, `$param` a value,
 * `_index` the parent, `$` a splat), and whether the module reads a form itself.
 */
function routeUrls(): { path: string; readsForm: boolean }[] {
  const dir = join(root, "app", "routes");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.includes(".test."))
    .map((entry) => {
      const file = entry.isDirectory() ? join(dir, entry.name, "route.tsx") : join(dir, entry.name);
      const name = entry.isDirectory() ? entry.name : entry.name.replace(/\.tsx?$/, "");
      const segments = name
        .split(".")
        .filter((s) => s !== "_index" && !s.startsWith("_"))
        .map((s) => (s === "$" ? "anything" : s.startsWith("$") ? "1" : s.replace(/_$/, "")));
      const source = readFileSync(file, "utf8");
      return { path: `/${segments.join("/")}`, readsForm: source.includes("formData()") };
    });
}
