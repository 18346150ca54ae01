import { readFileSync } from "node:fs";
import { buildClientSchema, parse, validate, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "~/constants/shopify";
import { FLOW_TRIGGER_HANDLE } from "~/constants/flow";
import {
  flowTriggerBatchDocument,
  flowTriggerBatchVariables,
  parseFlowTriggerBatchData,
  TRIGGER_BATCH_OPERATION_NAME,
} from "~/services/flow/flowTriggerBatchDocument";
import { inviteSentPayload, payloadBytes, payloadFits } from "~/services/flow/flowTriggerPayload";

let schema: GraphQLSchema;
beforeAll(() => {
  schema = buildClientSchema(
    JSON.parse(readFileSync(`.schema/admin-${ADMIN_API_VERSION}.json`, "utf8")).data,
  );
});

describe("the aliased flowTriggerReceive batch", () => {
  it.each([1, 2, 25])("is valid against Shopify's published schema with %i aliases", (size) => {
    const document = flowTriggerBatchDocument(size);
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
    expect(document).toContain(`mutation ${TRIGGER_BATCH_OPERATION_NAME}(`);
    expect(document.match(/flowTriggerReceive\(handle: \$handle, payload: \$p\d+\)/g)).toHaveLength(size);
  });

  it("passes the handle once and one payload per event, and reads each alias's userErrors", () => {
    expect(flowTriggerBatchVariables(FLOW_TRIGGER_HANDLE, [{ a: 1 }, { b: 2 }])).toEqual({
      handle: "account-invite-sent",
      p0: { a: 1 },
      p1: { b: 2 },
    });
    expect(
      parseFlowTriggerBatchData(
        { t0: { userErrors: [] }, t1: { userErrors: [{ field: ["body"], message: "x" }] } },
        3,
      ),
    ).toEqual([{ userErrors: [] }, { userErrors: [{ field: ["body"], message: "x" }] }, null]);
  });
});

describe("an Account invite sent payload", () => {
  const payload = inviteSentPayload({
    customerId: "gid://shopify/Customer/9007199254740991",
    origin: "reminder",
    campaignId: "cmabcdefghijklmnopqrstuvw",
    attempt: 3,
  });

  it("holds the customer reference as Flow's numeric customer_id, then keys of letters and spaces", () => {
    expect(payload).toEqual({
      customer_id: 9007199254740991,
      "Invite source": "reminder",
      "Campaign ID": "cmabcdefghijklmnopqrstuvw",
      "Attempt number": 3,
    });
    for (const key of Object.keys(payload).filter((k) => k !== "customer_id"))
      expect(key).toMatch(/^[A-Za-z ]+$/);
  });

  it("is far below Flow's 50,000-byte limit, which payloadFits enforces at its boundary", () => {
    expect(payloadBytes(payload)).toBeLessThan(200);
    expect(payloadFits({ value: "x".repeat(49_988) })).toBe(true); // 50,000 bytes: accepted (captured)
    expect(payloadFits({ value: "x".repeat(49_989) })).toBe(false); // 50,001 bytes: refused (captured)
    expect(payloadFits({ value: "é".repeat(24_995) })).toBe(false); // bytes, not characters
  });

  it("refuses what is not a customer GID rather than send a wrong reference", () => {
    expect(() =>
      inviteSentPayload({
        customerId: "https://x/account/activate/1/t",
        origin: "flow",
        campaignId: "c",
        attempt: 1,
      }),
    ).toThrow();
  });
});
