import "@shopify/shopify-api/adapters/node";
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Emulator } from "../src/server";
import {
  API_KEY,
  API_SECRET,
  control,
  SHOP,
  shopWithClient,
  startEmulator,
  type ShopClient,
} from "./helpers";

interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  valid: unknown;
}

const shopify = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET,
  apiVersion: ApiVersion.October26,
  hostName: "app.example.com",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error, log: async () => {} },
});

let receiver: Server;
let received: Received[] = [];
let failuresLeft = 0;
let emulator: Emulator;
let client: ShopClient;

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    if (failuresLeft > 0) {
      failuresLeft--;
      res.writeHead(500).end("boom");
      return;
    }
    const valid = await shopify.webhooks.validate({ rawBody: body, rawRequest: req, rawResponse: res });
    received.push({ path: req.url ?? "", headers: req.headers, body, valid });
    res.writeHead(200).end("ok");
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const appUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  emulator = await startEmulator({
    appUrl,
    webhooks: {
      "customers/update": "/webhooks/customers/update",
      "customers/create": "/webhooks/customers/create",
    },
    webhookRetry: { maxAttempts: 3, baseDelayMs: 20, timeoutMs: 2000 },
  });
  client = await shopWithClient(emulator, { customers: 60, seed: 2 });
});
beforeEach(() => {
  received = [];
  failuresLeft = 0;
});
afterAll(async () => {
  await emulator.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function firstDisabled(): Promise<string> {
  const list = await control(emulator, "GET", `customers?shop=${SHOP}&query=state:disabled email:*`);
  return list.customers[0].id;
}

describe("webhooks", () => {
  it("sends customers/update with headers and an HMAC that shopify-api accepts when an invite changes the state", async () => {
    const id = await firstDisabled();
    await client.gql(
      `mutation { customerSendAccountInviteEmail(customerId: "${id}") { userErrors { message } } }`,
    );
    await emulator.settleWebhooks();
    expect(received).toHaveLength(1);
    const [hook] = received;
    expect(hook!.path).toBe("/webhooks/customers/update");
    expect(hook!.headers).toMatchObject({
      "content-type": "application/json",
      "x-shopify-topic": "customers/update",
      "x-shopify-shop-domain": SHOP,
      "x-shopify-api-version": "2026-10",
      "x-shopify-webhook-id": expect.any(String),
      "x-shopify-event-id": expect.any(String),
      "x-shopify-triggered-at": expect.any(String),
    });
    const expected = createHmac("sha256", API_SECRET).update(hook!.body).digest("base64");
    expect(hook!.headers["x-shopify-hmac-sha256"]).toBe(expected);
    expect(hook!.valid).toMatchObject({ valid: true, topic: "CUSTOMERS_UPDATE", domain: SHOP });
    const payload = JSON.parse(hook!.body);
    expect(payload).toMatchObject({
      id: Number(id.split("/").pop()),
      admin_graphql_api_id: id,
      state: "invited",
      email: expect.any(String),
      first_name: expect.any(String),
      last_name: expect.any(String),
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    // Since 2025-01 customer payloads carry no tags and no marketing consent.
    expect(payload).not.toHaveProperty("tags");
    expect(payload).not.toHaveProperty("email_marketing_consent");
  });

  it("sends customers/create for customerCreate and nothing for an unsubscribed topic", async () => {
    await client.gql(
      `mutation { customerCreate(input: { email: "new.one@example.com" }) { userErrors { message } } }`,
    );
    const target = (await control(emulator, "GET", `customers?shop=${SHOP}&query=email:new.one@example.com`))
      .customers[0].id;
    await client.gql(`mutation { customerDelete(input: { id: "${target}" }) { userErrors { message } } }`);
    await emulator.settleWebhooks();
    expect(received.map((r) => r.headers["x-shopify-topic"])).toEqual(["customers/create"]);
  });

  it("retries a failing receiver with back-off and records every attempt", async () => {
    failuresLeft = 2;
    const id = await firstDisabled();
    await client.gql(
      `mutation { customerSendAccountInviteEmail(customerId: "${id}") { userErrors { message } } }`,
    );
    await emulator.settleWebhooks();
    expect(received).toHaveLength(1);
    const { deliveries } = await control(
      emulator,
      "GET",
      `webhooks/deliveries?shop=${SHOP}&topic=customers/update`,
    );
    const last = deliveries[deliveries.length - 1];
    expect(last.status).toBe("delivered");
    expect(last.attempts.map((a: { status: number }) => a.status)).toEqual([500, 500, 200]);
  });

  it("gives up after the bounded number of attempts", async () => {
    failuresLeft = 10;
    const id = await firstDisabled();
    await client.gql(
      `mutation { customerSendAccountInviteEmail(customerId: "${id}") { userErrors { message } } }`,
    );
    await emulator.settleWebhooks();
    const { deliveries } = await control(emulator, "GET", `webhooks/deliveries?shop=${SHOP}`);
    const last = deliveries[deliveries.length - 1];
    expect(last.status).toBe("failed");
    expect(last.attempts).toHaveLength(3);
  });

  it("triggers compliance topics and app/uninstalled from the control API", async () => {
    const customerId = await firstDisabled();
    for (const topic of ["customers/data_request", "customers/redact", "shop/redact", "app/uninstalled"]) {
      const result = await control(emulator, "POST", "webhooks/trigger", {
        shop: SHOP,
        topic,
        customerId,
        wait: true,
      });
      expect(result.status).toBe(202);
    }
    expect(received.map((r) => r.path)).toEqual([
      "/webhooks/customers/data_request",
      "/webhooks/customers/redact",
      "/webhooks/shop/redact",
      "/webhooks/app/uninstalled",
    ]);
    expect(received.every((r) => (r.valid as { valid: boolean }).valid)).toBe(true);
    expect(JSON.parse(received[1]!.body)).toMatchObject({
      shop_domain: SHOP,
      customer: { id: Number(customerId.split("/").pop()) },
      orders_to_redact: [],
    });
    expect(JSON.parse(received[3]!.body)).toMatchObject({ myshopify_domain: SHOP });
  });
});
