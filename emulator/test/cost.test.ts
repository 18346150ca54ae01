import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { actualQueryCost, requestedQueryCost } from "../src/cost";
import { loadSchema } from "../src/schema";

const schema = loadSchema();
const requested = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  requestedQueryCost(schema, parse(query), operationName, variables);

describe("requested query cost", () => {
  it("charges objects 1 and scalars and enums 0", () => {
    expect(requested("{ shop { id name customerAccountsV2 { customerAccountsVersion } } }")).toBe(2);
    expect(requested(`{ customer(id: "gid://shopify/Customer/1") { id state tags } }`)).toBe(1);
    expect(
      requested(`{ customer(id: "gid://shopify/Customer/1") { id defaultEmailAddress { emailAddress } } }`),
    ).toBe(2);
  });

  it("charges a connection 2 + first × the cost of one item", () => {
    expect(
      requested("{ customers(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage } } }"),
    ).toBe(12);
    expect(requested("{ customers(first: 250) { nodes { id email } } }")).toBe(252);
    // each item also carries its nested object
    expect(requested("{ customers(first: 50) { nodes { id defaultEmailAddress { emailAddress } } } }")).toBe(
      102,
    );
    // sized by last when going backwards, by a variable when given one
    expect(requested("query($n: Int) { customers(last: $n) { nodes { id } } }", { n: 30 })).toBe(32);
  });

  it("multiplies nested connections", () => {
    // 2 + 10 × (1 customer + (2 + 5 × 1) addresses)
    const query = "{ customers(first: 10) { nodes { id addressesV2(first: 5) { nodes { id } } } } }";
    expect(requested(query)).toBe(2 + 10 * (1 + 2 + 5));
  });

  it("charges every aliased mutation 10, whatever it selects", () => {
    const three = `mutation {
      a: customerSendAccountInviteEmail(customerId: "gid://shopify/Customer/1") { customer { id } userErrors { message } }
      b: customerSendAccountInviteEmail(customerId: "gid://shopify/Customer/2") { userErrors { message } }
      c: customerGenerateAccountActivationUrl(customerId: "gid://shopify/Customer/3") { accountActivationUrl }
    }`;
    expect(requested(three)).toBe(30);
  });

  it("counts aliases of the same query field separately and follows fragments", () => {
    const query = `
      fragment C on Customer { id defaultEmailAddress { emailAddress } }
      { a: customers(first: 5) { nodes { ...C } } b: customers(first: 5) { nodes { id } } shop { id } }`;
    expect(requested(query)).toBe(2 + 5 * 2 + (2 + 5) + 1);
  });

  it("prices nodes(ids:) by the number of ids and interfaces by their most expensive selection", () => {
    const query = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { defaultEmailAddress { emailAddress } } } }`;
    expect(requested(query, { ids: ["a", "b", "c"] })).toBe(3 * 2);
  });

  it("honours @skip and @include", () => {
    const query = "query($s: Boolean!) { shop { id } customers(first: 10) @skip(if: $s) { nodes { id } } }";
    expect(requested(query, { s: true })).toBe(1);
    expect(requested(query, { s: false })).toBe(13);
  });
});

describe("actual query cost", () => {
  it("charges connections for the items they returned", () => {
    const document = parse("{ customers(first: 50) { nodes { id } pageInfo { hasNextPage } } }");
    const data = {
      customers: { nodes: [{ id: "1" }, { id: "2" }, { id: "3" }], pageInfo: { hasNextPage: false } },
    };
    expect(actualQueryCost(schema, document, undefined, {}, data)).toBe(5);
  });

  it("reads items through edges and aliases", () => {
    const document = parse("{ list: customers(first: 50) { edges { n: node { id } } } }");
    const data = { list: { edges: [{ n: { id: "1" } }, { n: { id: "2" } }] } };
    expect(actualQueryCost(schema, document, undefined, {}, data)).toBe(4);
  });

  it("charges a missing object its own point only", () => {
    const document = parse(
      `{ customer(id: "gid://shopify/Customer/1") { id defaultEmailAddress { emailAddress } } }`,
    );
    expect(actualQueryCost(schema, document, undefined, {}, { customer: null })).toBe(1);
  });
});
