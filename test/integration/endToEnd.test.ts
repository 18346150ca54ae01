import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { startAppServer, type TestAppServer } from "../support/appServer";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { signSessionToken } from "../support/sessionToken";
import { BROWSER_USER_AGENT } from "../testEnv";

// The app served over HTTP (every route, as `remix vite:dev` builds it) and the emulator calling it:
// the way Shopify and the app meet in production, with nothing of either replaced.
const shop = "end-to-end.myshopify.com";
let app: TestAppServer;
let emulator: TestEmulator;

interface Delivery {
  topic: string;
  status: "pending" | "delivered" | "failed";
  attempts: { status: number | null }[];
}

beforeAll(async () => {
  app = await startAppServer();
  emulator = await startTestEmulator({ appUrl: app.url });
  await emulator.createShop({ domain: shop, customers: 20, seed: 7 });
});
afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

describe("the app against the local Shopify, end to end over HTTP", () => {
  it("installs by token exchange, reads the shop through admin.graphql, and renders the page", async () => {
    const url = new URL("/app", app.url);
    url.search = new URLSearchParams({
      embedded: "1",
      shop,
      host: Buffer.from(`admin.shopify.com/store/end-to-end`).toString("base64url"),
      id_token: signSessionToken({ shop }),
    }).toString();
    const response = await fetch(url, { headers: { "User-Agent": BROWSER_USER_AGENT } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain(shop);
    expect(html).toContain("Legacy customer accounts");
    // (The layout's and the page's loaders run in parallel on a first visit: each may exchange once.)
    const exchanges = await emulator.tokenExchanges(shop);
    expect(exchanges).toBeGreaterThanOrEqual(1);
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
    // A later visit uses the stored session.
    await fetch(url, { headers: { "User-Agent": BROWSER_USER_AGENT } });
    expect(await emulator.tokenExchanges(shop)).toBe(exchanges);
  });

  it("receives an HMAC-signed app/uninstalled webhook from Shopify, verifies it and removes the sessions", async () => {
    // WHEN the merchant uninstalls the app in (emulated) Shopify admin
    await emulator.control("POST", `shops/${shop}/uninstall`);
    // THEN the webhook reaches the app's route, which verifies the HMAC and answers 200
    const deliveries = await waitForDelivery("app/uninstalled");
    expect(deliveries.status).toBe("delivered");
    expect(deliveries.attempts.at(-1)?.status).toBe(200);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });

  it("answers 401 to a webhook signed with another secret", async () => {
    // The emulator signs with the app's secret; a forged request straight to the app must be refused.
    const response = await fetch(new URL("/webhooks/customers/redact", app.url), {
      method: "POST",
      body: JSON.stringify({ shop_domain: shop, customer: { id: 1 } }),
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "customers/redact",
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": "forged",
        "X-Shopify-Event-Id": "forged",
        "X-Shopify-Triggered-At": new Date().toISOString(),
        "X-Shopify-Hmac-Sha256": "Zm9yZ2Vk",
      },
    });
    expect(response.status).toBe(401);
  });

  it("acknowledges the compliance webhooks Shopify sends", async () => {
    for (const topic of ["customers/data_request", "customers/redact", "shop/redact"]) {
      await emulator.control("POST", "webhooks/trigger", { shop, topic });
      const delivery = await waitForDelivery(topic);
      expect({ topic, status: delivery.status }).toEqual({ topic, status: "delivered" });
    }
  });
});

async function waitForDelivery(topic: string): Promise<Delivery> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { deliveries } = await emulator.control<{ deliveries: Delivery[] }>(
      "GET",
      `webhooks/deliveries?shop=${encodeURIComponent(shop)}&topic=${encodeURIComponent(topic)}`,
    );
    const last = deliveries.at(-1);
    if (last && last.status !== "pending") return last;
    if (Date.now() > deadline) throw new Error(`no ${topic} delivery settled: ${JSON.stringify(deliveries)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
