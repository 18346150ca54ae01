import { describe, expect, it } from "vitest";
import { MAX_SELECTED_CUSTOMERS } from "~/constants/invites";
import { parseCampaignInput } from "~/services/campaigns/campaignInput";
import { withEnglishErrors } from "../../../test/support/messages";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `gid://shopify/Customer/${i + 1}`);

const parse = (input: unknown) => withEnglishErrors(parseCampaignInput(input));

describe("parseCampaignInput", () => {
  it("accepts a selection with email options", () => {
    const result = parse({
      customerIds: ids(3),
      email: {
        subject: "Activate your account",
        customMessage: "Welcome",
        from: "shop@example.com",
        bcc: ["a@example.com"],
      },
      idempotencyKey: "k1",
    });
    expect(result).toMatchObject({ success: true, data: { customerIds: ids(3), includeDeclined: false } });
  });

  it("accepts a search query instead of ids", () => {
    expect(parse({ query: "state:disabled", idempotencyKey: "k" })).toMatchObject({
      success: true,
    });
  });

  it("needs exactly one of customerIds and query", () => {
    expect(parse({ idempotencyKey: "k" })).toEqual({
      success: false,
      errors: { customerIds: "give either customerIds, query or segmentId" },
    });
    expect(parse({ customerIds: ids(1), query: "x", idempotencyKey: "k" })).toMatchObject({
      success: false,
    });
  });

  it("names the customer id that is not a customer GID", () => {
    const result = parse({
      customerIds: ["gid://shopify/Customer/1", "gid://shopify/Order/2"],
      idempotencyKey: "k",
    });
    expect(result).toMatchObject({
      success: false,
      errors: { "customerIds.1": expect.stringContaining("customer id") },
    });
  });

  it(`enforces the cap of ${MAX_SELECTED_CUSTOMERS} selected customers`, () => {
    expect(parse({ customerIds: ids(MAX_SELECTED_CUSTOMERS), idempotencyKey: "k" })).toMatchObject({
      success: true,
    });
    expect(parse({ customerIds: ids(MAX_SELECTED_CUSTOMERS + 1), idempotencyKey: "k" })).toMatchObject({
      success: false,
      errors: { customerIds: expect.stringContaining("search query") },
    });
  });

  it("counts a customer selected twice once", () => {
    const result = parse({ customerIds: [...ids(2), ...ids(2)], idempotencyKey: "k" });
    expect(result).toMatchObject({ success: true, data: { customerIds: ids(2) } });
  });

  it("refuses bad addresses, long subjects and messages, and too many bcc", () => {
    const result = parse({
      customerIds: ids(1),
      email: {
        subject: "x".repeat(256),
        customMessage: "x".repeat(5_001),
        from: "not-an-address",
        bcc: [
          "a@example.com",
          "b@example.com",
          "c@example.com",
          "d@example.com",
          "e@example.com",
          "f@example.com",
        ],
      },
      idempotencyKey: "k",
    });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(Object.keys(result.errors).sort()).toEqual([
        "email.bcc",
        "email.customMessage",
        "email.from",
        "email.subject",
      ]);
    }
    expect(parse({ customerIds: ids(1), email: { bcc: ["nope"] }, idempotencyKey: "k" })).toMatchObject({
      success: false,
      errors: { "email.bcc.0": "must be an email address" },
    });
  });

  it("requires an idempotency key and refuses unknown fields", () => {
    expect(parse({ customerIds: ids(1) })).toMatchObject({
      success: false,
      errors: { idempotencyKey: expect.any(String) },
    });
    expect(parse({ customerIds: ids(1), idempotencyKey: "k", to: "x@example.com" })).toMatchObject({
      success: false,
    });
  });
});
