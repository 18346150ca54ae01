import { request } from "node:http";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actualQueryCost, requestedQueryCost } from "../src/cost";
import type { Emulator } from "../src/server";
import {
  API_KEY,
  control,
  type Json,
  post,
  SHOP,
  shopWithClient,
  startEmulator,
  VERSION,
  type ShopClient,
} from "./helpers";

let emulator: Emulator;
let client: ShopClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = await shopWithClient(emulator, { customers: 120, seed: 3, plan: "advanced" });
});
afterAll(() => emulator.close());

describe("Admin GraphQL transport", () => {
  it("answers 401 with Shopify's body to an unknown access token", async () => {
    const result = await post(
      emulator,
      `/admin/api/${VERSION}/graphql.json`,
      { query: "{ shop { id } }" },
      {
        "X-Shopify-Access-Token": "shpat_nope",
        "X-Forwarded-Host": SHOP,
      },
    );
    expect(result.status).toBe(401);
    expect(result.json).toEqual({
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
  });

  it("answers 404 to an unknown API version and to an unknown shop", async () => {
    const headers = { "X-Shopify-Access-Token": client.token, "X-Forwarded-Host": SHOP };
    expect(
      (await post(emulator, "/admin/api/2019-04/graphql.json", { query: "{ shop { id } }" }, headers)).status,
    ).toBe(404);
    const other = { ...headers, "X-Forwarded-Host": "nobody.myshopify.com" };
    expect(
      (await post(emulator, `/admin/api/${VERSION}/graphql.json`, { query: "{ shop { id } }" }, other))
        .status,
    ).toBe(404);
  });

  it("finds the shop from Host, X-Shopify-Shop-Domain or X-Forwarded-Host", async () => {
    // fetch() cannot set Host; the preload keeps it when it rewrites https://<shop>/ (node:http can).
    const viaHost = await new Promise<Json>((resolve, reject) => {
      const body = JSON.stringify({ query: "{ shop { myshopifyDomain } }" });
      const req = request(
        `${emulator.url}/admin/api/${VERSION}/graphql.json`,
        {
          method: "POST",
          headers: { Host: SHOP, "Content-Type": "application/json", "X-Shopify-Access-Token": client.token },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => resolve(JSON.parse(text)));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(viaHost.data.shop.myshopifyDomain).toBe(SHOP);
    for (const header of ["X-Shopify-Shop-Domain", "X-Forwarded-Host"]) {
      const result = await post(
        emulator,
        `/admin/api/${VERSION}/graphql.json`,
        { query: "{ shop { myshopifyDomain } }" },
        {
          "X-Shopify-Access-Token": client.token,
          [header]: SHOP,
        },
      );
      expect(result.json.data.shop.myshopifyDomain).toBe(SHOP);
    }
  });
});

describe("Admin GraphQL queries", () => {
  it("answers the shop with plan and customer accounts version, and the cost block", async () => {
    const { status, json } = await client.gql(`{
      shop { id name myshopifyDomain email currencyCode
        plan { displayName partnerDevelopment shopifyPlus }
        customerAccountsV2 { customerAccountsVersion loginRequiredAtCheckout } } }`);
    expect(status).toBe(200);
    expect(json.errors).toBeUndefined();
    expect(json.data.shop).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/Shop\/\d+$/),
      myshopifyDomain: SHOP,
      currencyCode: "USD",
      plan: { displayName: "Advanced", partnerDevelopment: false, shopifyPlus: false },
      customerAccountsV2: { customerAccountsVersion: "CLASSIC", loginRequiredAtCheckout: false },
    });
    expect(json.extensions.cost).toEqual({
      requestedQueryCost: 3,
      actualQueryCost: 3,
      throttleStatus: { maximumAvailable: 4000, currentlyAvailable: expect.any(Number), restoreRate: 200 },
    });
  });

  it("rejects a misspelled field with a Shopify-shaped validation error", async () => {
    const { status, json } = await client.gql("{ shop { nmae } }");
    expect(status).toBe(200);
    expect(json.data).toBeUndefined();
    expect(json).toEqual({
      errors: [
        {
          message: "Field 'nmae' doesn't exist on type 'Shop'",
          locations: [{ line: 1, column: 10 }],
          path: ["query", "shop", "nmae"],
          extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nmae" },
        },
      ],
    });
  });

  it("rejects an unknown argument and a missing required one", async () => {
    const unknown = await client.gql("{ customers(frist: 5) { nodes { id } } }");
    expect(unknown.json.errors[0]).toMatchObject({
      message: "Field 'customers' doesn't accept argument 'frist'",
      extensions: { code: "argumentNotAccepted" },
    });
    const missing = await client.gql("{ customer { id } }");
    expect(missing.json.errors[0]).toMatchObject({
      message: "Field 'customer' is missing required arguments: id",
      extensions: { code: "missingRequiredArguments" },
    });
  });

  it("answers a field it does not emulate with an error naming it, never a silent null", async () => {
    const { json } = await client.gql("{ customers(first: 1) { nodes { id lifetimeDuration } } }");
    expect(json.errors).toEqual([
      expect.objectContaining({
        message: "Field 'Customer.lifetimeDuration' is not emulated",
        path: ["customers", "nodes", 0, "lifetimeDuration"],
        extensions: { code: "NOT_EMULATED" },
      }),
    ]);
  });

  it("pages through customers with opaque cursors, aliases and variables", async () => {
    const query = `query Page($after: String) { page: customers(first: 50, after: $after) {
      edges { cursor node { id legacyResourceId firstName lastName displayName email state tags createdAt updatedAt verifiedEmail numberOfOrders note phone defaultEmailAddress { emailAddress } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { json } = await client.gql(query, { after });
      expect(json.errors).toBeUndefined();
      const page = json.data.page;
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 0);
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    const first = (await client.gql(query, { after: null })).json.data.page.edges[0].node;
    expect(first).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/Customer\/\d+$/),
      legacyResourceId: first.id.split("/").pop(),
      displayName: `${first.firstName} ${first.lastName}`,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      state: expect.stringMatching(/^(DISABLED|INVITED|ENABLED|DECLINED)$/),
    });
  });

  it("pages backwards with last/before and sorts in reverse", async () => {
    const forward = (await client.gql("{ customers(first: 5) { nodes { id } pageInfo { endCursor } } }")).json
      .data.customers;
    const backward = (
      await client.gql(
        `{ customers(last: 2, before: "${forward.pageInfo.endCursor}") { nodes { id } pageInfo { hasPreviousPage hasNextPage } } }`,
      )
    ).json.data.customers;
    expect(backward.nodes.map((n: { id: string }) => n.id)).toEqual(
      forward.nodes.slice(2, 4).map((n: { id: string }) => n.id),
    );
    expect(backward.pageInfo).toEqual({ hasPreviousPage: true, hasNextPage: true });
    const reversed = (await client.gql("{ customers(first: 3, reverse: true) { nodes { id } } }")).json.data
      .customers.nodes;
    const last = (await client.gql("{ customers(last: 3) { nodes { id } } }")).json.data.customers.nodes;
    expect(reversed.map((n: { id: string }) => n.id)).toEqual(
      last.map((n: { id: string }) => n.id).reverse(),
    );
  });

  it("sorts by NAME and keeps cursors stable for that sort", async () => {
    const page1 = (
      await client.gql(
        "{ customers(first: 10, sortKey: NAME) { nodes { displayName } pageInfo { endCursor } } }",
      )
    ).json.data.customers;
    const names = page1.nodes.map((n: { displayName: string }) => n.displayName.toLowerCase());
    expect(names).toEqual([...names].sort());
    const page2 = (
      await client.gql(
        `{ customers(first: 10, sortKey: NAME, after: "${page1.pageInfo.endCursor}") { nodes { displayName } } }`,
      )
    ).json.data.customers;
    expect(page2.nodes[0].displayName.toLowerCase() >= names[9]).toBe(true);
  });

  it("requires first or last and caps them at 250", async () => {
    const none = await client.gql("{ customers { nodes { id } } }");
    expect(none.json.errors[0].message).toBe("you must provide one of first or last");
    const tooMany = await client.gql("{ customers(first: 251) { nodes { id } } }");
    expect(tooMany.json.errors[0].message).toMatch(/less than or equal to 250/);
  });

  it("filters with query, counts with customersCount, and reports ignored search fields", async () => {
    const { json } = await client.gql(`{
      enabled: customersCount(query: "state:enabled") { count precision }
      all: customersCount { count precision }
      capped: customersCount(limit: 10) { count precision }
      list: customers(first: 250, query: "state:enabled made_up:fr") { nodes { state } } }`);
    expect(json.data.all).toEqual({ count: 120, precision: "EXACT" });
    expect(json.data.capped).toEqual({ count: 10, precision: "AT_LEAST" });
    // customersCount(query:) documents created_at, id and updated_at only: state is ignored.
    expect(json.data.enabled).toEqual({ count: 120, precision: "EXACT" });
    expect(json.data.list.nodes.length).toBeGreaterThan(0);
    expect(json.data.list.nodes.length).toBeLessThan(120);
    expect(json.data.list.nodes.every((n: { state: string }) => n.state === "ENABLED")).toBe(true);
    expect(json.extensions.search).toEqual([
      {
        path: ["enabled"],
        query: "state:enabled",
        parsed: { field: "state", match_all: "enabled" },
        warnings: [
          { field: "state", message: "Invalid search field for this query.", code: "invalid_field" },
        ],
      },
      {
        path: ["list"],
        query: "state:enabled made_up:fr",
        parsed: {
          and: [
            { field: "state", match_all: "enabled" },
            { field: "made_up", match_all: "fr" },
          ],
        },
        warnings: [
          { field: "made_up", message: "Invalid search field for this query.", code: "invalid_field" },
        ],
      },
    ]);
  });

  it("counts by created_at, id and updated_at, which customersCount supports", async () => {
    const ids = (await client.gql("{ customers(first: 3) { nodes { id } } }")).json.data.customers.nodes.map(
      (n: { id: string }) => Number(n.id.split("/").pop()),
    );
    const { json } = await client.gql(`{ c: customersCount(query: "id:<=${ids[2]}") { count } }`);
    expect(json.data.c.count).toBe(3);
    expect(json.extensions.search).toBeUndefined();
  });

  it("refuses an unreadable search time with BAD_REQUEST at the field", async () => {
    const { json } = await client.gql(
      `{ customers(first: 1, query: "customer_date:>=not-a-date") { nodes { id } } }`,
    );
    expect(json.data).toBeNull();
    expect(json.errors).toEqual([
      {
        message: "Invalid timestamp for query filter `customer_date`.",
        locations: [{ line: 1, column: 3 }],
        path: ["customers"],
        extensions: { code: "BAD_REQUEST" },
      },
    ]);
  });

  it("looks customers up by id and through nodes(ids:), refusing other node types", async () => {
    const ids = (await client.gql("{ customers(first: 2) { nodes { id } } }")).json.data.customers.nodes.map(
      (n: { id: string }) => n.id,
    );
    const { json } = await client.gql(
      `query($ids: [ID!]!, $one: ID!) {
      nodes(ids: $ids) { id ... on Customer { email } }
      customer(id: $one) { id }
      missing: customer(id: "gid://shopify/Customer/1") { id } }`,
      { ids: [...ids, "gid://shopify/Product/1"], one: ids[0] },
    );
    expect(json.data.nodes.slice(0, 2).map((n: { id: string }) => n.id)).toEqual(ids);
    expect(json.data.nodes[2]).toBeNull();
    expect(json.errors).toEqual([
      expect.objectContaining({
        message: "Node type 'Product' is not emulated (only Customer is)",
        path: ["nodes", 2],
      }),
    ]);
    expect(json.data.customer.id).toBe(ids[0]);
    expect(json.data.missing).toBeNull();
    // The engine charges what the cost model (src/cost.ts, tested in cost*.test.ts) prices.
    expect(json.extensions.cost.requestedQueryCost).toBe(
      requested(
        `query($ids: [ID!]!, $one: ID!) {
      nodes(ids: $ids) { id ... on Customer { email } }
      customer(id: $one) { id }
      missing: customer(id: "gid://shopify/Customer/1") { id } }`,
        { ids: [...ids, "gid://shopify/Product/1"], one: ids[0] },
      ),
    );
  });

  it("rejects a malformed global id before running anything", async () => {
    const { json } = await client.gql(`{ customer(id: "42") { id } }`);
    expect(json).toEqual({
      errors: [
        {
          message: "Invalid global id '42'",
          locations: [{ line: 1, column: 3 }],
          path: ["query", "customer", "id"],
          extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
        },
      ],
    });
  });

  it("denies customer fields to a token without customer scopes", async () => {
    emulator.createShop({ domain: "no-scopes.myshopify.com", customers: 1, scopes: "read_products" });
    const { token } = emulator.sessionToken("no-scopes.myshopify.com");
    const exchange = await post(
      emulator,
      "/admin/oauth/access_token",
      {
        client_id: API_KEY,
        client_secret: "emulator-test-secret",
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: token,
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      },
      { "X-Forwarded-Host": "no-scopes.myshopify.com" },
    );
    const result = await post(
      emulator,
      `/admin/api/${VERSION}/graphql.json`,
      { query: "{ customers(first: 1) { nodes { id } } }" },
      {
        "X-Shopify-Access-Token": exchange.json.access_token,
        "X-Forwarded-Host": "no-scopes.myshopify.com",
      },
    );
    expect(result.json.errors[0]).toMatchObject({
      extensions: { code: "ACCESS_DENIED", requiredAccess: "`read_customers` access scope." },
    });
  });
});

describe("cost and throttling", () => {
  // These check the engine's plumbing (deduct, refund, THROTTLED, MAX_COST_EXCEEDED) with whatever the
  // cost model prices; the prices themselves are test/cost*.test.ts's.
  it("refunds requested minus actual cost", async () => {
    emulator.createShop({
      domain: "refund.myshopify.com",
      customers: 3,
      custom: { maximumAvailable: 1000, restoreRate: 1 },
    });
    const c = await shopWithClientFor("refund.myshopify.com");
    const query = "{ customers(first: 100) { nodes { id } } }";
    const { json } = await c.gql(query);
    const want = requested(query);
    const got = actualQueryCost(emulator.engine.schema, parse(query), undefined, {}, json.data);
    expect(json.extensions.cost.requestedQueryCost).toBe(want);
    expect(json.extensions.cost.actualQueryCost).toBe(Math.min(want, got));
    expect(got).toBeLessThan(want); // 3 customers, priced for 100
    expect(json.extensions.cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(1000 - got);
    expect(json.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(1000);
    const stats = await control(emulator, "GET", "stats?shop=refund.myshopify.com");
    expect(stats).toMatchObject({
      graphqlRequests: 1,
      pointsRequested: want,
      pointsSpent: got,
      throttled: 0,
    });
  });

  it("answers THROTTLED with Shopify's shape when the bucket cannot hold the requested cost", async () => {
    const query = "{ customers(first: 40) { nodes { id } } }";
    const cost = requested(query);
    emulator.createShop({
      domain: "tiny.myshopify.com",
      customers: 3,
      custom: { maximumAvailable: cost + 5, restoreRate: 1 },
    });
    const c = await shopWithClientFor("tiny.myshopify.com");
    expect((await c.gql(query)).json.data.customers.nodes).toHaveLength(3);
    await control(emulator, "PATCH", "shops/tiny.myshopify.com", { drainBucket: true });
    const throttled = await c.gql(query);
    expect(throttled.status).toBe(200);
    expect(throttled.json).toEqual({
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: cost,
          actualQueryCost: null,
          throttleStatus: {
            maximumAvailable: cost + 5,
            currentlyAvailable: expect.any(Number),
            restoreRate: 1,
          },
        },
      },
    });
    expect(throttled.json.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(cost);
    // Time travel refills the bucket.
    await control(emulator, "POST", "clock", { advanceSeconds: cost + 5 });
    expect((await c.gql(query)).json.errors).toBeUndefined();
    expect((await control(emulator, "GET", "stats?shop=tiny.myshopify.com")).throttled).toBe(1);
  });

  it("refuses a query whose requested cost exceeds 1,000 without touching the bucket", async () => {
    const aliases = Array.from(
      { length: 40 },
      (_, i) => `a${i}: customers(first: 250) { nodes { id addressesV2(first: 250) { nodes { id } } } }`,
    );
    const query = `{ ${aliases.join(" ")} }`;
    const cost = requested(query);
    expect(cost).toBeGreaterThan(1000);
    const before = (await control(emulator, "GET", `stats?shop=${SHOP}`)).pointsRequested;
    const { json } = await client.gql(query);
    expect(json.data).toBeUndefined();
    expect(json.errors[0].message).toMatch(
      new RegExp(`^Query cost is ${cost}, which exceeds the single query max cost limit \\(1000\\)`),
    );
    expect(json.errors[0].extensions).toEqual({
      code: "MAX_COST_EXCEEDED",
      cost,
      maxCost: 1000,
      documentation: "https://shopify.dev/api/usage/rate-limits",
    });
    expect(json.extensions.cost.actualQueryCost).toBeNull();
    expect((await control(emulator, "GET", `stats?shop=${SHOP}`)).pointsRequested).toBe(before);
  });
});

function requested(query: string, variables: Record<string, unknown> = {}): number {
  return requestedQueryCost(emulator.engine.schema, parse(query), undefined, variables);
}

async function shopWithClientFor(domain: string): Promise<ShopClient> {
  const { token } = emulator.sessionToken(domain);
  const exchange = await post(
    emulator,
    "/admin/oauth/access_token",
    {
      client_id: API_KEY,
      client_secret: "emulator-test-secret",
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: token,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    },
    { "X-Forwarded-Host": domain },
  );
  const accessToken = exchange.json.access_token;
  return {
    token: accessToken,
    gql: (query, variables) =>
      post(
        emulator,
        `/admin/api/${VERSION}/graphql.json`,
        { query, variables },
        { "X-Shopify-Access-Token": accessToken, "X-Shopify-Shop-Domain": domain },
      ),
  };
}
