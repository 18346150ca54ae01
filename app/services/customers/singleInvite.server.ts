import type { CustomerState, OutcomeReason, ReasonParams } from "~/constants/invites";
import { CustomerSendAccountInviteEmailMutation } from "~/graphql/CustomerSendAccountInviteEmailMutation";
import { completeCampaignIfDone } from "~/models/Campaign.server";
import { recordSingleInvite, settleSending } from "~/models/ledger.server";
import { getShopSettings } from "~/models/ShopSettings.server";
import { customerIdSchema, emailOptionsSchema, type EmailOptions } from "~/services/campaigns/campaignInput";
import {
  IdempotencyKeyReused,
  requestFingerprint,
  sameRequest,
} from "~/services/campaigns/requestFingerprint";
import { decideCustomers, ledgerDecisionOf } from "~/services/campaigns/eligibilityPass.server";
import {
  dataOf,
  REQUEST_TIMEOUT_MS,
  requestAdmin,
  retryWhenThrottled,
  throwRefusal,
} from "~/services/shopify/adminRequest.server";
import { readCustomerSnapshots, readCustomerStates } from "~/services/shopify/customerReads.server";
import { getShopAccounts } from "~/services/shopify/shopAccounts.server";
import type { AdminGraphql } from "~/types/admin";
import { logger } from "~/utils/logger.server";

// One invite from a customer's page, now. It goes through the ledger as a campaign of one (history,
// the re-invite window, compliance), decided by the same eligibility pass as every campaign, but is sent
// in the request: one mutation of 10 points needs no pacing.

export interface InviteResult {
  status: "sent" | "skipped" | "failed";
  reason?: OutcomeReason | null;
  params?: ReasonParams;
}

export async function inviteCustomer({
  graphql,
  shop,
  customerId,
  email,
  requestedBy,
  idempotencyKey,
  timeoutMs = REQUEST_TIMEOUT_MS,
}: {
  graphql: AdminGraphql;
  shop: string;
  customerId: string;
  email?: EmailOptions;
  requestedBy: string | null;
  /**
   * The extension's key for this dialog: a retried request answers with the first one's result; the key
   * with other email options throws IdempotencyKeyReused (nothing sent).
   */
  idempotencyKey?: string;
  timeoutMs?: number;
}): Promise<InviteResult> {
  const id = customerIdSchema.parse(customerId);
  const emailOptions = email ? emailOptionsSchema.parse(email) : undefined;
  const log = logger.child({ shop, customerId: id });
  // The customer is part of the key already (ledger.server.ts); the request is its email options.
  const fingerprint = requestFingerprint({ customerId: id, email: emailOptions ?? null });
  const [accounts, settings, read] = await Promise.all([
    getShopAccounts(graphql),
    getShopSettings({ shop }),
    retryWhenThrottled(() => readCustomerSnapshots({ graphql, ids: [id], timeoutMs })),
  ]);
  const snapshot = dataOf(read).get(id) ?? null;
  // From a customer's page the merchant chose this customer: one who declined is invited again.
  const [decided] = await decideCustomers(
    {
      shop,
      accountsMode: accounts.accountsMode,
      reinviteWindowHours: settings.reinviteWindowHours,
      includeDeclined: true,
    },
    [{ id, snapshot }],
  );
  const recorded = await recordSingleInvite({
    shop,
    customerId: id,
    stateBefore: snapshot?.state ?? null,
    skip: ledgerDecisionOf(decided!).skip,
    email: emailOptions,
    requestedBy,
    idempotencyKey,
    requestFingerprint: fingerprint,
    reinviteWindowHours: settings.reinviteWindowHours,
  });
  if (recorded.replayed) {
    if (!sameRequest(recorded.requestFingerprint, fingerprint)) {
      log.warn({ campaignId: recorded.campaignId }, "idempotency key reused with another request");
      throw new IdempotencyKeyReused();
    }
    return resultOfRow(recorded.recipient);
  }
  const { campaignId, recipientId, skip } = recorded;
  if (skip)
    return { status: "skipped", reason: skip.reason, ...(skip.params ? { params: skip.params } : {}) };

  // THROTTLED: it did not run, so it is asked again (retryWhenThrottled); nothing else is.
  const outcome = await retryWhenThrottled(() =>
    requestAdmin({
      send: (signal) =>
        graphql(CustomerSendAccountInviteEmailMutation, {
          variables: { customerId: id, email: emailOptions ?? null },
          signal,
        }),
      parse: (data) => data.customerSendAccountInviteEmail ?? null,
      timeoutMs,
    }),
  );
  const settle = async (result: InviteResult) => {
    await settleSending({
      shop,
      campaignId,
      outcomes: [
        result.status === "sent"
          ? { recipientId, to: "sent" }
          : {
              recipientId,
              to: "failed",
              reasonCode: result.reason ?? "SHOPIFY_ERROR",
              reasonParams: result.params,
            },
      ],
    });
    await completeCampaignIfDone({ shop, id: campaignId });
    return result;
  };
  if (outcome.kind === "answered" && outcome.data) {
    const messages = outcome.data.userErrors.map((e) => e.message);
    if (messages.length === 0) {
      log.info({ campaignId }, "invite sent");
      return settle({ status: "sent" });
    }
    log.warn({ campaignId, userErrors: outcome.data.userErrors }, "Shopify refused an invite");
    return settle({
      status: "failed",
      reason: "SHOPIFY_ERROR",
      params: { shopifyMessage: messages.join(" ") },
    });
  }
  if (outcome.kind === "refused") {
    // Refused before it ran: nothing was sent. Recorded as such, then answered like any refusal.
    log.warn({ campaignId, status: outcome.status }, "Shopify refused the single invite");
    await settle({ status: "failed", reason: "REFUSED" });
    throwRefusal(outcome);
  }
  // No usable answer. When the state proves the send, it is recorded now; otherwise the row stays
  // `sending` in a running campaign and the worker settles it like any other (and sends it only if
  // Shopify shows it did not go out). Never twice.
  const states =
    outcome.kind === "throttled" ? null : await readCustomerStates({ graphql, ids: [id], timeoutMs });
  const stateNow: CustomerState | null =
    states?.kind === "answered" && states.data ? (states.data.get(id) ?? null) : null;
  if (snapshot?.state !== "INVITED" && stateNow === "INVITED") return settle({ status: "sent" });
  log.warn({ campaignId, outcome: outcome.kind }, "single invite got no answer; the worker will settle it");
  return { status: "failed", reason: "UNCERTAIN" };
}

/** The result a replayed request answers with: what the first one recorded. */
function resultOfRow(row: {
  status: string;
  reasonCode: string | null;
  reasonParams: string | null;
}): InviteResult {
  const params = row.reasonParams ? (JSON.parse(row.reasonParams) as ReasonParams) : undefined;
  const reason = (row.reasonCode as OutcomeReason | null) ?? null;
  if (row.status === "sent") return { status: "sent" };
  if (row.status === "skipped") return { status: "skipped", reason, ...(params ? { params } : {}) };
  // Still `sending`: the first request got no answer; the worker settles it.
  if (row.status === "sending" || row.status === "queued") return { status: "failed", reason: "UNCERTAIN" };
  return { status: "failed", reason, ...(params ? { params } : {}) };
}
