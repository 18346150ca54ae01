import type { Prisma } from "@prisma/client";
import { CANCELLABLE_BULK_STATUSES, RUNNABLE_CAMPAIGN_STATUSES } from "~/constants/invites";
import prisma from "~/db.server";

// Campaign rows, always scoped by shop: reads, and status moves that touch no counter. Moves that
// change counters (creation, cancel, single invites, deletion) are the ledger's (ledger.server.ts).

export type CampaignRow = Prisma.CampaignGetPayload<object>;

export async function findCampaign({ shop, id }: { shop: string; id: string }) {
  return prisma.campaign.findFirst({ where: { shop, id } });
}

export async function findCampaignByKey({ shop, idempotencyKey }: { shop: string; idempotencyKey: string }) {
  return prisma.campaign.findUnique({ where: { shop_idempotencyKey: { shop, idempotencyKey } } });
}

/** The stop reason of automatic and reminder campaigns held by the Automation page's pause switch. */
export const AUTOMATION_PAUSED = "AUTOMATION_PAUSED";
/** Campaigns the Automation page's pause switch holds. */
export const AUTOMATION_ORIGINS = ["automatic", "reminder"] as const;

/**
 * Campaigns with work: to drive (once due: automatic invites wait for their delay), or with recipients
 * left in `sending` to settle. A campaign paused with a stop reason (Shopify refused the shop's requests)
 * waits for the merchant to resume it: until then its `sending` rows cannot be settled either.
 */
function withWork(now: Date) {
  return {
    OR: [
      {
        status: { in: [...RUNNABLE_CAMPAIGN_STATUSES] },
        OR: [{ dueAt: null }, { dueAt: { lte: now } }],
      },
      { sendingCount: { gt: 0 }, failureCode: null },
      // A cancelled (or failed) campaign whose bulk query still runs at Shopify: the worker cancels it.
      { status: { in: ["cancelled", "failed"] }, bulkStatus: { in: [...CANCELLABLE_BULK_STATUSES] } },
    ],
  } satisfies Prisma.CampaignWhereInput;
}

/** Shops with work for a worker: campaigns to drive, or recipients left in `sending` to resolve. */
export async function listShopsWithWork({ take = 50, now = new Date() }: { take?: number; now?: Date } = {}) {
  const rows = await prisma.campaign.findMany({
    where: withWork(now),
    select: { shop: true },
    distinct: ["shop"],
    take,
  });
  return rows.map((row) => row.shop);
}

/** The shop's oldest campaign with work, so one shop's campaigns run one after another. */
export async function findNextCampaignWithWork({ shop, now = new Date() }: { shop: string; now?: Date }) {
  return prisma.campaign.findFirst({
    where: { shop, ...withWork(now) },
    orderBy: { createdAt: "asc" },
  });
}

/**
 * The pause switch of automation: automatic and reminder campaigns not finished wait (AUTOMATION_PAUSED)
 * until it is released; new ones are recorded paused meanwhile (ledger.server.ts). Campaigns paused for
 * another reason keep theirs.
 */
export async function pauseAutomationCampaigns({ shop }: { shop: string }) {
  const { count } = await prisma.campaign.updateMany({
    where: { shop, origin: { in: [...AUTOMATION_ORIGINS] }, status: { in: [...RUNNABLE_CAMPAIGN_STATUSES] } },
    data: { status: "paused", failureCode: AUTOMATION_PAUSED, failureParams: null },
  });
  return count;
}

export async function resumeAutomationCampaigns({ shop }: { shop: string }) {
  const { count } = await prisma.campaign.updateMany({
    where: {
      shop,
      origin: { in: [...AUTOMATION_ORIGINS] },
      status: "paused",
      failureCode: AUTOMATION_PAUSED,
    },
    data: { status: "queued", failureCode: null, failureParams: null },
  });
  return count;
}

/** Automatic invites waiting for their time, soonest first (the Automation page). */
export async function listScheduledAutomaticCampaigns({ shop, take = 10 }: { shop: string; take?: number }) {
  return prisma.campaign.findMany({
    where: { shop, origin: "automatic", startedAt: null, status: { in: ["queued", "paused"] } },
    orderBy: { dueAt: "asc" },
    take,
    select: { id: true, dueAt: true, total: true, status: true, failureCode: true },
  });
}

export async function markCampaignRunning({
  shop,
  id,
  now = new Date(),
}: {
  shop: string;
  id: string;
  now?: Date;
}) {
  const { count } = await prisma.campaign.updateMany({
    where: { shop, id, status: "queued" },
    data: { status: "running", startedAt: now },
  });
  return count === 1;
}

/** Completes a running campaign once nothing is left to resolve, send or settle. */
export async function completeCampaignIfDone({
  shop,
  id,
  now = new Date(),
}: {
  shop: string;
  id: string;
  now?: Date;
}) {
  const { count } = await prisma.campaign.updateMany({
    where: { shop, id, status: "running", targetsResolved: true, queuedCount: 0, sendingCount: 0 },
    data: { status: "completed", finishedAt: now },
  });
  return count === 1;
}

export async function pauseCampaign({
  shop,
  id,
  code = null,
}: {
  shop: string;
  id: string;
  code?: string | null;
}) {
  const { count } = await prisma.campaign.updateMany({
    where: { shop, id, status: { in: [...RUNNABLE_CAMPAIGN_STATUSES] } },
    data: { status: "paused", failureCode: code, failureParams: null },
  });
  return count === 1;
}

/**
 * Pauses every unfinished campaign of a shop, with the reason (a code of `campaignStops`, words rendered
 * when read): the app was uninstalled, the shop is frozen or locked, access is missing. Recipients in
 * `sending` are left for the worker's crash recovery; the merchant resumes once the cause is gone.
 */
export async function pauseShopCampaigns({
  shop,
  code = null,
  params,
}: {
  shop: string;
  code?: string | null;
  params?: Record<string, string | number>;
}) {
  // With a reason, campaigns the merchant had paused carry it too: they cannot go on until it is gone.
  // A reason already given stays (the uninstall webhook's UNINSTALLED is more precise than the 401 the
  // worker sees a moment later).
  const { count } = await prisma.campaign.updateMany({
    where: code
      ? {
          shop,
          OR: [{ status: { in: [...RUNNABLE_CAMPAIGN_STATUSES] } }, { status: "paused", failureCode: null }],
        }
      : { shop, status: { in: [...RUNNABLE_CAMPAIGN_STATUSES] } },
    data: { status: "paused", failureCode: code, failureParams: params ? JSON.stringify(params) : null },
  });
  return count;
}

/** Back to `queued`, its stop reason cleared: the worker picks it up again where it stopped. */
export async function resumeCampaign({ shop, id }: { shop: string; id: string }) {
  const { count } = await prisma.campaign.updateMany({
    where: { shop, id, status: "paused" },
    data: { status: "queued", failureCode: null, failureParams: null },
  });
  return count === 1;
}

/** One page of the shop's campaigns, newest first (the campaigns list); `after` is the last id shown. */
export async function listCampaignsPage({
  shop,
  after,
  take = 25,
}: {
  shop: string;
  after?: { at: Date; id: string } | null;
  take?: number;
}) {
  return prisma.campaign.findMany({
    where: after
      ? {
          shop,
          OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }],
        }
      : { shop },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      status: true,
      source: true,
      origin: true,
      dueAt: true,
      query: true,
      total: true,
      targetsResolved: true,
      sentCount: true,
      skippedCount: true,
      failedCount: true,
      queuedCount: true,
      sendingCount: true,
      requestedBy: true,
      createdAt: true,
      finishedAt: true,
    },
  });
}

/** The overview's ledger figures: invites sent in all campaigns (maintained counters) and the first send. */
export async function summarizeShopCampaigns({ shop }: { shop: string }) {
  const totals = await prisma.campaign.aggregate({
    where: { shop },
    _sum: { sentCount: true, activatedCount: true },
    _count: { _all: true },
  });
  const first = await prisma.campaign.findFirst({
    where: { shop, sentCount: { gt: 0 } },
    orderBy: { createdAt: "asc" },
    select: { startedAt: true, createdAt: true },
  });
  return {
    campaigns: totals._count._all,
    invitesSent: totals._sum.sentCount ?? 0,
    activations: totals._sum.activatedCount ?? 0,
    firstInviteAt: first ? (first.startedAt ?? first.createdAt) : null,
  };
}

/** A staff member's campaigns with the span in which their recipients were recorded (History by staff). */
export async function listStaffCampaigns({
  shop,
  requestedBy,
  origin,
}: {
  shop: string;
  requestedBy?: string;
  origin?: string;
}) {
  return prisma.campaign.findMany({
    where: { shop, ...(requestedBy ? { requestedBy } : {}), ...(origin ? { origin } : {}) },
    select: { id: true, createdAt: true, finishedAt: true },
  });
}

/** What follow-ups need of the campaigns of some invites: their reminder plan, email and chain. */
export async function findCampaignPlans({ shop, ids }: { shop: string; ids: string[] }) {
  return prisma.campaign.findMany({
    where: { shop, id: { in: ids } },
    select: {
      id: true,
      origin: true,
      parentCampaignId: true,
      reminderAfterDays: true,
      reminderMax: true,
      emailSubject: true,
      emailCustomMessage: true,
      emailFrom: true,
      emailBcc: true,
    },
  });
}

/** The outcomes of a campaign's reminders (the campaigns that follow up its invites), summed. */
export async function sumReminderOutcomes({
  shop,
  parentCampaignId,
}: {
  shop: string;
  parentCampaignId: string;
}) {
  const totals = await prisma.campaign.aggregate({
    where: { shop, parentCampaignId },
    _sum: { sentCount: true, activatedCount: true, declinedCount: true, expiredCount: true },
    _count: { _all: true },
  });
  return {
    campaigns: totals._count._all,
    sent: totals._sum.sentCount ?? 0,
    activated: totals._sum.activatedCount ?? 0,
    declined: totals._sum.declinedCount ?? 0,
    expired: totals._sum.expiredCount ?? 0,
  };
}

/** Totals of a shop's campaigns of one origin (the Automation page): invites sent and how they ended. */
export async function summarizeOriginCampaigns({ shop, origin }: { shop: string; origin: string }) {
  const [totals, waiting] = await Promise.all([
    prisma.campaign.aggregate({
      where: { shop, origin },
      _sum: {
        sentCount: true,
        activatedCount: true,
        declinedCount: true,
        expiredCount: true,
        queuedCount: true,
      },
    }),
    prisma.campaign.count({ where: { shop, origin, status: { in: ["queued", "running", "paused"] } } }),
  ]);
  return {
    sent: totals._sum.sentCount ?? 0,
    activated: totals._sum.activatedCount ?? 0,
    declined: totals._sum.declinedCount ?? 0,
    expired: totals._sum.expiredCount ?? 0,
    queued: totals._sum.queuedCount ?? 0,
    unfinishedCampaigns: waiting,
  };
}

/** A bulk read's state as the worker or the finish webhook last learned it (decision 010). */
export async function updateBulkRead({
  shop,
  id,
  data,
  onlyOperation,
}: {
  shop: string;
  id: string;
  data: Partial<
    Pick<
      CampaignRow,
      | "bulkOperationId"
      | "bulkStatus"
      | "bulkErrorCode"
      | "bulkCheckedAt"
      | "bulkLine"
      | "bulkOffset"
      | "targetsResolved"
    >
  > & { bulkRuns?: { increment: number } };
  /** Only while the campaign still reads this operation (a late webhook for a replaced one changes nothing). */
  onlyOperation?: string | null;
}) {
  const { count } = await prisma.campaign.updateMany({
    where: { shop, id, ...(onlyOperation !== undefined ? { bulkOperationId: onlyOperation } : {}) },
    data,
  });
  return count === 1;
}

/** The campaign reading a bulk operation (the finish webhook names only the operation). */
export async function findCampaignByBulkOperation({
  shop,
  operationId,
}: {
  shop: string;
  operationId: string;
}) {
  return prisma.campaign.findFirst({ where: { shop, bulkOperationId: operationId } });
}
