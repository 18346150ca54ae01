import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../src/server";
import { control, SHOP, shopWithClient, startEmulator, VERSION, type ShopClient } from "./helpers";

let emulator: Emulator;
let client: ShopClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = await shopWithClient(emulator, { customers: 5 });
});
afterAll(() => emulator.close());

describe("fault injection on Admin GraphQL", () => {
  it("answers every request with a 503 at errorRate 1, and the control API keeps working", async () => {
    await control(emulator, "POST", "faults", { shop: SHOP, errorRate: 1 });
    const result = await client.gql("{ shop { id } }");
    expect(result.status).toBe(503);
    expect(result.json).toEqual({ errors: "Service Unavailable" });
    expect((await control(emulator, "GET", `shops/${SHOP}`)).status).toBe(200);
    await control(emulator, "DELETE", `faults?shop=${SHOP}`);
    expect((await client.gql("{ shop { id } }")).status).toBe(200);
  });

  it("throttles the next N requests whatever the bucket holds", async () => {
    await control(emulator, "POST", "faults", { shop: SHOP, throttleBurst: { count: 2 } });
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push((await client.gql("{ shop { id } }")).json.errors?.[0]?.extensions.code ?? "OK");
    expect(codes).toEqual(["THROTTLED", "THROTTLED", "OK"]);
  });

  it("holds a request then drops the connection on a timeout fault, or answers 504", async () => {
    await control(emulator, "POST", "faults", { shop: SHOP, timeoutRate: 1, timeoutMs: 50 });
    const started = Date.now();
    await expect(client.gql("{ shop { id } }")).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    await control(emulator, "POST", "faults", { shop: SHOP, timeoutMode: "504" });
    expect((await client.gql("{ shop { id } }")).status).toBe(504);
    await control(emulator, "POST", "faults", { shop: SHOP, clear: true });
  });

  it("adds latency and counts faults in the stats", async () => {
    await control(emulator, "POST", "faults", { shop: SHOP, latencyMs: 40 });
    const started = Date.now();
    expect((await client.gql("{ shop { id } }")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    await control(emulator, "POST", "faults", { shop: SHOP, clear: true });
    const stats = await control(emulator, "GET", `stats?shop=${SHOP}`);
    expect(stats).toMatchObject({ faults5xx: 1, faultTimeouts: 2, throttled: 2 });
  });

  it("takes a running request's points when it starts and answers after its execution time", async () => {
    // GIVEN two mutations of 10 points each (aliases), 150 ms per mutation, on a slow-restoring bucket
    const domain = "execution-time.myshopify.com";
    const shop = await shopWithClient(emulator, {
      domain,
      customers: 2,
      custom: { maximumAvailable: 1_000, restoreRate: 1 },
    });
    await control(emulator, "POST", "faults", { shop: domain, executionMs: 20, executionMsPerMutation: 150 });
    const ids = (await control(emulator, "GET", `customers?shop=${domain}`)).customers.map(
      (c: { id: string }) => c.id,
    );
    const invite = (alias: string, id: string) =>
      `${alias}: customerSendAccountInviteEmail(customerId: "${id}") { customer { id } userErrors { message } }`;
    const started = Date.now();
    // WHEN the request runs
    const answer = shop.gql(`mutation Two { ${invite("a", ids[0])} ${invite("b", ids[1])} }`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const during = await control(emulator, "GET", `shops/${domain}`);
    const [result, outboxDuring] = [await answer, during.stats.mutations];
    // THEN its 20 points were out of the bucket while it ran, nothing had executed yet, and it answered
    // after 20 + 2 × 150 ms with both invites sent
    expect(during.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(980);
    expect(outboxDuring).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(result.json.extensions.cost).toMatchObject({ requestedQueryCost: 20, actualQueryCost: 20 });
    expect(result.json.data.a.userErrors).toEqual([]);
    expect((await control(emulator, "GET", `outbox?shop=${domain}`)).emails).toHaveLength(2);
    // AND a query runs for the base time only
    const queryStarted = Date.now();
    expect((await shop.gql("{ shop { id } }")).status).toBe(200);
    expect(Date.now() - queryStarted).toBeGreaterThanOrEqual(15);
    await control(emulator, "POST", "faults", { shop: domain, clear: true });
  });

  it("mixes errors at a seeded rate", async () => {
    await control(emulator, "POST", "faults", { shop: SHOP, errorRate: 0.5, seed: 7 });
    const statuses = [];
    for (let i = 0; i < 40; i++) statuses.push((await client.gql("{ shop { id } }")).status);
    await control(emulator, "POST", "faults", { shop: SHOP, clear: true });
    const failures = statuses.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(32);
  });
});

describe("control API", () => {
  it("resets everything", async () => {
    const other = await startEmulator();
    other.createShop({ domain: "gone.myshopify.com", customers: 2 });
    expect((await control(other, "POST", "reset", {})).ok).toBe(true);
    expect((await control(other, "GET", "shops")).shops).toEqual([]);
    await other.close();
  });

  it("signs session tokens for a shop and refuses unknown shops", async () => {
    const result = await control(emulator, "POST", "session-token", { shop: SHOP, sub: "7" });
    expect(result.token.split(".")).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(result.token.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, sub: "7" });
    expect((await control(emulator, "POST", "session-token", { shop: "nope.myshopify.com" })).status).toBe(
      404,
    );
  });

  // How fast: npm run bench (timing goals never live in assertions).
  it("seeds 100,000 customers and serves a filtered page and exact counts from them", async () => {
    const created = await control(emulator, "POST", "shops", {
      domain: "big.myshopify.com",
      customers: 100_000,
      seed: 5,
      plan: "plus",
    });
    expect(created.status).toBe(201);
    expect(typeof created.seededInMs).toBe("number");
    const big = await shopWithClientExisting("big.myshopify.com");
    const { json } = await big(
      '{ customers(first: 250, query: "state:invited tag:vip") { nodes { id } pageInfo { hasNextPage } } customersCount { count precision } exact: customersCount(limit: null) { count precision } }',
    );
    expect(json.data.customers.nodes.length).toBeGreaterThan(100);
    expect(json.data.customersCount).toEqual({ count: 10_000, precision: "AT_LEAST" }); // Shopify's default limit
    expect(json.data.exact).toEqual({ count: 100_000, precision: "EXACT" });
  });
});

async function shopWithClientExisting(domain: string) {
  const { token } = emulator.sessionToken(domain);
  const response = await fetch(`${emulator.url}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Forwarded-Host": domain },
    body: JSON.stringify({
      client_id: "emulator-test-key",
      client_secret: "emulator-test-secret",
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: token,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    }),
  });
  const accessToken = (await response.json()).access_token;
  return async (query: string) => {
    const r = await fetch(`${emulator.url}/admin/api/${VERSION}/graphql.json`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Access-Token": accessToken,
        "X-Forwarded-Host": domain,
      },
      body: JSON.stringify({ query }),
    });
    return { status: r.status, json: await r.json() };
  };
}
