import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { subscriptionsFromToml } from "../src/appToml";
import type { Emulator } from "../src/server";
import { includeFields, matchesWebhookFilter } from "../src/webhookFilter";
import { control, SHOP, shopWithClient, startEmulator, type ShopClient } from "./helpers";

// customers/create, customers/update and customers/enable as Shopify sends them to the app's own
// subscriptions (shopify.app.toml): REST payloads without tags, the toml's filter and include_fields.

interface Received {
  topic: string;
  payload: Record<string, unknown>;
}

let receiver: Server;
let received: Received[] = [];
let emulator: Emulator;
let client: ShopClient;

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    received.push({ topic: String(req.headers["x-shopify-topic"]), payload: JSON.parse(body) });
    res.writeHead(200).end("ok");
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  emulator = await startEmulator({
    appUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    webhooks: subscriptionsFromToml("shopify.app.toml"),
    webhookRetry: { maxAttempts: 3, baseDelayMs: 20, timeoutMs: 2000 },
  });
  client = await shopWithClient(emulator, { customers: 10, seed: 3 });
});
beforeEach(() => {
  received = [];
});
afterAll(async () => {
  await emulator.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

describe("customer webhooks to the app's subscriptions", () => {
  it("reads the toml's subscriptions with their filter and include_fields", () => {
    const subscriptions = subscriptionsFromToml("shopify.app.toml");
    expect(subscriptions["customers/update"]).toEqual({
      path: "/webhooks/customers/update",
      filter: "state:declined OR state:enabled",
      includeFields: ["id", "admin_graphql_api_id", "state", "updated_at"],
    });
    expect(subscriptions["customers/create"]?.includeFields).toContain("created_at");
  });

  it("sends customers/create for an import, with only the included fields and no tags", async () => {
    await control(emulator, "POST", `shops/${SHOP}/customers`, {
      customers: [
        { email: "a@example.com", tags: ["wholesale"] },
        { email: "b@example.com", state: "ENABLED" },
      ],
      webhooks: true,
    });
    await emulator.settleWebhooks();
    expect(received.map((r) => r.topic)).toEqual(["customers/create", "customers/create"]);
    const [first] = received;
    expect(Object.keys(first!.payload).sort()).toEqual(["admin_graphql_api_id", "created_at", "id", "state"]);
    expect(first!.payload).toMatchObject({ state: "disabled", id: expect.any(Number) });
    expect(first!.payload.admin_graphql_api_id).toBe(`gid://shopify/Customer/${first!.payload.id}`);
  });

  it("filters customers/update: an invite (INVITED) sends nothing, an activation sends update and enable", async () => {
    const { customers } = await control(
      emulator,
      "GET",
      `customers?shop=${SHOP}&query=state:disabled email:*`,
    );
    const id = customers[0].id as string;
    await client.gql(
      `mutation { customerSendAccountInviteEmail(customerId: "${id}") { userErrors { message } } }`,
    );
    await emulator.settleWebhooks();
    expect(received).toEqual([]);

    const activated = await control(
      emulator,
      "POST",
      `customers/${encodeURIComponent(id)}/activate?shop=${SHOP}`,
    );
    expect(activated.state).toBe("ENABLED");
    await emulator.settleWebhooks();
    expect(received.map((r) => r.topic)).toEqual(["customers/update", "customers/enable"]);
    expect(received[1]!.payload).toMatchObject({ admin_graphql_api_id: id, state: "enabled" });
    expect(received[1]!.payload).not.toHaveProperty("email");
  });

  it("declines through the invite's link, and refuses without a valid link", async () => {
    const { customers } = await control(
      emulator,
      "GET",
      `customers?shop=${SHOP}&query=state:disabled email:*`,
    );
    const [invited, never] = customers as { id: string }[];
    await client.gql(
      `mutation { customerSendAccountInviteEmail(customerId: "${invited!.id}") { userErrors { message } } }`,
    );
    await control(emulator, "POST", `customers/${encodeURIComponent(invited!.id)}/decline?shop=${SHOP}`);
    await emulator.settleWebhooks();
    expect(received.map((r) => [r.topic, r.payload.state])).toEqual([["customers/update", "declined"]]);
    const refused = await control(
      emulator,
      "POST",
      `customers/${encodeURIComponent(never!.id)}/activate?shop=${SHOP}`,
    );
    expect(refused).toMatchObject({
      status: 409,
      errors: "The customer has no valid invite or activation link",
    });
  });
});

describe("webhook filters", () => {
  it("evaluates search syntax on the payload", () => {
    const payload = { id: 1, state: "declined", total: "12.50", addresses: [{ country_code: "FR" }] };
    expect(matchesWebhookFilter("state:declined OR state:enabled", payload)).toBe(true);
    expect(matchesWebhookFilter("state:enabled", payload)).toBe(false);
    expect(matchesWebhookFilter("id:* AND (state:invited OR addresses.country_code:fr)", payload)).toBe(true);
    expect(matchesWebhookFilter("total:>=10 -state:declined", payload)).toBe(false);
    expect(matchesWebhookFilter("NOT state:enabled", payload)).toBe(true);
  });

  it("keeps only the included fields", () => {
    expect(includeFields({ id: 1, email: "x", nested: { a: 1, b: 2 } }, ["id", "nested.a"])).toEqual({
      id: 1,
      nested: { a: 1 },
    });
  });
});
