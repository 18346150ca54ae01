import { describe, expect, it } from "vitest";
import { english, render } from "~/i18n/translate.server";
import { reasonMessage } from "~/i18n/message";
import { decideUncertain } from "~/services/sending/recovery";

// A recipient found in `sending` (the app stopped mid-send, or a request got no answer) is settled from
// the customer's state now, compared with the state recorded before the send. Never re-sent on a guess.
describe("decideUncertain", () => {
  const settle = (
    stateBefore: string | null,
    stateNow: Parameters<typeof decideUncertain>[0]["stateNow"],
    attempts = 1,
  ) => decideUncertain({ stateBefore, stateNow, attempts, maxAttempts: 5 });

  it("counts the invite as sent when a customer without an account is now INVITED", () => {
    expect(settle("DISABLED", "INVITED")).toEqual({ to: "sent" });
    expect(settle("DECLINED", "INVITED")).toEqual({ to: "sent" });
  });

  it("queues the customer again when still DISABLED: the invite did not go out", () => {
    expect(settle("DISABLED", "DISABLED")).toEqual({ to: "queued" });
  });

  it("fails after the last attempt instead of retrying forever", () => {
    expect(settle("DISABLED", "DISABLED", 5)).toMatchObject({
      to: "failed",
      reasonCode: "RETRIES_EXHAUSTED",
    });
  });

  it("says it cannot tell when the customer was already INVITED (an invite does not change the state)", () => {
    expect(settle("INVITED", "INVITED")).toMatchObject({ to: "failed", reasonCode: "UNCERTAIN" });
    expect(render(english(), reasonMessage("UNCERTAIN"))).toContain("may or may not have gone out");
  });

  it("does not guess on a DECLINED customer whose state did not move", () => {
    expect(settle("DECLINED", "DECLINED")).toMatchObject({ to: "failed", reasonCode: "UNCERTAIN" });
  });

  it("stops for customers who now have an account, or who no longer exist", () => {
    expect(settle("DISABLED", "ENABLED")).toMatchObject({ to: "skipped", reasonCode: "ACCOUNT_ENABLED" });
    expect(settle("DISABLED", null)).toMatchObject({ to: "failed", reasonCode: "NOT_FOUND" });
  });
});
