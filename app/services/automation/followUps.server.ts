import { SHOPIFY_PAGE_SIZE } from "~/constants/invites";
import { getAutomationSettings } from "~/models/AutomationSettings.server";
import { findCampaignPlans } from "~/models/Campaign.server";
import { emailOf, type CampaignEmail } from "~/models/campaignEmail";
import { inviteExpiresAt, nextFollowUpAt, reminderDueAt, type ReminderPlan } from "~/models/inviteLifecycle";
import { recordFollowUps, refreshShopFollowUp, type FollowUpResult } from "~/models/ledger.server";
import { findDueFollowUps } from "~/models/recipientQueue.server";
import type { PacedRead } from "~/services/sending/targets.server";
import { READ_COST, readCustomerOutcomeStates } from "~/services/shopify/customerReads.server";
import type { AdminGraphql } from "~/types/admin";
import type { Logger } from "~/utils/logger.server";

// The follow-ups of sent invites, run by the worker in the shop's turn with the shop's pacer: the
// invites whose follow-up is due are read back from Shopify 250 at a time (a state read costs about a
// point), and each one
// - ends activated (ENABLED, at the customer's last change: never before it) or declined (DECLINED) —
//   the reconciliation that catches a lost customers/enable or customers/update;
// - ends expired 30 days after it was sent, or CUSTOMER_GONE when Shopify no longer knows the customer;
// - gets its reminder queued when one is due and the customer is still INVITED (a reminder campaign,
//   sent in batches like any other, its eligibility decided again when it goes out);
// - or is looked at again later (inviteLifecycle.ts).

export interface FollowUpContext {
  shop: string;
  graphql: AdminGraphql;
  paced: PacedRead;
  timeoutMs: number;
  now: () => Date;
  /** The end of the shop's turn, a graceful stop, a refusal: no new read starts. */
  shouldStop: () => boolean;
  log: Logger;
}

export interface FollowUpStats {
  looked: number;
  activated: number;
  declined: number;
  expired: number;
  reminders: number;
  /** False when the turn ended (or Shopify did not answer) with follow-ups still due. */
  complete: boolean;
}

export async function runShopFollowUps(context: FollowUpContext): Promise<FollowUpStats> {
  const { shop, log } = context;
  const stats: FollowUpStats = {
    looked: 0,
    activated: 0,
    declined: 0,
    expired: 0,
    reminders: 0,
    complete: false,
  };
  const settings = await getAutomationSettings({ shop });
  for (;;) {
    if (context.shouldStop()) break;
    const now = context.now();
    const rows = await findDueFollowUps({ shop, now, take: SHOPIFY_PAGE_SIZE });
    if (rows.length === 0) {
      stats.complete = true;
      break;
    }
    const ids = [...new Set(rows.map((row) => row.customerId))];
    const read = await context.paced(READ_COST.states(ids.length), () =>
      readCustomerOutcomeStates({ graphql: context.graphql, ids, timeoutMs: context.timeoutMs }),
    );
    if (read.kind !== "answered" || !read.data) {
      log.warn(
        { outcome: read.kind },
        "could not read invited customers' states; follow-ups wait for the next turn",
      );
      break;
    }
    const states = read.data;
    const campaigns = await findCampaignPlans({ shop, ids: [...new Set(rows.map((row) => row.campaignId))] });
    const plans = new Map<string, { rootId: string; email: CampaignEmail | null; reminders: ReminderPlan }>();
    for (const campaign of campaigns) {
      plans.set(campaign.id, {
        rootId: campaign.parentCampaignId ?? campaign.id,
        email: emailOf(campaign),
        reminders: { reminderAfterDays: campaign.reminderAfterDays, reminderMax: campaign.reminderMax },
      });
    }
    const results: FollowUpResult[] = rows.map((row): FollowUpResult => {
      const sentAt = row.finishedAt ?? row.sendingAt ?? now;
      const state = states.get(row.customerId) ?? null;
      const plan = plans.get(row.campaignId)?.reminders ?? { reminderAfterDays: null, reminderMax: 0 };
      const base = { recipientId: row.id, campaignId: row.campaignId };
      if (!state) return { ...base, outcome: "expired", reason: "CUSTOMER_GONE", at: now };
      const changedAt = new Date(
        Math.min(now.getTime(), Math.max(sentAt.getTime(), state.updatedAt.getTime())),
      );
      if (state.state === "ENABLED") return { ...base, outcome: "activated", at: changedAt };
      if (state.state === "DECLINED") return { ...base, outcome: "declined", at: changedAt };
      const expiresAt = inviteExpiresAt(sentAt);
      if (expiresAt <= now) return { ...base, outcome: "expired", reason: "EXPIRED", at: expiresAt };
      const invite = { sentAt, reminderNumber: row.reminderNumber };
      const remindAt = row.reminderQueuedAt ? null : reminderDueAt(plan, invite);
      if (remindAt && remindAt <= now) {
        // A reminder only for a customer still INVITED; otherwise it is considered again at the next read.
        const followUpAt = nextFollowUpAt(plan, { ...invite, reminderQueued: true }, now);
        return state.state === "INVITED"
          ? {
              recipientId: row.id,
              followUpAt,
              queueReminder: true,
              customerId: row.customerId,
              reminderNumber: row.reminderNumber,
            }
          : { recipientId: row.id, followUpAt };
      }
      return {
        recipientId: row.id,
        followUpAt: nextFollowUpAt(plan, { ...invite, reminderQueued: Boolean(row.reminderQueuedAt) }, now),
      };
    });
    await recordFollowUps({ shop, results, parents: plans, paused: settings.paused, now });
    stats.looked += rows.length;
    for (const result of results) {
      if ("outcome" in result) stats[result.outcome]++;
      else if (result.queueReminder) stats.reminders++;
    }
  }
  await refreshShopFollowUp({ shop });
  if (stats.looked > 0) log.info({ ...stats }, "followed up open invites");
  return stats;
}
