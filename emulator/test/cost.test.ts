import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import {
  actualQueryCost,
  connectionMultiplier,
  FREE_OBJECT_TYPES,
  MUTATION_COSTS,
  requestedQueryCost,
} from "../src/cost";
import { loadSchema } from "../src/schema";

// The rules on hand-computed documents; test/cost-calibration.test.ts holds cases captured from live stores.
const schema = loadSchema();
const requested = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  requestedQueryCost(schema, parse(query), operationName, variables);
const actual = (query: string, data: unknown, variables: Record<string, unknown> = {}) =>
  actualQueryCost(schema, parse(query), undefined, variables, data);

describe("requested query cost", () => {
  it("charges objects 1 and scalars and enums 0, and a query at least 1", () => {
    expect(requested("{ shop { id name customerAccountsV2 { customerAccountsVersion } } }")).toBe(2);
    expect(requested(`{ customer(id: "gid://shopify/Customer/1") { id state tags } }`)).toBe(1);
    expect(
      requested(`{ customer(id: "gid://shopify/Customer/1") { id defaultEmailAddress { emailAddress } } }`),
    ).toBe(2);
    expect(requested("{ __typename }")).toBe(1);
  });

  it("sizes a connection by ⌊2 ln first⌋ items, at least 1", () => {
    expect([0, 1, 2, 3, 5, 7, 8, 10, 20, 21, 50, 100, 250].map(connectionMultiplier)).toEqual([
      0, 1, 1, 2, 3, 3, 4, 4, 5, 6, 7, 9, 11,
    ]);
    expect(requested("{ customers(first: 250) { nodes { id email } } }")).toBe(2 + 11);
    expect(
      requested("{ customers(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage } } }"),
    ).toBe(2 + 4);
    // each item carries its nested objects
    expect(requested("{ customers(first: 50) { nodes { id defaultEmailAddress { emailAddress } } } }")).toBe(
      2 + 7 * 2,
    );
    // sized by last when going backwards, by a variable when given one
    expect(requested("query($n: Int) { customers(last: $n) { nodes { id } } }", { n: 30 })).toBe(2 + 6);
  });

  it("prices edges { node } and nodes separately when both are selected", () => {
    const both = "{ customers(first: 10) { edges { node { id } } nodes { id } } }";
    expect(requested(both)).toBe(2 + 4 + 4);
  });

  it("prices a connection asked only for totals as if it listed one item per slot", () => {
    expect(requested(`{ customerSegmentMembers(first: 1, query: "x") { totalCount } }`)).toBe(2 + 1);
  });

  it("multiplies nested connections", () => {
    // 2 + m(10) × (1 customer + (2 + m(5) × 1) addresses) = 2 + 4 × (1 + 2 + 3)
    const query = "{ customers(first: 10) { nodes { id addressesV2(first: 5) { nodes { id } } } } }";
    expect(requested(query)).toBe(2 + 4 * (1 + 2 + 3));
  });

  it("prices a plain list as one object, nodes(ids:) included, whatever its length", () => {
    const query = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { defaultEmailAddress { emailAddress } } } }`;
    expect(requested(query, { ids: ["a", "b", "c"] })).toBe(2);
    expect(requested(query, { ids: Array.from({ length: 250 }, (_, i) => `${i}`) })).toBe(2);
    // `first` on a plain list does not size it
    const fulfillments = `{ order(id: "gid://shopify/Order/1") { fulfillments(first: 5) { id trackingInfo { number } } } }`;
    expect(requested(fulfillments)).toBe(1 + 1 + 1);
  });

  it("charges a search count 10 and any other count 1", () => {
    expect(requested("{ customersCount { count precision } }")).toBe(10);
    expect(requested(`{ customersCount(query: "state:invited", limit: null) { count } }`)).toBe(10);
    expect(requested(`{ product(id: "gid://shopify/Product/1") { variantsCount { count } } }`)).toBe(2);
  });

  it("charges nothing for free object types and the fields listed with their own price", () => {
    expect(FREE_OBJECT_TYPES.has("MoneyV2")).toBe(true);
    expect(
      requested(
        `{ customer(id: "gid://shopify/Customer/1") { amountSpent { amount } defaultAddress { city } } }`,
      ),
    ).toBe(1);
    expect(requested(`{ storeCreditAccount(id: "gid://shopify/StoreCreditAccount/1") { id } }`)).toBe(1);
    expect(
      requested(`{ storeCreditAccount(id: "gid://shopify/StoreCreditAccount/1") { balance { amount } } }`),
    ).toBe(1 + 5);
  });

  it("charges a mutation its own price plus its payload, the payload's objects free", () => {
    const three = `mutation {
      a: customerSendAccountInviteEmail(customerId: "gid://shopify/Customer/1") { customer { id } userErrors { message } }
      b: customerSendAccountInviteEmail(customerId: "gid://shopify/Customer/2") { userErrors { message } }
      c: customerGenerateAccountActivationUrl(customerId: "gid://shopify/Customer/3") { accountActivationUrl }
    }`;
    expect(requested(three)).toBe(30);
    const nested = `mutation { customerCreate(input: {}) { customer { id defaultEmailAddress { emailAddress } } userErrors { field } } }`;
    expect(requested(nested)).toBe(10 + 1);
    expect(MUTATION_COSTS.orderCapture).toBe(20);
  });

  it("counts aliases of the same query field separately and follows fragments", () => {
    const query = `
      fragment C on Customer { id defaultEmailAddress { emailAddress } }
      { a: customers(first: 5) { nodes { ...C } } b: customers(first: 5) { nodes { id } } shop { id } }`;
    expect(requested(query)).toBe(2 + 3 * 2 + (2 + 3) + 1);
  });

  it("prices interfaces by their most expensive selection", () => {
    const query = `{ node(id: "gid://shopify/Customer/1") { id ... on Customer { defaultEmailAddress { emailAddress } } ... on Order { customer { id } billingAddress { city } } } }`;
    expect(requested(query)).toBe(1 + 2);
  });

  it("prices introspection objects like others", () => {
    expect(requested(`{ __type(name: "Customer") { fields { name } } }`)).toBe(2);
  });

  it("honours @skip and @include", () => {
    const query = "query($s: Boolean!) { shop { id } customers(first: 10) @skip(if: $s) { nodes { id } } }";
    expect(requested(query, { s: true })).toBe(1);
    expect(requested(query, { s: false })).toBe(1 + 2 + 4);
  });

  it("prices the Storefront API by shape, its payload objects 1 each", () => {
    const cart = `mutation { cartCreate(input: {}) { cart { id lines(first: 5) { nodes { id } } } userErrors { field } } }`;
    const cost = requestedQueryCost(schema, parse(cart), undefined, {}, { surface: "storefront" });
    expect(cost).toBe(10 + 1 + (2 + 3) + 1);
  });
});

describe("actual query cost", () => {
  it("charges connections for the items they returned", () => {
    const data = {
      customers: { nodes: [{ id: "1" }, { id: "2" }, { id: "3" }], pageInfo: { hasNextPage: false } },
    };
    expect(actual("{ customers(first: 50) { nodes { id } pageInfo { hasNextPage } } }", data)).toBe(5);
  });

  it("never charges a connection more than its requested items", () => {
    const nodes = Array.from({ length: 10 }, (_, i) => ({ id: `${i}` }));
    expect(actual("{ customers(first: 10) { nodes { id } } }", { customers: { nodes } })).toBe(2 + 4);
  });

  it("reads items through edges and aliases", () => {
    const data = { list: { edges: [{ n: { id: "1" } }, { n: { id: "2" } }] } };
    expect(actual("{ list: customers(first: 50) { edges { n: node { id } } } }", data)).toBe(4);
  });

  it("charges a missing object its own point only", () => {
    const query = `{ customer(id: "gid://shopify/Customer/1") { id defaultEmailAddress { emailAddress } } }`;
    expect(actual(query, { customer: null })).toBe(1);
  });

  it("charges a mutation its price and its payload as returned", () => {
    const query = `mutation { customerSendAccountInviteEmail(customerId: "gid://shopify/Customer/1") { customer { id } userErrors { message } } }`;
    const data = { customerSendAccountInviteEmail: { customer: null, userErrors: [{ message: "x" }] } };
    expect(actual(query, data)).toBe(10);
  });
});
