import { readFileSync } from "node:fs";
import { buildClientSchema, parse, validate, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "~/constants/shopify";
import {
  BATCH_OPERATION_NAME,
  inviteBatchDocument,
  inviteBatchVariables,
  parseInviteBatchData,
} from "~/services/sending/inviteBatchDocument";

let schema: GraphQLSchema;
beforeAll(() => {
  schema = buildClientSchema(
    JSON.parse(readFileSync(`.schema/admin-${ADMIN_API_VERSION}.json`, "utf8")).data,
  );
});

// The only GraphQL the app sends that is not a static #graphql document: prove it valid for every shape.
describe("the aliased invite batch", () => {
  it.each([1, 2, 37, 100])("is valid against Shopify's published schema with %i aliases", (size) => {
    const document = inviteBatchDocument(size);
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
    expect(document).toContain(`mutation ${BATCH_OPERATION_NAME}(`);
    expect(document.match(/customerSendAccountInviteEmail\(/g)).toHaveLength(size);
  });

  it("selects exactly what the typed single-invite operation selects", () => {
    const document = inviteBatchDocument(2);
    expect(document).toContain("i0: customerSendAccountInviteEmail(customerId: $c0, email: $email)");
    expect(document).toContain("i1: customerSendAccountInviteEmail(customerId: $c1, email: $email)");
    expect(document.match(/userErrors \{\s+code\s+field\s+message\s+\}/g)).toHaveLength(2);
  });

  it("passes one variable per customer and one shared email", () => {
    expect(
      inviteBatchVariables(["gid://shopify/Customer/1", "gid://shopify/Customer/2"], { subject: "Hi" }),
    ).toEqual({
      email: { subject: "Hi" },
      c0: "gid://shopify/Customer/1",
      c1: "gid://shopify/Customer/2",
    });
  });

  it("reads each alias's payload and keeps every userError message", () => {
    const data = {
      i0: { customer: { id: "gid://shopify/Customer/1", state: "INVITED" }, userErrors: [] },
      i1: {
        customer: null,
        userErrors: [
          { code: "INVALID", field: ["customerId"], message: "Customer can't be found" },
          { code: null, field: null, message: "Second message" },
        ],
      },
      i2: null,
    };
    const payloads = parseInviteBatchData(data, 3);
    expect(payloads[0]?.userErrors).toEqual([]);
    expect(payloads[1]?.userErrors.map((e) => e.message)).toEqual([
      "Customer can't be found",
      "Second message",
    ]);
    expect(payloads[2]).toBeNull();
  });

  it("refuses an answer that does not have the payload's shape", () => {
    expect(() => parseInviteBatchData({ i0: { userErrors: "nope" } }, 1)).toThrow();
  });
});
