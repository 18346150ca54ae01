import { english, render } from "~/i18n/translate.server";
import { reasonMessage } from "~/i18n/message";
import { describe, expect, it } from "vitest";
import { decideEligibility, type CustomerSnapshot } from "~/services/campaigns/eligibility";

const now = new Date("2026-11-23T12:00:00Z");
const options = { reinviteWindowHours: 24, includeDeclined: false };
const customer = (state: CustomerSnapshot["state"], hasEmail = true): CustomerSnapshot => ({
  id: "gid://shopify/Customer/1",
  state,
  hasEmail,
});
const decide = (overrides: Partial<Parameters<typeof decideEligibility>[0]> = {}) =>
  decideEligibility({
    customer: customer("DISABLED"),
    accountsMode: "classic",
    lastInvitedAt: null,
    now,
    options,
    ...overrides,
  });

describe("decideEligibility", () => {
  it("invites a customer without an account who has an email address", () => {
    expect(decide()).toEqual({ eligible: true });
  });

  it("invites again a customer who was invited before the window (the invite is re-sent)", () => {
    expect(
      decide({ customer: customer("INVITED"), lastInvitedAt: new Date("2026-11-22T11:59:59Z") }),
    ).toEqual({
      eligible: true,
    });
  });

  it("skips customers who already have an account", () => {
    expect(decide({ customer: customer("ENABLED") })).toMatchObject({
      eligible: false,
      reason: "ACCOUNT_ENABLED",
    });
  });

  it("skips customers who declined, unless the merchant opts in", () => {
    expect(decide({ customer: customer("DECLINED") })).toMatchObject({ eligible: false, reason: "DECLINED" });
    expect(
      decide({ customer: customer("DECLINED"), options: { ...options, includeDeclined: true } }),
    ).toEqual({
      eligible: true,
    });
  });

  it("skips customers without an email address", () => {
    expect(decide({ customer: customer("DISABLED", false) })).toMatchObject({
      eligible: false,
      reason: "NO_EMAIL",
    });
  });

  it("skips customers invited within the window, and says how long the window is", () => {
    const result = decide({ lastInvitedAt: new Date("2026-11-22T12:00:01Z") });
    expect(result).toEqual({ eligible: false, reason: "INVITED_RECENTLY", params: { hours: 24 } });
    const params = result.eligible ? null : JSON.stringify(result.params);
    expect(render(english(), reasonMessage("INVITED_RECENTLY", params))).toBe(
      "Was sent an invite in the last 24 hours.",
    );
    expect(
      decide({
        lastInvitedAt: new Date("2026-11-23T06:00:00Z"),
        options: { ...options, reinviteWindowHours: 4 },
      }),
    ).toEqual({ eligible: true });
  });

  it("skips customers Shopify does not know", () => {
    expect(decide({ customer: null })).toMatchObject({ eligible: false, reason: "NOT_FOUND" });
  });

  it("skips everyone when the shop uses new customer accounts, whatever the customer's state", () => {
    for (const state of ["DISABLED", "INVITED", "ENABLED", "DECLINED"] as const) {
      expect(decide({ customer: customer(state), accountsMode: "new" })).toMatchObject({
        eligible: false,
        reason: "NEW_CUSTOMER_ACCOUNTS",
      });
    }
    expect(decide({ customer: null, accountsMode: "new" })).toMatchObject({
      reason: "NEW_CUSTOMER_ACCOUNTS",
    });
  });

  it("does not block when Shopify does not say which accounts the shop uses", () => {
    expect(decide({ accountsMode: "unknown" })).toEqual({ eligible: true });
  });

  it("gives every skip a message a merchant can read", () => {
    const skips = [
      decide({ customer: customer("ENABLED") }),
      decide({ customer: customer("DECLINED") }),
      decide({ customer: customer("DISABLED", false) }),
      decide({ lastInvitedAt: now }),
      decide({ accountsMode: "new" }),
      decide({ customer: null }),
    ];
    for (const result of skips) {
      expect(result.eligible).toBe(false);
      if (!result.eligible)
        expect(render(english(), reasonMessage(result.reason, JSON.stringify(result.params ?? {})))).toMatch(
          /^[A-Z].+\.$/,
        );
    }
  });
});

describe("decideEligibility for automatic invites", () => {
  const automatic = { ...options, automatic: { requiredTags: ["Wholesale", "b2b"] } };
  const tagged = (state: CustomerSnapshot["state"], tags: string[]): CustomerSnapshot => ({
    id: "gid://shopify/Customer/7",
    state,
    hasEmail: true,
    tags,
  });

  it("invites a DISABLED customer never invited, with one of the tags (compared without case)", () => {
    expect(decide({ customer: tagged("DISABLED", ["WHOLESALE"]), options: automatic })).toEqual({
      eligible: true,
    });
  });

  it("skips a customer already INVITED (from Shopify admin), or invited by the app before, whatever the window", () => {
    expect(decide({ customer: tagged("INVITED", ["b2b"]), options: automatic })).toMatchObject({
      reason: "ALREADY_INVITED",
    });
    expect(
      decide({
        customer: tagged("DISABLED", ["b2b"]),
        options: automatic,
        lastInvitedAt: new Date(now.getTime() - 90 * 86_400_000),
      }),
    ).toMatchObject({ reason: "ALREADY_INVITED" });
  });

  it("skips a customer with none of the required tags, naming them", () => {
    const decision = decide({ customer: tagged("DISABLED", ["retail"]), options: automatic });
    expect(decision).toEqual({ eligible: false, reason: "MISSING_TAGS", params: { tags: "Wholesale, b2b" } });
    expect(
      render(english(), reasonMessage("MISSING_TAGS", JSON.stringify({ tags: "Wholesale, b2b" }))),
    ).toContain("Wholesale, b2b");
  });

  it("keeps the shop-wide reasons first (an account, no email)", () => {
    expect(decide({ customer: tagged("ENABLED", ["b2b"]), options: automatic })).toMatchObject({
      reason: "ACCOUNT_ENABLED",
    });
    expect(
      decide({ customer: { ...tagged("DISABLED", ["b2b"]), hasEmail: false }, options: automatic }),
    ).toMatchObject({ reason: "NO_EMAIL" });
  });
});
