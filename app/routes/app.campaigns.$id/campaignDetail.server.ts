import { RECIPIENT_STATUSES, type RecipientStatus } from "~/constants/invites";
import { listCampaignRecipients } from "~/models/recipientPages.server";
import { getCampaignView } from "~/services/campaigns/campaignView.server";

// The campaign page's loader: its view (counters, recent failures) and one page of 50 recipients,
// optionally of one status, paged by id cursors. Pages read maintained counters and indexed pages of
// rows, never counts over the ledger (bench/pageRoutes.ts).

export const RECIPIENTS_PAGE_SIZE = 50;

export function recipientStatusFrom(value: string | null): RecipientStatus | null {
  return RECIPIENT_STATUSES.find((status) => status === value) ?? null;
}

/** null when the campaign is not this shop's. */
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
