import type { AppLocale } from "~/i18n/locales";
import { reasonMessage } from "~/i18n/message";
import { render, translatorFor } from "~/i18n/translate.server";
import { findCampaign } from "~/models/Campaign.server";
import { listCampaignRecipients } from "~/models/recipientPages.server";
import { streamCsv } from "~/utils/csv";

// A campaign's results as CSV, in the reader's language: streamed by id in chunks, so a
// 100,000-recipient campaign never sits in memory.

export const CAMPAIGN_CSV_COLUMNS = ["customerId", "status", "reason", "message", "attempts", "finishedAt"];

/** null when the campaign is not this shop's. */
export async function streamCampaignCsv({
  shop,
  id,
  locale,
}: {
  shop: string;
  id: string;
  locale: AppLocale;
}) {
  const campaign = await findCampaign({ shop, id });
  if (!campaign) return null;
  const t = translatorFor(locale);
  return streamCsv({
    header: CAMPAIGN_CSV_COLUMNS,
    nextRows: (last: { id: string } | null) =>
      listCampaignRecipients({ shop, campaignId: id, after: last?.id ?? null, take: 1_000 }),
    toCells: (r) => [
      r.customerId,
      r.status,
      r.reasonCode ?? "",
      r.reasonCode ? render(t, reasonMessage(r.reasonCode, r.reasonParams)) : "",
      String(r.attempts),
      r.finishedAt?.toISOString() ?? "",
    ],
  });
}
