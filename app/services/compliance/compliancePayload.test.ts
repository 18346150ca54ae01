import { describe, expect, it } from "vitest";
import { customerGid } from "~/services/compliance/compliancePayload";

describe("customerGid", () => {
  it("turns the numeric id of a compliance payload into a customer GID", () => {
    expect(customerGid({ shop_id: 1, customer: { id: 207119551, email: "x@example.com" } })).toBe(
      "gid://shopify/Customer/207119551",
    );
  });

  it("refuses payloads without a usable customer id", () => {
    expect(customerGid({})).toBeNull();
    expect(customerGid({ customer: { id: "abc" } })).toBeNull();
    expect(customerGid(null)).toBeNull();
  });
});
