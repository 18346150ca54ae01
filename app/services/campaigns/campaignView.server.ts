import { findCampaign, sumReminderOutcomes } from "~/models/Campaign.server";
import { countUncertain, findRecentFailures } from "~/models/recipientPages.server";

// What the progress views show (the campaign page, the JSON API, the extensions): counts per status
// (maintained, not recounted), the latest failures and why the campaign stopped, as codes with their
// parameters.

export async function getCampaignView({ shop, id }: { shop: string; id: string }) {
  const campaign = await findCampaign({ shop, id });
  if (!campaign) return null;
  const [failures, uncertain, reminders] = await Promise.all([
    findRecentFailures({ shop, campaignId: id }),
    campaign.failedCount > 0 ? countUncertain({ shop, campaignId: id }) : Promise.resolve(0),
    campaign.reminderAfterDays && !campaign.parentCampaignId
      ? sumReminderOutcomes({ shop, parentCampaignId: id })
      : Promise.resolve(null),
  ]);
  const ended = campaign.activatedCount + campaign.declinedCount + campaign.expiredCount;
  return {
    id: campaign.id,
    status: campaign.status,
    source: campaign.source,
    /** Where its invites come from (campaign, single, automatic, reminder, flow, segment). */
    origin: campaign.origin,
    query: campaign.query,
    total: campaign.total,
    targetsResolved: campaign.targetsResolved,
    /** A large audience read through a Shopify bulk query: what it is doing (null once read, or for pages). */
    bulkRead: bulkReadOf(campaign),
    counts: {
      queued: campaign.queuedCount,
      sending: campaign.sendingCount,
      sent: campaign.sentCount,
      skipped: campaign.skippedCount,
      failed: campaign.failedCount,
    },
    dueAt: campaign.dueAt,
    parentCampaignId: campaign.parentCampaignId,
    reminders: campaign.reminderAfterDays
      ? { afterDays: campaign.reminderAfterDays, max: campaign.reminderMax }
      : null,
    /**
     * What became of the invites sent: this campaign's own (each ends activated, declined or expired;
     * one a reminder replaced is expired) and its reminders'. The activation rate counts customers who
     * activated after this campaign's invite or one of its reminders, over the customers it invited.
     */
    funnel: {
      sent: campaign.sentCount,
      activated: campaign.activatedCount,
      declined: campaign.declinedCount,
      expired: campaign.expiredCount,
      open: Math.max(0, campaign.sentCount - ended),
      reminders,
      activationRate:
        campaign.sentCount > 0
          ? (campaign.activatedCount + (reminders?.activated ?? 0)) / campaign.sentCount
          : null,
    },
    /** Invites in doubt, for the merchant to resolve (mark as sent, or send again). */
    uncertain,
    failureCode: campaign.failureCode,
    failureParams: campaign.failureParams,
    recentFailures: failures.map((f) => ({
      customerId: f.customerId,
      reasonCode: f.reasonCode ?? "",
      reasonParams: f.reasonParams,
    })),
    createdAt: campaign.createdAt,
    startedAt: campaign.startedAt,
    finishedAt: campaign.finishedAt,
  };
}

function bulkReadOf(campaign: NonNullable<Awaited<ReturnType<typeof findCampaign>>>) {
  if (campaign.readMethod !== "bulk" || campaign.targetsResolved) return null;
  if (campaign.status !== "running" && campaign.status !== "queued") return null;
  const phase =
    campaign.bulkStatus === "WAITING"
      ? "WAITING"
      : campaign.bulkStatus === "COMPLETED"
        ? "READING"
        : "RUNNING";
  return { phase, linesRead: campaign.bulkLine } as const;
}

export type CampaignView = NonNullable<Awaited<ReturnType<typeof getCampaignView>>>;
