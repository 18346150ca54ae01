import { MAX_SELECTED_CUSTOMERS, RECIPIENT_STATUSES, type RecipientStatus } from "~/constants/invites";
import { CustomersCountQuery } from "~/graphql/CustomersCountQuery";
import { findCampaign, listCampaignsPage } from "~/models/Campaign.server";
import {
  findFailedCustomerIds,
  findLastInviteTimes,
  listCampaignRecipients,
} from "~/models/Recipient.server";
import { getShopSettings } from "~/models/ShopSettings.server";
import { parseCampaignInput } from "~/services/campaignInput";
import { cancelCampaign, createCampaign, pauseCampaign, resumeCampaign } from "~/services/campaigns.server";
import { readCustomersPage } from "~/services/customerReads.server";
import { getCampaignView } from "~/services/customerInvites.server";
import { decideEligibility } from "~/services/eligibility";
import { getShopAccounts } from "~/services/shopAccounts.server";
import { strings } from "~/strings";
import type { AdminGraphql } from "~/types/admin";
import { toCsv } from "~/utils/csv";

// What the campaign pages read and do, on top of the campaign workflows (campaigns.server.ts): counts
// and a sample dry run for a search, the campaigns list, one campaign's recipients, retrying its
// failures, and its CSV export. Pages read maintained counters and indexed pages of rows, never counts
// over the ledger (bench/pageLoaders.ts).

export const RECIPIENTS_PAGE_SIZE = 50;
export const CAMPAIGNS_PAGE_SIZE = 25;
/** Customers the new-campaign dry run looks at: one page of Shopify's search. */
export const SAMPLE_SIZE = 250;

export class ShopifyUnavailable extends Error {
  constructor(message = "Shopify did not answer; try again.") {
    super(message);
    this.name = "ShopifyUnavailable";
  }
}

/** How many customers a search matches now (customersCount: one cheap read). */
export async function countCustomers({ graphql, query }: { graphql: AdminGraphql; query: string }) {
  const response = await graphql(CustomersCountQuery, { variables: { query: query || null } });
  const { data } = await response.json();
  const count = data?.customersCount;
  if (!count) throw new ShopifyUnavailable("Shopify did not return a customer count.");
  return { count: count.count, exact: count.precision === "EXACT" };
}

/**
 * The dry run for a search: the first ≤250 matching customers decided by the same eligibility function
 * the worker uses. A sample, not the whole audience: the worker decides every customer when it runs.
 */
export async function previewSearchSample({
  graphql,
  shop,
  query,
  includeDeclined,
  timeoutMs = 15_000,
}: {
  graphql: AdminGraphql;
  shop: string;
  query: string;
  includeDeclined: boolean;
  timeoutMs?: number;
}) {
  const [accounts, settings, page] = await Promise.all([
    getShopAccounts(graphql),
    getShopSettings({ shop }),
    readCustomersPage({ graphql, query, after: null, timeoutMs }),
  ]);
  if (page.kind !== "answered" || !page.data) throw new ShopifyUnavailable();
  const snapshots = page.data.snapshots.slice(0, SAMPLE_SIZE);
  const lastInvites =
    snapshots.length > 0
      ? await findLastInviteTimes({ shop, customerIds: snapshots.map((s) => s.id) })
      : new Map<string, Date>();
  const now = new Date();
  const byReason: Record<string, number> = {};
  let eligible = 0;
  for (const customer of snapshots) {
    const decision = decideEligibility({
      customer,
      accountsMode: accounts.accountsMode,
      lastInvitedAt: lastInvites.get(customer.id) ?? null,
      now,
      options: { reinviteWindowHours: settings.reinviteWindowHours, includeDeclined },
    });
    if (decision.eligible) eligible++;
    else byReason[decision.reason] = (byReason[decision.reason] ?? 0) + 1;
  }
  return {
    sampled: snapshots.length,
    eligible,
    skipped: snapshots.length - eligible,
    byReason,
    more: page.data.hasNextPage,
    reinviteWindowHours: settings.reinviteWindowHours,
  };
}

function encodeCursor(value: object) {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function decodeCursor(value: string | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The campaigns list: newest first, 25 a page, forward by cursor. */
export async function listCampaigns({ shop, cursor }: { shop: string; cursor?: string | null }) {
  const decoded = decodeCursor(cursor);
  const after =
    decoded && typeof decoded.at === "string" && typeof decoded.id === "string"
      ? { createdAt: new Date(decoded.at), id: decoded.id }
      : null;
  const rows = await listCampaignsPage({ shop, after, take: CAMPAIGNS_PAGE_SIZE + 1 });
  const page = rows.slice(0, CAMPAIGNS_PAGE_SIZE);
  const last = page.at(-1);
  return {
    campaigns: page,
    nextCursor:
      rows.length > CAMPAIGNS_PAGE_SIZE && last
        ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id })
        : null,
  };
}

export function recipientStatusFrom(value: string | null): RecipientStatus | null {
  return RECIPIENT_STATUSES.find((status) => status === value) ?? null;
}

/**
 * The campaign page: its view (counters, recent failures) and one page of 50 recipients, optionally of
 * one status, paged by id cursors. null when the campaign is not this shop's.
 */
export async function getCampaignDetail({
  shop,
  id,
  status,
  after,
  before,
}: {
  shop: string;
  id: string;
  status: RecipientStatus | null;
  after: string | null;
  before: string | null;
}) {
  const view = await getCampaignView({ shop, id });
  if (!view) return null;
  const rows = await listCampaignRecipients({
    shop,
    campaignId: id,
    status,
    after,
    before,
    take: RECIPIENTS_PAGE_SIZE + 1,
  });
  // One row beyond the page tells whether there is more in the direction of travel.
  const more = rows.length > RECIPIENTS_PAGE_SIZE;
  const recipients = before
    ? rows.slice(rows.length - RECIPIENTS_PAGE_SIZE)
    : rows.slice(0, RECIPIENTS_PAGE_SIZE);
  const first = recipients[0]?.id ?? null;
  const last = recipients.at(-1)?.id ?? null;
  return {
    campaign: view,
    recipients,
    page: {
      previous: before ? (more ? first : null) : after ? first : null,
      next: before ? last : more ? last : null,
    },
  };
}

/**
 * Retries a campaign's failed recipients as a new selection campaign. The idempotency key is derived from
 * the source campaign, so a double click (or a resubmitted form) returns the same retry campaign.
 */
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
  const email = {
    ...(source.emailSubject ? { subject: source.emailSubject } : {}),
    ...(source.emailCustomMessage ? { customMessage: source.emailCustomMessage } : {}),
    ...(source.emailFrom ? { from: source.emailFrom } : {}),
  };
  const input = parseCampaignInput({
    customerIds,
    includeDeclined: source.includeDeclined,
    idempotencyKey: `retry-failed:${source.id}`,
    ...(Object.keys(email).length > 0 ? { email } : {}),
  });
  if (!input.success) throw new Error(`retry input invalid: ${JSON.stringify(input.errors)}`);
  const { campaign, created } = await createCampaign({ shop, requestedBy, input: input.data });
  return { kind: "created" as const, campaignId: campaign.id, created, recipients: customerIds.length };
}

export const CAMPAIGN_CSV_COLUMNS = ["customerId", "status", "reason", "message", "attempts", "finishedAt"];
const EXPORT_CHUNK = 1_000;

/**
 * A campaign's results as CSV, streamed in chunks of 1,000 rows by id, so a 100,000-recipient campaign
 * never sits in memory. null when the campaign is not this shop's.
 */
export async function streamCampaignCsv({ shop, id }: { shop: string; id: string }) {
  const campaign = await findCampaign({ shop, id });
  if (!campaign) return null;
  let after: string | null = null;
  let headerSent = false;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(toCsv([CAMPAIGN_CSV_COLUMNS])));
      }
      const rows = await listCampaignRecipients({ shop, campaignId: id, after, take: EXPORT_CHUNK });
      if (rows.length === 0) {
        controller.close();
        return;
      }
      after = rows.at(-1)?.id ?? null;
      controller.enqueue(
        encoder.encode(
          toCsv(
            rows.map((r) => [
              r.customerId,
              r.status,
              r.reasonCode ?? "",
              r.reasonMessage ?? "",
              String(r.attempts),
              r.finishedAt?.toISOString() ?? "",
            ]),
          ),
        ),
      );
      if (rows.length < EXPORT_CHUNK) controller.close();
    },
  });
}

export const CAMPAIGN_INTENTS = ["pause", "resume", "cancel", "retry"] as const;

export type ControlResult =
  | { kind: "not-found" }
  | { kind: "invalid"; message: string }
  | { kind: "changed"; message: string }
  | { kind: "unchanged"; message: string }
  | { kind: "retry-created"; campaignId: string; created: boolean };

/** The campaign page's buttons: pause, resume, cancel (the campaign workflows), retry failed. */
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
  const text = strings.campaign;
  const outcome = (changed: boolean, message: string): ControlResult =>
    changed ? { kind: "changed", message } : { kind: "unchanged", message: text.notChanged };
  switch (intent) {
    case "pause":
      return outcome(await pauseCampaign({ shop, id }), text.paused);
    case "resume":
      return outcome(await resumeCampaign({ shop, id }), text.resumed);
    case "cancel":
      return outcome(await cancelCampaign({ shop, id }), text.cancelled);
    case "retry": {
      const retry = await retryFailedRecipients({ shop, id, requestedBy });
      if (retry.kind === "created")
        return { kind: "retry-created", campaignId: retry.campaignId, created: retry.created };
      if (retry.kind === "nothing-failed") return { kind: "unchanged", message: text.nothingFailed };
      return { kind: "not-found" };
    }
    default:
      return { kind: "invalid", message: `unknown action: ${intent.slice(0, 40)}` };
  }
}
