import { describe, expect, it } from "vitest";
import { accountsModeFrom } from "~/services/shopify/shopAccounts.server";

describe("accountsModeFrom", () => {
  it("recognises legacy and new customer accounts", () => {
    expect(accountsModeFrom("CLASSIC")).toBe("classic");
    expect(accountsModeFrom("NEW_CUSTOMER_ACCOUNTS")).toBe("new");
  });

  it("does not guess when Shopify says nothing", () => {
    expect(accountsModeFrom(null)).toBe("unknown");
    expect(accountsModeFrom("SOMETHING_NEW")).toBe("unknown");
  });
});
