import type { CustomerState, OutcomeReason, ReasonParams } from "~/constants/invites";
import { CustomerSendAccountInviteEmailMutation } from "~/graphql/CustomerSendAccountInviteEmailMutation";
import { completeCampaignIfDone } from "~/models/Campaign.server";
import { recordSingleInvite, settleSending } from "~/models/ledger.server";
import { getShopSettings } from "~/models/ShopSettings.server";
import { customerIdSchema, emailOptionsSchema, type EmailOptions } from "~/services/campaigns/campaignInput";
import { decideCustomers, ledgerDecisionOf } from "~/services/campaigns/eligibilityPass.server";
import {
  REQUEST_TIMEOUT_MS,
  requestAdmin,
  ShopifyUnavailable,
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
  timeoutMs = REQUEST_TIMEOUT_MS,
}: {
  graphql: AdminGraphql;
  shop: string;
  customerId: string;
  email?: EmailOptions;
  requestedBy: string | null;
  timeoutMs?: number;
}): Promise<InviteResult> {
  const id = customerIdSchema.parse(customerId);
  const emailOptions = email ? emailOptionsSchema.parse(email) : undefined;
  const log = logger.child({ shop, customerId: id });
  const [accounts, settings, read] = await Promise.all([
    getShopAccounts(graphql),
    getShopSettings({ shop }),
    readCustomerSnapshots({ graphql, ids: [id], timeoutMs }),
  ]);
  if (read.kind !== "answered" || !read.data)
    throw new ShopifyUnavailable(read.kind === "throttled" ? "busy" : "unanswered");
  const snapshot = read.data.get(id) ?? null;
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
  const { skip } = ledgerDecisionOf(decided!);
  const { campaignId, recipientId } = await recordSingleInvite({
    shop,
    customerId: id,
    stateBefore: snapshot?.state ?? null,
    skip,
    email: emailOptions,
    requestedBy,
  });
  if (skip) return { status: "skipped", reason: skip.reason, ...(skip.params ? { params: skip.params } : {}) };

  const outcome = await requestAdmin({
    send: (signal) =>
      graphql(CustomerSendAccountInviteEmailMutation, {
        variables: { customerId: id, email: emailOptions ?? null },
        signal,
      }),
    parse: (data) => data.customerSendAccountInviteEmail ?? null,
    timeoutMs,
  });
  const settle = async (result: InviteResult) => {
    await settleSending({
      shop,
      campaignId,
      outcomes: [
        result.status === "sent"
          ? { recipientId, to: "sent" }
          : { recipientId, to: "failed", reasonCode: "SHOPIFY_ERROR", reasonParams: result.params },
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
    return settle({ status: "failed", reason: "SHOPIFY_ERROR", params: { shopifyMessage: messages.join(" ") } });
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
