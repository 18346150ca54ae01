import { BULK_READ_THRESHOLD, MAX_SELECTED_CUSTOMERS } from "~/constants/invites";
import { message, type Message } from "~/i18n/message";
import {
  findCampaign,
  findCampaignByKey,
  type CampaignRow,
  pauseCampaign as pauseCampaignRow,
  resumeCampaign as resumeCampaignRow,
} from "~/models/Campaign.server";
import { emailOf } from "~/models/campaignEmail";
import {
  cancelCampaign as cancelCampaignRow,
  createCampaignOnce,
  resolveUncertain,
} from "~/models/ledger.server";
import { findFailedCustomerIds } from "~/models/recipientPages.server";
import { type CampaignInput, parseCampaignInput } from "~/services/campaigns/campaignInput";
import { requestFingerprint, sameRequest } from "~/services/campaigns/requestFingerprint";
import { logger } from "~/utils/logger.server";

// Campaign workflows run inside a merchant's request: record and control. None of them sends: the
// worker does (app/jobs), so a request never waits on Shopify's rate limit.

/**
 * Records a campaign (and a selection's recipients). The same idempotency key with the same request
 * returns the same campaign; with another request (`keyReused`), the first campaign is left as it is and
 * the caller refuses (422). Follow-ups derive their key from their source campaign and ignore it.
 */
export async function createCampaign({
  shop,
  requestedBy,
  input,
  audienceCount = null,
}: {
  shop: string;
  requestedBy: string | null;
  input: CampaignInput;
  /** The audience's size as counted for the merchant (exact, or a lower bound): decides bulk reads. */
  audienceCount?: { count: number; exact: boolean } | null;
}) {
  const { idempotencyKey, ...request } = input;
  const fingerprint = requestFingerprint(request);
  const { campaign, created } = await createCampaignOnce({
    audienceCount: audienceCount?.exact ? audienceCount.count : null,
    readMethod: readMethodFor(audienceCount),
    shop,
    source: input.customerIds ? "selection" : input.segmentId ? "segment" : "query",
    // A segment's members are invited as "segment" (History shows it); the rest are the merchant's campaigns.
    origin: input.segmentId ? "segment" : "campaign",
    customerIds: input.customerIds,
    query: input.query,
    segmentId: input.segmentId,
    email: input.email,
    includeDeclined: input.includeDeclined,
    requestedBy,
    idempotencyKey,
    requestFingerprint: fingerprint,
    reminders: input.reminders ?? null,
  });
  const keyReused = !created && !sameRequest(campaign.requestFingerprint, fingerprint);
  logger.info(
    { shop, campaignId: campaign.id, created, keyReused, recipients: campaign.total },
    created
      ? "campaign recorded"
      : keyReused
        ? "idempotency key reused with another request"
        : "campaign already recorded for this key",
  );
  return { campaign, created, keyReused };
}

/**
 * How a query campaign reads its targets: a Shopify bulk query from BULK_READ_THRESHOLD customers on
 * (decision 010), search pages below it or when the size is unknown.
 */
export function readMethodFor(audienceCount: { count: number } | null | undefined): "pages" | "bulk" {
  return audienceCount && audienceCount.count >= BULK_READ_THRESHOLD ? "bulk" : "pages";
}

/** Pauses before the worker's next request; requests already out are settled normally. */
export async function pauseCampaign({ shop, id }: { shop: string; id: string }) {
  return pauseCampaignRow({ shop, id });
}

export async function resumeCampaign({ shop, id }: { shop: string; id: string }) {
  return resumeCampaignRow({ shop, id });
}

/** Cancels: nothing new is sent; already-sent stay sent; still-queued become skipped (CANCELLED). */
export async function cancelCampaign({ shop, id }: { shop: string; id: string }) {
  return cancelCampaignRow({ shop, id });
}

/**
 * A follow-up of a campaign: some of its customers in a new selection campaign with the same email
 * options (bcc included) and the same choice about declined customers. `key` is derived from the source
 * campaign, so a double click (or a resubmitted form) returns the same follow-up.
 */
async function followUpCampaign({
  source,
  customerIds,
  key,
  requestedBy,
}: {
  source: CampaignRow;
  customerIds: string[];
  key: string;
  requestedBy: string | null;
}) {
  const email = emailOf(source);
  const input = parseCampaignInput({
    customerIds: customerIds.slice(0, MAX_SELECTED_CUSTOMERS),
    includeDeclined: source.includeDeclined,
    idempotencyKey: key,
    ...(email ? { email } : {}),
    ...(source.reminderAfterDays
      ? { reminders: { afterDays: source.reminderAfterDays, max: source.reminderMax } }
      : {}),
  });
  if (!input.success) throw new Error(`follow-up input invalid: ${JSON.stringify(input.errors)}`);
  const { campaign, created } = await createCampaign({ shop: source.shop, requestedBy, input: input.data });
  return { kind: "created" as const, campaignId: campaign.id, created, recipients: customerIds.length };
}

/** Retries a campaign's failed recipients as a follow-up campaign (key `retry-failed:<id>`). */
export async function retryFailedRecipients({
  shop,
  id,
  requestedBy,
}: {
  shop: string;
  id: string;
  requestedBy: string | null;
}) {
  const source = await findCampaign({ shop, id });
  if (!source) return { kind: "not-found" as const };
  const customerIds = await findFailedCustomerIds({ shop, campaignId: id, take: MAX_SELECTED_CUSTOMERS });
  if (customerIds.length === 0) return { kind: "nothing-failed" as const };
  return followUpCampaign({ source, customerIds, key: `retry-failed:${source.id}`, requestedBy });
}

/**
 * "Send again" for invites in doubt: records the merchant's choice (which takes them out of the
 * re-invite window), then invites those customers in a follow-up campaign (key `resend-uncertain:<id>`):
 * pressing twice makes one campaign, and each customer is in it once.
 */
export async function resendUncertain({
  shop,
  id,
  requestedBy,
}: {
  shop: string;
  id: string;
  requestedBy: string | null;
}) {
  const source = await findCampaign({ shop, id });
  if (!source) return { kind: "not-found" as const };
  const key = `resend-uncertain:${source.id}`;
  const existing = await findCampaignByKey({ shop, idempotencyKey: key });
  if (existing) return { kind: "created" as const, campaignId: existing.id, created: false };
  const customerIds = await resolveUncertain({ shop, campaignId: id, as: "resend" });
  if (customerIds.length === 0) return { kind: "nothing-uncertain" as const };
  return followUpCampaign({ source, customerIds, key, requestedBy });
}

export type ControlResult =
  | { kind: "not-found" }
  | { kind: "invalid"; message: Message }
  | { kind: "changed"; message: Message }
  | { kind: "unchanged"; message: Message }
  | { kind: "retry-created"; campaignId: string; created: boolean };

/** The campaign page's buttons: pause, resume, cancel, retry failed. */
export async function controlCampaign({
  shop,
  id,
  intent,
  requestedBy,
}: {
  shop: string;
  id: string;
  intent: string;
  requestedBy: string | null;
}): Promise<ControlResult> {
  const campaign = await findCampaign({ shop, id });
  if (!campaign) return { kind: "not-found" };
  const outcome = (changed: boolean, key: string): ControlResult =>
    changed
      ? { kind: "changed", message: message(key) }
      : { kind: "unchanged", message: message("campaign.notChanged") };
  switch (intent) {
    case "pause":
      return outcome(await pauseCampaign({ shop, id }), "campaign.paused");
    case "resume":
      return outcome(await resumeCampaign({ shop, id }), "campaign.resumed");
    case "cancel":
      return outcome(await cancelCampaign({ shop, id }), "campaign.cancelled");
    case "mark-sent": {
      const moved = await resolveUncertain({ shop, campaignId: id, as: "sent" });
      return moved.length > 0
        ? { kind: "changed", message: message("campaign.markedSent", { count: moved.length }) }
        : { kind: "unchanged", message: message("campaign.nothingUncertain") };
    }
    case "resend-uncertain": {
      const resend = await resendUncertain({ shop, id, requestedBy });
      if (resend.kind === "created")
        return { kind: "retry-created", campaignId: resend.campaignId, created: resend.created };
      return { kind: "unchanged", message: message("campaign.nothingUncertain") };
    }
    case "retry": {
      const retry = await retryFailedRecipients({ shop, id, requestedBy });
      if (retry.kind === "created")
        return { kind: "retry-created", campaignId: retry.campaignId, created: retry.created };
      if (retry.kind === "nothing-failed")
        return { kind: "unchanged", message: message("campaign.nothingFailed") };
      return { kind: "not-found" };
    }
    default:
      return {
        kind: "invalid",
        message: message("validation.unknownIntent", { intent: intent.slice(0, 40) }),
      };
  }
}
