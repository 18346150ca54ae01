import { afterEach, describe, expect, it, vi } from "vitest";
import customerShouldRender from "../../customer-invite-action/src/shouldRender";
import sendShouldRender from "../../send-account-invites/src/shouldRender";
import { ADMIN_API_VERSION } from "../src/adminApiVersion";
import { EXTENSION_SHOP_CUSTOMER_ACCOUNTS_QUERY, invitesMayWork } from "../src/shouldRenderInvites";

const answer = (customerAccountsVersion: string) => async () => ({
  data: { shop: { customerAccountsV2: { customerAccountsVersion } } },
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("should the invite actions show?", () => {
  it("hides them when the shop is on new customer accounts", async () => {
    expect(await invitesMayWork(answer("NEW_CUSTOMER_ACCOUNTS"))).toBe(false);
  });

  it("shows them on legacy customer accounts", async () => {
    expect(await invitesMayWork(answer("CLASSIC"))).toBe(true);
  });

  it("shows them when Shopify's answer is missing or the query fails (the dry run explains)", async () => {
    expect(await invitesMayWork(async () => ({ errors: [{ message: "Access denied" }] }))).toBe(true);
    expect(await invitesMayWork(async () => Promise.reject(new Error("offline")))).toBe(true);
  });

  it("asks the Admin API at the app's version", async () => {
    const query = vi.fn(answer("CLASSIC"));
    await invitesMayWork(query);
    expect(query).toHaveBeenCalledWith(EXTENSION_SHOP_CUSTOMER_ACCOUNTS_QUERY, {
      version: ADMIN_API_VERSION,
    });
  });

  it.each([
    ["send-account-invites", sendShouldRender],
    ["customer-invite-action", customerShouldRender],
  ])("%s: the should-render target answers { display }", async (_, shouldRender) => {
    vi.stubGlobal("shopify", { query: answer("NEW_CUSTOMER_ACCOUNTS") });
    expect(await shouldRender()).toEqual({ display: false });
    vi.stubGlobal("shopify", { query: answer("CLASSIC") });
    expect(await shouldRender()).toEqual({ display: true });
  });
});
