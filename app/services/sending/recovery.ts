import type { CustomerState, OutcomeReason } from "~/constants/invites";

// Crash recovery's one rule (decision 005): a recipient found in `sending` (the app stopped mid-send,
// or a request got no answer) is settled from the customer's state now, compared with the state
// recorded when its eligibility was decided. Nothing is ever re-sent on a guess. Pure; tested in
// recovery.test.ts. The sender applies it (shopSender.server.ts, settleByState).

export interface RecoveryOutcome {
  to: "sent" | "failed" | "skipped" | "queued";
  reasonCode?: OutcomeReason;
}

export function decideUncertain({
  stateBefore,
  stateNow,
  attempts,
  maxAttempts,
}: {
  stateBefore: string | null;
  /** null: Shopify no longer knows the customer. */
  stateNow: CustomerState | null;
  attempts: number;
  maxAttempts: number;
}): RecoveryOutcome {
  if (stateNow === null) return { to: "failed", reasonCode: "NOT_FOUND" };
  // An invite moves a customer without an account to INVITED: seeing it proves the invite went out.
  if ((stateBefore === "DISABLED" || stateBefore === "DECLINED") && stateNow === "INVITED")
    return { to: "sent" };
  if (stateNow === "ENABLED") return { to: "skipped", reasonCode: "ACCOUNT_ENABLED" };
  // Still DISABLED: the invite did not go out (it would have changed the state), so it may be retried.
  if (stateBefore === "DISABLED" && stateNow === "DISABLED") {
    return attempts >= maxAttempts ? { to: "failed", reasonCode: "RETRIES_EXHAUSTED" } : { to: "queued" };
  }
  // INVITED before: an invite leaves it INVITED, so the state cannot tell. Say so; never guess.
  return { to: "failed", reasonCode: "UNCERTAIN" };
}
