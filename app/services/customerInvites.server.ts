import type { CustomerState } from "~/constants/invites";
import { CustomerSendAccountInviteEmailMutation } from "~/graphql/CustomerSendAccountInviteEmailMutation";
import { findCustomerActivationLinks } from "~/models/ActivationLink.server";
import { completeCampaignIfDone, findCampaign, recordSingleInvite } from "~/models/Campaign.server";
import {
  findCustomerRecipients,
  findLastInviteTimes,
  findRecentFailures,
  settleSending,
} from "~/models/Recipient.server";
import { getShopSettings } from "~/models/ShopSettings.server";
import { requestAdmin, ShopifyUnavailable } from "~/services/adminRequest.server";
import { customerIdSchema, emailOptionsSchema, type EmailOptions } from "~/services/campaignInput";
import { readCustomerSnapshots, readCustomerStates } from "~/services/customerReads.server";
import { decideEligibility } from "~/services/eligibility";
import { getShopAccounts } from "~/services/shopAccounts.server";
import { strings } from "~/strings";
import type { AdminGraphql } from "~/types/admin";
import { logger } from "~/utils/logger.server";

// One customer at a time, from a customer's page: one invite now, and the customer's history. A single
// invite goes through the ledger as a campaign of one (history, the re-invite window, compliance), but
// is sent in the request: one mutation of 10 points needs no pacing.

export interface InviteResult {
  status: "sent" | "skipped" | "failed";
  reason?: string | null;
  message?: string | null;
}

export async function inviteCustomer({
  graphql,
  shop,
  customerId,
  email,
  requestedBy,
  timeoutMs = 15_000,
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
  const [accounts, settings, lastInvites, read] = await Promise.all([
    getShopAccounts(graphql),
    getShopSettings({ shop }),
    findLastInviteTimes({ shop, customerIds: [id] }),
    readCustomerSnapshots({ graphql, ids: [id], timeoutMs }),
  ]);
  if (read.kind !== "answered" || !read.data) {
    throw new ShopifyUnavailable(
      read.kind === "throttled"
        ? "Shopify is busy; try again in a few seconds."
        : "Shopify did not answer; try again.",
    );
  }
  const snapshot = read.data.get(id) ?? null;
  // From a customer's page the merchant chose this customer: one who declined is invited again.
  const eligibility = decideEligibility({
    customer: snapshot,
    accountsMode: accounts.accountsMode,
    lastInvitedAt: lastInvites.get(id) ?? null,
    now: new Date(),
    options: { reinviteWindowHours: settings.reinviteWindowHours, includeDeclined: true },
  });
  const skip = eligibility.eligible ? null : { reason: eligibility.reason, message: eligibility.message };
  const { campaignId, recipientId } = await recordSingleInvite({
    shop,
    customerId: id,
    stateBefore: snapshot?.state ?? null,
    skip,
    email: emailOptions,
    requestedBy,
  });
  if (skip) return { status: "skipped", ...skip };

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
          : { recipientId, to: "failed", reasonCode: "SHOPIFY_ERROR", reasonMessage: result.message ?? "" },
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
    return settle({ status: "failed", reason: "SHOPIFY_ERROR", message: messages.join(" ") });
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
  return { status: "failed", reason: "UNCERTAIN", message: strings.reasons.UNCERTAIN };
}

/** What the progress views show: counts per status (maintained, not recounted) and the latest failures. */
export async function getCampaignView({ shop, id }: { shop: string; id: string }) {
  const campaign = await findCampaign({ shop, id });
  if (!campaign) return null;
  const failures = await findRecentFailures({ shop, campaignId: id });
  return {
    id: campaign.id,
    status: campaign.status,
    source: campaign.source,
    query: campaign.query,
    total: campaign.total,
    targetsResolved: campaign.targetsResolved,
    counts: {
      queued: campaign.queuedCount,
      sending: campaign.sendingCount,
      sent: campaign.sentCount,
      skipped: campaign.skippedCount,
      failed: campaign.failedCount,
    },
    failureMessage: campaign.failureMessage,
    recentFailures: failures.map((f) => ({
      customerId: f.customerId,
      reason: f.reasonCode ?? "",
      message: f.reasonMessage,
    })),
    createdAt: campaign.createdAt,
    startedAt: campaign.startedAt,
    finishedAt: campaign.finishedAt,
  };
}

export type HistoryEvent =
  | {
      type: "invite";
      at: Date;
      status: string;
      reason: string | null;
      message: string | null;
      campaignId: string;
    }
  | { type: "activation_link"; at: Date; expiresAt: Date; replacedAt: Date | null };

/**
 * A customer's invites and activation links, newest first, with the state Shopify reports now (null
 * when Shopify could not be asked: the history still shows).
 */
export async function getCustomerHistory({
  graphql,
  shop,
  customerId,
  timeoutMs = 10_000,
}: {
  graphql: AdminGraphql;
  shop: string;
  customerId: string;
  timeoutMs?: number;
}) {
  const id = customerIdSchema.parse(customerId);
  const [recipients, links, states] = await Promise.all([
    findCustomerRecipients({ shop, customerId: id }),
    findCustomerActivationLinks({ shop, customerId: id }),
    readCustomerStates({ graphql, ids: [id], timeoutMs }),
  ]);
  const events: HistoryEvent[] = [
    ...recipients.map((r) => ({
      type: "invite" as const,
      at: r.finishedAt ?? r.sendingAt ?? r.createdAt,
      status: r.status,
      reason: r.reasonCode,
      message: r.reasonMessage,
      campaignId: r.campaignId,
    })),
    ...links.map((l) => ({
      type: "activation_link" as const,
      at: l.issuedAt,
      expiresAt: l.expiresAt,
      replacedAt: l.replacedAt,
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());
  const state = states.kind === "answered" && states.data ? (states.data.get(id) ?? null) : null;
  return { customer: { id, state }, events };
}
