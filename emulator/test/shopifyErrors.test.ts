// Errors answered before anything runs, in Shopify's shapes: `{ errors }` only (no data, no cost block),
// graphql-ruby's messages, codes and paths (shopify-captures/bulk-operations, flow, staged-uploads).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../src/server";
import { control, post, SHOP, shopWithClient, startEmulator, VERSION, type ShopClient } from "./helpers";

let emulator: Emulator;
let client: ShopClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = await shopWithClient(emulator, { customers: 5 });
});
afterAll(() => emulator.close());

describe("parse errors", () => {
  it("an unfinished document: syntax error at the end of file, PARSE_ERROR, nothing else", async () => {
    const { status, json } = await client.gql("{ shop { id }");
    expect(status).toBe(200);
    expect(json).toEqual({
      errors: [
        {
          message: "syntax error, unexpected end of file at [1, 14]",
          locations: [{ line: 1, column: 14 }],
          extensions: { code: "PARSE_ERROR" },
        },
      ],
    });
  });

  it("an empty query is a parse error at [1, 1]; an unexpected token is named", async () => {
    expect((await client.gql("")).json.errors).toEqual([
      {
        message: "syntax error, unexpected end of file at [1, 1]",
        locations: [{ line: 1, column: 1 }],
        extensions: { code: "PARSE_ERROR" },
      },
    ]);
    expect((await client.gql("{ shop { id } } }")).json.errors[0].message).toBe(
      'syntax error, unexpected RCURLY ("}") at [1, 17]',
    );
  });

  it("costs nothing and is not a mutation", async () => {
    const before = await control(emulator, "GET", `stats?shop=${SHOP}`);
    await client.gql("mutation { customerDelete(");
    const after = await control(emulator, "GET", `stats?shop=${SHOP}`);
    expect(after.pointsRequested).toBe(before.pointsRequested);
    expect(after.mutations).toBe(before.mutations);
  });
});

describe("validation errors carry graphql-ruby's path", () => {
  it("named operations, aliases and fragments", async () => {
    const { json } = await client.gql(
      `query Named { renamed: shop { ...F } }
       fragment F on Shop { nmae ... on Shop { nope } }`,
    );
    expect(json.data).toBeUndefined();
    expect(json.extensions).toBeUndefined();
    expect(json.errors.map((e: { path: unknown }) => e.path)).toEqual([
      ["fragment F", "nmae"],
      ["fragment F", "... on Shop", "nope"],
    ]);
    const mutation = await client.gql("mutation { definitelyUnknown { ok } }");
    expect(mutation.json.errors[0]).toEqual({
      message: "Field 'definitelyUnknown' doesn't exist on type 'Mutation'",
      locations: [{ line: 1, column: 12 }],
      path: ["mutation", "definitelyUnknown"],
      extensions: { code: "undefinedField", typeName: "Mutation", fieldName: "definitelyUnknown" },
    });
  });

  it("missing required arguments are reported once per field", async () => {
    const { json } = await client.gql(
      "mutation M { customerSendAccountInviteEmail { userErrors { message } } }",
    );
    expect(json.errors).toEqual([
      {
        message: "Field 'customerSendAccountInviteEmail' is missing required arguments: customerId",
        locations: [{ line: 1, column: 14 }],
        path: ["mutation M", "customerSendAccountInviteEmail"],
        extensions: {
          code: "missingRequiredArguments",
          className: "Field",
          name: "customerSendAccountInviteEmail",
          arguments: "customerId",
        },
      },
    ]);
  });

  it("an argument that is not accepted, and a variable declared but not used", async () => {
    const { json } = await client.gql(
      'mutation Probe($x: String) { customerDelete(input: { id: "gid://shopify/Customer/1" }, extra: $x) { deletedCustomerId } }',
    );
    expect(json.errors[0]).toMatchObject({
      message: "Field 'customerDelete' doesn't accept argument 'extra'",
      path: ["mutation Probe", "customerDelete", "extra"],
      extensions: {
        code: "argumentNotAccepted",
        name: "customerDelete",
        typeName: "Field",
        argumentName: "extra",
      },
    });
    const unused = await client.gql("query Probe($x: String) { shop { id } }");
    expect(unused.json.errors).toEqual([
      {
        message: "Variable $x is declared by Probe but not used",
        locations: [{ line: 1, column: 1 }],
        path: ["query Probe"],
        extensions: { code: "variableNotUsed", variableName: "x" },
      },
    ]);
  });

  it("an enum literal of the wrong value, and a missing input object field", async () => {
    const sort = await client.gql("query S {\n  customers(first: 1, sortKey: BANANA) { nodes { id } } }");
    expect(sort.json.errors).toEqual([
      {
        message:
          "Argument 'sortKey' on Field 'customers' has an invalid value (BANANA). Expected type 'CustomerSortKeys'.",
        locations: [{ line: 2, column: 3 }],
        path: ["query S", "customers", "sortKey"],
        extensions: { code: "argumentLiteralsIncompatible", typeName: "Field", argumentName: "sortKey" },
      },
    ]);
    const input = await client.gql("mutation D { customerDelete(input: {}) { deletedCustomerId } }");
    expect(input.json.errors).toEqual([
      {
        message: "Argument 'id' on InputObject 'CustomerDeleteInput' is required. Expected type ID!",
        locations: [{ line: 1, column: 36 }],
        path: ["mutation D", "customerDelete", "input", "id"],
        extensions: {
          code: "missingRequiredInputObjectAttribute",
          argumentName: "id",
          argumentType: "ID!",
          inputObjectType: "CustomerDeleteInput",
        },
      },
    ]);
  });

  it("an ID literal that is not a global id, in a list too", async () => {
    const { json } = await client.gql(`query N { nodes(ids: ["gid://shopify/Customer/1", "nope"]) { id } }`);
    expect(json).toEqual({
      errors: [
        {
          message: "Invalid global id 'nope'",
          locations: [{ line: 1, column: 11 }],
          path: ["query N", "nodes", "ids"],
          extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
        },
      ],
    });
  });
});

describe("variables", () => {
  it("a missing required variable is INVALID_VARIABLE at its definition", async () => {
    const { json } = await client.gql("query Named($id: ID!) { customer(id: $id) { id } }", {});
    expect(json).toEqual({
      errors: [
        {
          message: "Variable $id of type ID! was provided invalid value",
          locations: [{ line: 1, column: 13 }],
          extensions: {
            code: "INVALID_VARIABLE",
            value: null,
            problems: [
              {
                path: [],
                explanation: "Expected value to not be null",
                message: "Expected value to not be null",
              },
            ],
          },
        },
      ],
    });
  });

  it("an ID variable that is not a global id", async () => {
    const { json } = await client.gql("query Named($id: ID!) {\n  customer(id: $id) { id } }", {
      id: "not-a-shopify-gid",
    });
    expect(json.errors).toEqual([
      {
        message: "Variable $id of type ID! was provided invalid value",
        locations: [{ line: 1, column: 13 }],
        extensions: {
          code: "INVALID_VARIABLE",
          value: "not-a-shopify-gid",
          problems: [
            {
              path: [],
              explanation: "Invalid global id 'not-a-shopify-gid'",
              message: "Invalid global id 'not-a-shopify-gid'",
            },
          ],
        },
      },
    ]);
  });

  it("input objects: the problem's path and explanation go into the message", async () => {
    const { json } = await client.gql(
      "mutation C($input: CustomerInput!) { customerCreate(input: $input) { customer { id } } }",
      { input: { firstName: "A", bogus: 1 } },
    );
    expect(json.errors).toEqual([
      {
        message:
          "Variable $input of type CustomerInput! was provided invalid value for bogus (Field is not defined on CustomerInput)",
        locations: [{ line: 1, column: 12 }],
        extensions: {
          code: "INVALID_VARIABLE",
          value: { firstName: "A", bogus: 1 },
          problems: [
            {
              path: ["bogus"],
              explanation: "Field is not defined on CustomerInput",
              message: "Field is not defined on CustomerInput",
            },
          ],
        },
      },
    ]);
    const sort = await client.gql(
      "query S($s: CustomerSortKeys) { customers(first: 1, sortKey: $s) { nodes { id } } }",
      {
        s: "BANANA",
      },
    );
    expect(sort.json.errors[0].extensions.problems[0].explanation).toMatch(
      /^Expected "BANANA" to be one of: .*CREATED_AT.*ID/,
    );
  });

  it("nothing is charged for a refused variable", async () => {
    const before = await control(emulator, "GET", `stats?shop=${SHOP}`);
    await client.gql("mutation M($id: ID!) { customerDelete(input: { id: $id }) { deletedCustomerId } }", {});
    const after = await control(emulator, "GET", `stats?shop=${SHOP}`);
    expect(after.pointsRequested).toBe(before.pointsRequested);
    expect(after.mutations).toBe(before.mutations);
  });
});

describe("operation selection", () => {
  it("words an unknown or missing operation name like graphql-ruby", async () => {
    const two = "query A { shop { id } } query B { shop { name } }";
    const result = await post(
      emulator,
      `/admin/api/${VERSION}/graphql.json`,
      { query: two },
      { "X-Shopify-Access-Token": client.token, "X-Forwarded-Host": SHOP },
    );
    expect(result.json.errors[0].message).toBe("An operation name is required");
    expect((await client.gql(two, {}, "C")).json.errors[0].message).toBe('No operation named "C"');
  });
});
