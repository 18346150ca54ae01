import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderCustomersPage } from "../../emulator/admin/localAdmin";
import { collectConsoleErrors, launchBrowser, newMerchantContext, screenshot } from "./support/browser";

// The local admin's extension host (emulator/admin/extensionHost.js) running the real built bundle of
// "Send account invites" against a fake app backend: no emulator, no app, only what the host promises
// (the shopify global, authenticated fetch to the app's URL, readable s-* elements, app: links).

const bundle = resolve("extensions/send-account-invites/dist/send-account-invites.js");
const locale = JSON.parse(
  readFileSync(resolve("extensions/send-account-invites/locales/en.default.json"), "utf8"),
);
const TOKEN = "session-token-for-the-test";

let admin: Server;
let app: Server;
let adminUrl: string;
let browser: Browser;
const appCalls: { method: string; path: string; authorization: string | null; body: unknown }[] = [];

function listen(server: Server): Promise<string> {
  return new Promise((done) =>
    server.listen(0, "127.0.0.1", () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : null;
}

/** What @shopify/shopify-app-remix's authenticate.admin + cors() answer to an extension's request. */
function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
  });
  res.end(JSON.stringify(body));
}

let polls = 0;
async function fakeApp(req: IncomingMessage, res: ServerResponse) {
  if (req.method === "OPTIONS") return sendJson(res, 204, null);
  const body = await readBody(req);
  const authorization = req.headers.authorization ?? null;
  appCalls.push({ method: req.method ?? "", path: req.url ?? "", authorization, body });
  if (authorization !== `Bearer ${TOKEN}`) return sendJson(res, 401, { error: "Unauthorized" });
  const counts = { queued: 0, sending: 0, sent: 0, skipped: 0, failed: 0 };
  if (req.url === "/api/invites/preview") {
    const ids = (body as { customerIds: string[] }).customerIds;
    return sendJson(res, 200, {
      customers: ids.map((customerId, index) =>
        index === 0
          ? { customerId, eligible: false, reason: "ACCOUNT_ENABLED" }
          : { customerId, eligible: true },
      ),
      summary: { eligible: ids.length - 1, skipped: 1, byReason: { ACCOUNT_ENABLED: 1 } },
      emailDefaults: { subject: "Activate your account", customMessage: null },
    });
  }
  if (req.url === "/api/campaigns") {
    return sendJson(res, 202, {
      campaign: { id: "c1", status: "queued", total: 3, counts: { ...counts, queued: 2, skipped: 1 } },
    });
  }
  if (req.url === "/api/campaigns/c1") {
    polls++;
    const done = polls > 1;
    return sendJson(res, 200, {
      campaign: {
        id: "c1",
        status: done ? "completed" : "running",
        total: 3,
        counts: done ? { ...counts, sent: 2, skipped: 1 } : { ...counts, sent: 1, sending: 1, skipped: 1 },
      },
    });
  }
  return sendJson(res, 404, { error: "Not found" });
}

beforeAll(async () => {
  if (!existsSync(bundle)) {
    execFileSync("npx", ["shopify", "app", "build", "--skip-dependencies-installation"], {
      stdio: ["ignore", "ignore", "inherit"],
      timeout: 300_000,
    });
  }
  app = createServer((req, res) => void fakeApp(req, res));
  const appUrl = await listen(app);
  admin = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://admin");
    if (url.pathname === "/extension-host.js" || url.pathname === "/bundle.js") {
      const file = url.pathname === "/bundle.js" ? bundle : resolve("emulator/admin/extensionHost.js");
      res.writeHead(200, { "Content-Type": "text/javascript", "Access-Control-Allow-Origin": "*" });
      return res.end(readFileSync(file));
    }
    if (url.pathname === "/session-token" && req.method === "POST") {
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end(
        JSON.stringify({ token: TOKEN, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
      );
    }
    const html = renderCustomersPage({
      shop: "demo.myshopify.com",
      shopName: "Demo",
      appName: "Account Invites",
      appBasePath: "/store/demo/apps/account-invites",
      customersPath: "/customers",
      customers: [1, 2, 3].map((n) => ({
        id: `gid://shopify/Customer/${n}`,
        firstName: `Customer${n}`,
        lastName: "Test",
        email: `c${n}@example.com`,
        state: "DISABLED",
        tags: [],
      })),
      query: "",
      nextPage: null,
      previousPage: null,
      totalCount: 3,
      extensions: [
        {
          target: "admin.customer-index.selection-action.render",
          label: "Send account invites",
          bundleUrl: "/bundle.js",
          locale,
        },
      ],
      extensionHost: { scriptPath: "/extension-host.js", appUrl, sessionTokenPath: "/session-token" },
    });
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(html);
  });
  adminUrl = `${await listen(admin)}/customers`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => app?.close(done));
  await new Promise((done) => admin?.close(done));
});

describe("the local admin's extension host", () => {
  it("runs the built Send account invites bundle on the selected customers", async () => {
    const context = await newMerchantContext(browser);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(adminUrl);

    for (const name of ["Select Customer1 Test", "Select Customer2 Test", "Select Customer3 Test"]) {
      await page.getByRole("checkbox", { name }).check();
    }
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Send account invites" }).click();

    const dialog = page.frameLocator('iframe[title="Send account invites"]');
    await expect
      .poll(() => dialog.getByText("2 will be invited, 1 skipped").isVisible(), { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => dialog.getByText("Account already active: 1").isVisible()).toBe(true);
    await expect.poll(() => dialog.getByLabel("Subject").inputValue()).toBe("Activate your account");
    await screenshot(page, "extension-host-01-preview");

    await dialog.getByLabel("Custom message").fill("Welcome!");
    await dialog.getByRole("button", { name: "Send 2 invites" }).click();
    await expect.poll(() => dialog.getByText("2 of 3 sent").isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => dialog.getByText("Completed").isVisible()).toBe(true);
    await screenshot(page, "extension-host-02-progress");

    expect(appCalls.every((call) => call.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const send = appCalls.find((call) => call.path === "/api/campaigns");
    expect(send?.body).toEqual({
      customerIds: ["gid://shopify/Customer/1", "gid://shopify/Customer/2", "gid://shopify/Customer/3"],
      email: { subject: "Activate your account", customMessage: "Welcome!" },
      idempotencyKey: expect.any(String),
    });

    await dialog.getByRole("link", { name: "View campaign in Account Invites" }).click();
    await page.waitForURL(/\/store\/demo\/apps\/account-invites\/campaigns\/c1$/);
    expect(errors.filter((error) => !error.includes("/store/demo/apps"))).toEqual([]);
    await context.close();
  });
});
