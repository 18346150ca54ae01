import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { type Server, createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { BODY_LIMIT_FAMILIES, DEFAULT_BODY_LIMIT, bodyLimitFor } from "~/server/bodyLimits.server";
import { createServerApp } from "~/server/productionServer.server";
import type { Logger } from "~/utils/logger.server";

// The production server's own layer, in-process, with a stand-in for the Remix handler (the served
// build is tested in test/server/productionServer.test.ts): body limits while reading, the request log,
// /healthz, static assets.

interface Seen {
  path: string;
  bodyBytes?: number;
  bodyError?: string;
}

const seen: Seen[] = [];
const logLines: Record<string, unknown>[] = [];
let databaseOk = true;
let server: Server;
let base: string;
let startDraining: () => void;

function memoryLogger(): Logger {
  return pino(
    { level: "debug" },
    {
      write: (line: string) => {
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  ) as unknown as Logger;
}

beforeAll(async () => {
  const client = mkdtempSync(join(tmpdir(), "client-"));
  mkdirSync(join(client, "assets"));
  writeFileSync(join(client, "assets", "entry-abc123.js"), "console.log(1)");
  writeFileSync(join(client, "favicon.ico"), "icon");
  const built = createServerApp({
    clientDirectory: client,
    databaseAnswers: async () => databaseOk,
    logger: memoryLogger(),
    // Reads the body the way a route does (request.text(), formData()).
    handle: async (request) => {
      const entry: Seen = { path: new URL(request.url).pathname };
      seen.push(entry);
      try {
        entry.bodyBytes = new TextEncoder().encode(await request.text()).byteLength;
      } catch (error) {
        entry.bodyError = (error as Error).name;
        return new Response("unreadable", { status: 400 });
      }
      return new Response(`read ${entry.bodyBytes}`, {
        status: 200,
        headers: { "Content-Type": "text/plain" },
      });
    },
  });
  startDraining = built.startDraining;
  server = createServer(built.app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  seen.length = 0;
  logLines.length = 0;
});

/**
 * A chunked upload that sends `chunkBytes` every few milliseconds and never ends by itself; resolves with
 * the status and how many bytes had been sent when the answer came.
 */
function endlessUpload(path: string, chunkBytes = 32_768) {
  return new Promise<{ status: number; sentBytes: number; body: string }>((resolve, reject) => {
    let sent = 0;
    const req = httpRequest(`${base}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
    });
    req.on("response", (res) => {
      clearInterval(timer);
      const sentBytes = sent;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, sentBytes, body });
      });
    });
    req.on("error", (error) => {
      clearInterval(timer);
      reject(error);
    });
    const timer = setInterval(() => {
      sent += chunkBytes;
      req.write(Buffer.alloc(chunkBytes, 0x61));
    }, 2);
  });
}

describe("body limits", () => {
  it("cover every route family, and the JSON API's limit fits its largest legitimate body", () => {
    expect(bodyLimitFor("/api/campaigns").name).toBe("json-api");
    expect(bodyLimitFor("/api/customers/1/activation-url").name).toBe("json-api");
    expect(bodyLimitFor("/webhooks/app/uninstalled").name).toBe("webhooks");
    expect(bodyLimitFor("/webhooks/customers/redact").name).toBe("webhooks");
    expect(bodyLimitFor("/flow/actions/send-invite").name).toBe("flow");
    expect(bodyLimitFor("/app").name).toBe("pages");
    expect(bodyLimitFor("/app.data").name).toBe("pages");
    expect(bodyLimitFor("/app/settings").name).toBe("pages");
    expect(bodyLimitFor("/app/campaigns/new.data").name).toBe("pages");
    expect(bodyLimitFor("/apps-elsewhere").name).toBe("other");
    expect(bodyLimitFor("/auth/login").name).toBe("other");
    // 5,000 customer GIDs and a 5,000-character message (escaped as \uXXXX at worst).
    const largest = JSON.stringify({
      customerIds: Array.from({ length: 5_000 }, (_, i) => `gid://shopify/Customer/${9_000_000_000_000 + i}`),
      email: { subject: "s".repeat(255), customMessage: "\u2028".repeat(5_000) },
      idempotencyKey: "k".repeat(100),
    });
    expect(new TextEncoder().encode(largest).byteLength).toBeLessThan(
      bodyLimitFor("/api/campaigns").maxBytes,
    );
    for (const family of [...BODY_LIMIT_FAMILIES, DEFAULT_BODY_LIMIT])
      expect(family.why.length).toBeGreaterThan(10);
  });

  it("refuses a Content-Length above the limit at once: the handler never runs", async () => {
    const response = await fetch(`${base}/api/campaigns`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: "https://extensions.shopifycdn.com" },
      body: "x".repeat(1_000_001),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toEqual({
      error: "The request body is too large.",
      fieldErrors: {},
      maxBytes: 1_000_000,
    });
    expect(seen).toEqual([]);
  });

  it("answers 413 to a chunked upload that never ends, once it crosses the limit", async () => {
    const result = await endlessUpload("/app/settings");
    expect(result.status).toBe(413);
    expect(result.body).toContain("The request body is too large.");
    // Answered soon after the limit (256 KB for pages): the body was never read whole, it has no whole.
    expect(result.sentBytes).toBeGreaterThan(256_000);
    expect(result.sentBytes).toBeLessThan(4_000_000);
    // The route's reader saw an error, never a truncated body passed off as complete.
    expect(seen).toEqual([{ path: "/app/settings", bodyError: expect.any(String) }]);
    await vi.waitFor(() =>
      expect(logLines.find((l) => l.msg === "request")).toMatchObject({
        method: "POST",
        path: "/app/settings",
        status: 413,
      }),
    );
  });

  it("passes a body under the limit through whole, chunked or not", async () => {
    const plain = await fetch(`${base}/webhooks/app/uninstalled`, {
      method: "POST",
      body: "y".repeat(300_000),
    });
    expect(await plain.text()).toBe("read 300000");
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(10_000).fill(0x62));
        controller.close();
      },
    });
    const chunked = await fetch(`${base}/api/invites/preview`, {
      method: "POST",
      body: chunks,
      duplex: "half",
    } as RequestInit);
    expect(await chunked.text()).toBe("read 100000");
  });

  it("applies the smallest limit to paths outside the families", async () => {
    const response = await fetch(`${base}/auth/login`, { method: "POST", body: "z".repeat(64_001) });
    expect(response.status).toBe(413);
  });
});

describe("request log", () => {
  it("writes one line per request: method, path, redacted query, status, duration, no body, no credentials", async () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJkZXN0IjoiaHR0cHM6Ly9hLm15c2hvcGlmeS5jb20ifQ.c2lnbmF0dXJl";
    const query = new URLSearchParams({
      embedded: "1",
      hmac: "7f3a9b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8",
      host: "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZGVtbw",
      id_token: jwt,
      locale: "en",
      session: "0a1b2c3d4e5f",
      shop: "demo.myshopify.com",
      timestamp: "1796000000",
      code: "oauth-code",
      state: "oauth-state",
    });
    const response = await fetch(`${base}/app?${query}`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${jwt}`,
        Cookie: "shopify_app_session=abc",
        "X-Shopify-Hmac-Sha256": "c2VjcmV0LWhtYWM=",
        Referer: `https://admin.shopify.com/store/demo?id_token=${jwt}`,
        "User-Agent": "Mozilla/5.0 test",
      },
      body: "the body is never logged",
    });
    expect(response.status).toBe(200);
    await response.text();
    // Written once the answer is sent, which may be a moment after the client has read it.
    const lines = await vi.waitFor(() => {
      const found = logLines.filter((l) => l.msg === "request");
      expect(found).toHaveLength(1);
      return found;
    });
    const line = lines[0]!;
    expect(line).toMatchObject({
      method: "POST",
      path: "/app",
      status: 200,
      query: {
        embedded: "1",
        host: "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZGVtbw",
        shop: "demo.myshopify.com",
        locale: "en",
        hmac: "[redacted]",
        id_token: "[redacted]",
        session: "[redacted]",
        code: "[redacted]",
        state: "[redacted]",
      },
      headers: {
        authorization: "[redacted]",
        cookie: "[redacted]",
        "x-shopify-hmac-sha256": "[redacted]",
        "user-agent": "Mozilla/5.0 test",
      },
    });
    expect(typeof line.durationMs).toBe("number");
    const text = JSON.stringify(line);
    for (const secret of [
      jwt,
      "7f3a9b2c4d5e",
      "0a1b2c3d4e5f",
      "oauth-code",
      "oauth-state",
      "c2VjcmV0LWhtYWM=",
      "abc",
      "never logged",
    ])
      expect(text).not.toContain(secret);
  });
});

describe("/healthz and static files", () => {
  it("answers 200 when the database answers, 503 when it does not", async () => {
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok" });
    databaseOk = false;
    const down = await fetch(`${base}/healthz`);
    databaseOk = true;
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "database unavailable" });
  });

  it("serves hashed assets as immutable, other files for an hour, a missing asset as 404", async () => {
    const asset = await fetch(`${base}/assets/entry-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const icon = await fetch(`${base}/favicon.ico`);
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect(seen).toEqual([]);
    await vi.waitFor(() => expect(logLines).toHaveLength(3));
    // The log names the path the client asked for (Express rewrites it inside the /assets mount).
    expect(logLines.map((l) => l.path)).toContain("/assets/entry-abc123.js");
  });

  // Last: draining cannot be undone.
  it("answers 503 and closes connections once draining", async () => {
    startDraining();
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "shutting down" });
    expect(response.headers.get("connection")).toBe("close");
  });
});
