// Customer segments: customerSegmentMembers over the ShopifyQL subset, saved segments (GraphQL and
// control API), paging, and the errors of invalid queries (emulator/README.md, "Segments").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CUSTOMER_STATES, type Customer, type Shop } from "../src/model";
import { compileSegmentQuery } from "../src/segments";
import type { Emulator } from "../src/server";
import { control, SHOP, shopWithClient, startEmulator, type Json, type ShopClient } from "./helpers";

const COUNT_QUERY = `query Count($query: String!) {
  customerSegmentMembers(first: 1, query: $query) { totalCount }
}`;

const PAGE_QUERY = `query Page($query: String, $segmentId: ID, $first: Int, $last: Int, $after: String,
  $before: String, $sortKey: String, $reverse: Boolean) {
  customerSegmentMembers(query: $query, segmentId: $segmentId, first: $first, last: $last, after: $after,
    before: $before, sortKey: $sortKey, reverse: $reverse) {
    totalCount
    edges { cursor node { id firstName displayName numberOfOrders } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

let emulator: Emulator;
let client: ShopClient;
let shop: Shop;

const live = () => shop.customers.filter((c) => !c.deleted);
const where = (test: (c: Customer) => boolean) => live().filter(test).length;
const hasTag = (c: Customer, tag: string) => c.tags.some((t) => t.toLowerCase() === tag.toLowerCase());

async function count(query: string): Promise<number> {
  const { json } = await client.gql(COUNT_QUERY, { query });
  expect(json.errors).toBeUndefined();
  return json.data.customerSegmentMembers.totalCount;
}

async function errorOf(query: string): Promise<Json> {
  const { json } = await client.gql(COUNT_QUERY, { query });
  expect(json.data).toBeNull();
  expect(json.errors).toHaveLength(1);
  return json.errors[0];
}

beforeAll(async () => {
  emulator = await startEmulator();
  client = await shopWithClient(emulator, { customers: 300, seed: 11 });
  shop = emulator.store.getShop(SHOP)!;
});

afterAll(async () => {
  await emulator.close();
});

describe("customerSegmentMembers counts", () => {
  it("counts each account status, totalCount over all members (the app's state breakdown)", async () => {
    const { json } = await client.gql(`query CustomerStateCounts {
      disabled: customerSegmentMembers(first: 1, query: "customer_account_status = 'DISABLED'") { totalCount }
      invited: customerSegmentMembers(first: 1, query: "customer_account_status = 'INVITED'") { totalCount }
      enabled: customerSegmentMembers(first: 1, query: "customer_account_status = 'ENABLED'") { totalCount }
      declined: customerSegmentMembers(first: 1, query: "customer_account_status = 'DECLINED'") { totalCount }
    }`);
    expect(json.errors).toBeUndefined();
    let total = 0;
    for (const state of CUSTOMER_STATES) {
      const expected = where((c) => c.state === state);
      expect(json.data[state.toLowerCase()].totalCount).toBe(expected);
      total += expected;
    }
    expect(total).toBe(live().length);
    expect(where((c) => c.state === "DISABLED")).toBeGreaterThan(1); // the page (1) is not the total
    expect(json.extensions.cost.requestedQueryCost).toBeGreaterThan(0);
  });

  it("!= excludes a status", async () => {
    expect(await count("customer_account_status != 'ENABLED'")).toBe(where((c) => c.state !== "ENABLED"));
  });

  it("customer_tags CONTAINS / NOT CONTAINS, case-insensitively, with escaped quotes", async () => {
    const vip = where((c) => hasTag(c, "vip"));
    expect(vip).toBeGreaterThan(0);
    expect(await count("customer_tags CONTAINS 'vip'")).toBe(vip);
    expect(await count("customer_tags CONTAINS 'VIP'")).toBe(vip);
    expect(await count("customer_tags NOT CONTAINS 'vip'")).toBe(live().length - vip);
    expect(await count("customer_tags IS NULL")).toBe(where((c) => c.tags.length === 0));

    const target = live()[3]!;
    const patched = await control(emulator, "PATCH", `customers/${target.id}?shop=${SHOP}`, {
      tags: ["o'brien"],
      webhooks: false,
    });
    expect(patched.status).toBe(200);
    expect(await count("customer_tags CONTAINS 'o\\'brien'")).toBe(1);
    expect(await count(`customer_tags CONTAINS "o'brien"`)).toBe(1);
  });

  it("AND binds tighter than OR; parentheses and NOT group", async () => {
    const enabled = (c: Customer) => c.state === "ENABLED";
    const invited = (c: Customer) => c.state === "INVITED";
    const vip = (c: Customer) => hasTag(c, "vip");
    expect(
      await count(
        "(customer_account_status = 'ENABLED' OR customer_account_status = 'INVITED') AND customer_tags CONTAINS 'vip'",
      ),
    ).toBe(where((c) => (enabled(c) || invited(c)) && vip(c)));
    expect(
      await count(
        "customer_account_status = 'ENABLED' OR customer_account_status = 'INVITED' AND customer_tags CONTAINS 'vip'",
      ),
    ).toBe(where((c) => enabled(c) || (invited(c) && vip(c))));
    expect(await count("NOT (customer_account_status = 'ENABLED' OR customer_tags CONTAINS 'vip')")).toBe(
      where((c) => !(enabled(c) || vip(c))),
    );
    // Keywords are case-insensitive.
    expect(await count("customer_account_status = 'ENABLED' and customer_tags contains 'vip'")).toBe(
      where((c) => enabled(c) && vip(c)),
    );
  });

  it("number_of_orders and amount_spent comparisons, BETWEEN inclusive", async () => {
    expect(await count("number_of_orders >= 3")).toBe(where((c) => c.numberOfOrders >= 3));
    expect(await count("number_of_orders = 0")).toBe(where((c) => c.numberOfOrders === 0));
    expect(await count("number_of_orders BETWEEN 1 AND 2")).toBe(
      where((c) => c.numberOfOrders >= 1 && c.numberOfOrders <= 2),
    );
    expect(await count("amount_spent > 100.50")).toBe(where((c) => c.amountSpent > 100.5));
    expect(await count("amount_spent <= 0")).toBe(where((c) => c.amountSpent <= 0));
  });

  it("customer_added_date with absolute dates (whole UTC days)", async () => {
    const day = Date.UTC(2024, 0, 1);
    expect(await count("customer_added_date >= 2024-01-01")).toBe(where((c) => c.createdAt >= day));
    expect(await count("customer_added_date < '2024-01-01'")).toBe(where((c) => c.createdAt < day));
    const one = live()[0]!;
    const its = new Date(one.createdAt).toISOString().slice(0, 10);
    const start = Date.parse(`${its}T00:00:00Z`);
    expect(await count(`customer_added_date = ${its}`)).toBe(
      where((c) => c.createdAt >= start && c.createdAt < start + 86_400_000),
    );
    expect(await count(`customer_added_date BETWEEN 2023-06-01 AND 2023-06-30`)).toBe(
      where((c) => c.createdAt >= Date.UTC(2023, 5, 1) && c.createdAt < Date.UTC(2023, 6, 1)),
    );
  });

  it("email_subscription_status, customer_countries, last_order_date", async () => {
    expect(await count("email_subscription_status = 'SUBSCRIBED'")).toBe(
      where((c) => Boolean(c.email) && c.acceptsMarketing),
    );
    expect(await count("customer_countries CONTAINS 'CA'")).toBe(
      where((c) => c.addresses.some((a) => a.countryCode === "CA")),
    );
    expect(await count("customer_countries IS NULL")).toBe(where((c) => c.addresses.length === 0));
    expect(await count("last_order_date IS NULL")).toBe(where((c) => c.orderDates.length === 0));
  });
});

describe("customerSegmentMembers members and statistics", () => {
  it("member fields answer what the customer's fields answer; statistics sum and average", async () => {
    const query = "customer_countries CONTAINS 'CA'";
    const { json } = await client.gql(
      `query($query: String!) {
        customerSegmentMembers(first: 3, query: $query) {
          totalCount
          statistics {
            spent: attributeStatistics(attributeName: "amount_spent") { sum average }
            orders: attributeStatistics(attributeName: "number_of_orders") { sum average }
          }
          edges { node { id amountSpent { amount currencyCode } defaultAddress { countryCodeV2 } } }
        }
      }`,
      { query },
    );
    expect(json.errors).toBeUndefined();
    const members = live().filter((c) => c.addresses.some((a) => a.countryCode === "CA"));
    const connection = json.data.customerSegmentMembers;
    expect(connection.totalCount).toBe(members.length);
    const sum = Math.round(members.reduce((t, c) => t + c.amountSpent, 0) * 100) / 100;
    expect(connection.statistics.spent.sum).toBeCloseTo(sum, 2);
    expect(connection.statistics.spent.average).toBeCloseTo(sum / members.length, 1);
    expect(connection.statistics.orders.sum).toBe(members.reduce((t, c) => t + c.numberOfOrders, 0));
    const first = members[0]!;
    const customer = await client.gql(
      `query($id: ID!) { customer(id: $id) { amountSpent { amount currencyCode } defaultAddress { countryCodeV2 } } }`,
      { id: `gid://shopify/Customer/${first.id}` },
    );
    const { id, ...fields } = connection.edges[0].node;
    expect(id).toBe(`gid://shopify/CustomerSegmentMember/${first.id}`);
    expect(fields).toEqual(customer.json.data.customer);
  });
});

describe("customerSegmentMembers paging", () => {
  const query = "customer_account_status = 'DISABLED'";

  it("walks every member forward with first/after, member ids map to customers", async () => {
    const expected = live()
      .filter((c) => c.state === "DISABLED")
      .map((c) => c.id);
    const seen: number[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const { json } = await client.gql(PAGE_QUERY, { query, first: 40, after });
      expect(json.errors).toBeUndefined();
      const connection = json.data.customerSegmentMembers;
      expect(connection.totalCount).toBe(expected.length);
      for (const edge of connection.edges) {
        const m = /^gid:\/\/shopify\/CustomerSegmentMember\/(\d+)$/.exec(edge.node.id);
        expect(m).not.toBeNull();
        const customer = shop.byId.get(Number(m![1]))!;
        expect(edge.node.firstName).toBe(customer.firstName);
        expect(edge.node.numberOfOrders).toBe(String(customer.numberOfOrders));
        seen.push(customer.id);
      }
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it("last/before walk backward; sortKey and reverse order the members", async () => {
    const { json: tail } = await client.gql(PAGE_QUERY, { query, last: 5 });
    const all = live().filter((c) => c.state === "DISABLED");
    const tailIds = tail.data.customerSegmentMembers.edges.map((e: Json) => e.node.id);
    expect(tailIds).toEqual(all.slice(-5).map((c) => `gid://shopify/CustomerSegmentMember/${c.id}`));
    expect(tail.data.customerSegmentMembers.pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: true,
    });
    const { json: before } = await client.gql(PAGE_QUERY, {
      query,
      last: 5,
      before: tail.data.customerSegmentMembers.pageInfo.startCursor,
    });
    expect(before.data.customerSegmentMembers.edges.map((e: Json) => e.node.id)).toEqual(
      all.slice(-10, -5).map((c) => `gid://shopify/CustomerSegmentMember/${c.id}`),
    );

    const byOrders = all.slice().sort((a, b) => b.numberOfOrders - a.numberOfOrders || b.id - a.id);
    const first = await client.gql(PAGE_QUERY, {
      query,
      first: 10,
      sortKey: "number_of_orders",
      reverse: true,
    });
    const second = await client.gql(PAGE_QUERY, {
      query,
      first: 10,
      sortKey: "number_of_orders",
      reverse: true,
      after: first.json.data.customerSegmentMembers.pageInfo.endCursor,
    });
    const ids = [
      ...first.json.data.customerSegmentMembers.edges,
      ...second.json.data.customerSegmentMembers.edges,
    ].map((e: Json) => Number(e.node.id.split("/").pop()));
    expect(ids).toEqual(byOrders.slice(0, 20).map((c) => c.id));
  });

  it("refuses a page over 1000, no first/last, and an unknown sortKey", async () => {
    // With the generic cost formula (2 + first × 1) a page over 998 already exceeds the single query
    // max cost of 1000, which answers before the page-size limit of 1000 is looked at.
    const big = await client.gql(PAGE_QUERY, { query, first: 1001 });
    expect(big.json.data ?? null).toBeNull();
    expect(["MAX_COST_EXCEEDED", "BAD_REQUEST"]).toContain(big.json.errors[0].extensions.code);
    const ok = await client.gql(PAGE_QUERY, { query, first: 500 });
    expect(ok.json.errors).toBeUndefined();
    expect(ok.json.data.customerSegmentMembers.edges).toHaveLength(where((c) => c.state === "DISABLED"));
    const none = await client.gql(PAGE_QUERY, { query });
    expect(none.json.errors[0].message).toBe("you must provide one of first or last");
    const sort = await client.gql(PAGE_QUERY, { query, first: 1, sortKey: "name" });
    expect(sort.json.errors[0].extensions.code).toBe("INVALID");
  });
});

describe("saved segments", () => {
  const CREATE = `mutation Create($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment { id name query creationDate lastEditDate }
      userErrors { field message }
    }
  }`;

  it("segmentCreate, segments, segment, segmentsCount, and members of a segment", async () => {
    const query = "customer_account_status = 'INVITED' AND number_of_orders >= 1";
    const { json } = await client.gql(CREATE, { name: "Invited buyers", query });
    expect(json.data.segmentCreate.userErrors).toEqual([]);
    const segment = json.data.segmentCreate.segment;
    expect(segment).toMatchObject({ name: "Invited buyers", query });
    expect(segment.id).toMatch(/^gid:\/\/shopify\/Segment\/\d+$/);
    expect(segment.creationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const members = await client.gql(PAGE_QUERY, { segmentId: segment.id, first: 3 });
    expect(members.json.data.customerSegmentMembers.totalCount).toBe(
      where((c) => c.state === "INVITED" && c.numberOfOrders >= 1),
    );

    const read = await client.gql(
      `query($id: ID!) {
        segment(id: $id) { id name query }
        segments(first: 10) { edges { cursor node { id name } } pageInfo { hasNextPage } }
        segmentsCount { count precision }
      }`,
      { id: segment.id },
    );
    expect(read.json.errors).toBeUndefined();
    expect(read.json.data.segment).toEqual({ id: segment.id, name: "Invited buyers", query });
    expect(read.json.data.segments.edges.map((e: Json) => e.node.id)).toContain(segment.id);
    expect(read.json.data.segmentsCount.count).toBe(read.json.data.segments.edges.length);
    const tooMany = await client.gql(`{ segments(first: 251) { edges { cursor } } }`);
    expect(tooMany.json.errors[0].message).toBe("The `first` argument must be less than or equal to 250.");
  });

  it("the control API creates and lists segments; duplicate names get a suffix", async () => {
    const created = await control(emulator, "POST", "segments", {
      shop: SHOP,
      name: "VIPs",
      query: "customer_tags CONTAINS 'vip'",
    });
    expect(created.status).toBe(201);
    expect(created).toMatchObject({ name: "VIPs", query: "customer_tags CONTAINS 'vip'" });
    const again = await control(emulator, "POST", "segments", {
      shop: SHOP,
      name: "VIPs",
      query: "customer_tags CONTAINS 'vip'",
    });
    expect(again.name).toBe("VIPs (2)");
    const listed = await control(emulator, "GET", `segments?shop=${SHOP}`);
    expect(listed.segments.map((s: Json) => s.name)).toEqual(expect.arrayContaining(["VIPs", "VIPs (2)"]));
    const one = await control(emulator, "GET", `segments/${encodeURIComponent(created.id)}?shop=${SHOP}`);
    expect(one.memberCount).toBe(where((c) => hasTag(c, "vip")));
    const bad = await control(emulator, "POST", "segments", {
      shop: SHOP,
      name: "Bad",
      query: "email = 'x'",
    });
    expect(bad.status).toBe(400);
    expect(bad.errors).toBe("Query Line 1 Column 0: 'email' filter cannot be found.");

    const members = await client.gql(PAGE_QUERY, { segmentId: created.id, first: 1 });
    expect(members.json.data.customerSegmentMembers.totalCount).toBe(where((c) => hasTag(c, "vip")));

    const deleted = await control(
      emulator,
      "DELETE",
      `segments/${encodeURIComponent(again.id)}?shop=${SHOP}`,
    );
    expect(deleted.ok).toBe(true);
  });

  it("segmentCreate answers Shopify's userErrors for blank and malformed input", async () => {
    const blank = await client.gql(CREATE, { name: "", query: "" });
    expect(blank.json.data.segmentCreate).toEqual({
      segment: null,
      userErrors: [
        { field: ["name"], message: "Name can't be blank" },
        { field: ["query"], message: "Query can't be blank" },
      ],
    });
    const malformed = await client.gql(CREATE, { name: "Malformed", query: "not a valid segment query ???" });
    expect(malformed.json.data.segmentCreate).toEqual({
      segment: null,
      userErrors: [
        { field: ["query"], message: "Query Line 1 Column 6: 'valid' is unexpected." },
        { field: ["query"], message: "Query Line 1 Column 4: 'a' filter cannot be found." },
      ],
    });
  });

  it("segmentUpdate and segmentDelete; an unknown segment", async () => {
    const { json } = await client.gql(CREATE, { name: "To edit", query: "number_of_orders = 0" });
    const id = json.data.segmentCreate.segment.id;
    const updated = await client.gql(
      `mutation($id: ID!) { segmentUpdate(id: $id, query: "number_of_orders > 0") {
        segment { id query } userErrors { field message } } }`,
      { id },
    );
    expect(updated.json.data.segmentUpdate).toEqual({
      segment: { id, query: "number_of_orders > 0" },
      userErrors: [],
    });
    const removed = await client.gql(
      `mutation($id: ID!) { segmentDelete(id: $id) { deletedSegmentId userErrors { field message } } }`,
      { id },
    );
    expect(removed.json.data.segmentDelete).toEqual({ deletedSegmentId: id, userErrors: [] });
    const missing = await client.gql(`query($id: ID!) { segment(id: $id) { id } }`, { id });
    expect(missing.json.data.segment).toBeNull();
    expect(missing.json.errors[0]).toMatchObject({
      message: "Segment does not exist",
      extensions: { code: "NOT_FOUND" },
      path: ["segment"],
    });
    const members = await client.gql(PAGE_QUERY, { segmentId: id, first: 1 });
    expect(members.json.errors[0].message).toBe("Segment does not exist");
  });
});

describe("invalid segment queries", () => {
  it("an unknown filter, an unsupported operator, a syntax error: a GraphQL error with Shopify's text", async () => {
    expect(await errorOf("email = 'a@b.c'")).toMatchObject({
      message: "Line 1 Column 0: 'email' filter cannot be found.",
      extensions: { code: "INVALID" },
      path: ["customerSegmentMembers"],
    });
    expect((await errorOf("customer_tags = 'vip'")).message).toBe(
      "Line 1 Column 14: customer_tags does not support operator '='",
    );
    expect((await errorOf("not a valid segment query ???")).message).toBe(
      "Line 1 Column 6: 'valid' is unexpected.",
    );
    expect((await errorOf("customer_account_status = 'ACTIVE'")).message).toBe(
      "Line 1 Column 26: 'ACTIVE' is not a valid value for customer_account_status.",
    );
    expect((await errorOf("(customer_account_status = 'ENABLED'")).message).toBe(
      "Line 1 Column 36: Unexpected end of query.",
    );
    expect((await errorOf("  ")).message).toBe("Query can't be blank");
  });

  it("a known Shopify filter the emulator does not evaluate answers NOT_EMULATED", async () => {
    const error = await errorOf("rfm_group = 'CHAMPIONS'");
    expect(error.extensions.code).toBe("NOT_EMULATED");
  });

  it("needs exactly one of query and segmentId", async () => {
    const neither = await client.gql(PAGE_QUERY, { first: 1 });
    expect(neither.json.errors[0].message).toBe("You must provide one of segment_id or query.");
    const both = await client.gql(PAGE_QUERY, {
      first: 1,
      query: "number_of_orders > 0",
      segmentId: "gid://shopify/Segment/1",
    });
    expect(both.json.errors[0].message).toBe("Providing both segment_id and query is not supported.");
  });

  it("needs read_customers", async () => {
    const other = await shopWithClient(emulator, {
      domain: "no-scope.myshopify.com",
      scopes: "read_products",
    });
    const { json } = await other.gql(COUNT_QUERY, { query: "number_of_orders > 0" });
    expect(json.errors[0].extensions.code).toBe("ACCESS_DENIED");
  });
});

describe("compileSegmentQuery", () => {
  const customer = (createdAt: number): Customer => ({ ...live()[0]!, createdAt });
  const now = Date.UTC(2025, 5, 15, 12);

  it("relative dates are whole days counted from today", () => {
    const compiled = compileSegmentQuery("customer_added_date >= -30d", { now });
    if (!compiled.ok) throw new Error("should compile");
    expect(compiled.matches(customer(Date.UTC(2025, 4, 16)))).toBe(true);
    expect(compiled.matches(customer(Date.UTC(2025, 4, 15, 23)))).toBe(false);
    const named = compileSegmentQuery("customer_added_date >= 7_days_ago", { now });
    if (!named.ok) throw new Error("should compile");
    expect(named.matches(customer(Date.UTC(2025, 5, 8)))).toBe(true);
    expect(named.matches(customer(Date.UTC(2025, 5, 7)))).toBe(false);
  });

  it("numbers lines from 1 and columns from 0", () => {
    const compiled = compileSegmentQuery("number_of_orders > 1\nAND colour = 'red'", { now });
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.problems).toEqual([{ line: 2, column: 4, text: "'colour' filter cannot be found." }]);
  });
});
