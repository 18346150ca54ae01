import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import type { CampaignSource } from "~/constants/invites";
import { strings } from "~/strings";
import { isUniqueViolation } from "~/models/ShopPacer.server";

// Campaign rows, always scoped by shop. Counters move only inside the transactions that move recipients.

export interface NewCampaign {
  shop: string;
  source: CampaignSource;
  query?: string;
  customerIds?: string[];
  email?: { subject?: string; customMessage?: string; from?: string; bcc?: string[] };
  includeDeclined: boolean;
  requestedBy: string | null;
  idempotencyKey: string;
}

export type CampaignRow = Prisma.CampaignGetPayload<object>;

export async function findCampaign({ shop, id }: { shop: string; id: string }) {
  return prisma.campaign.findFirst({ where: { shop, id } });
}

export async function findCampaignByKey({ shop, idempotencyKey }: { shop: string; idempotencyKey: string }) {
  return prisma.campaign.findUnique({ where: { shop_idempotencyKey: { shop, idempotencyKey } } });
}

export async function listCampaigns({ shop, take = 50 }: { shop: string; take?: number }) {
  return prisma.campaign.findMany({ where: { shop }, orderBy: { createdAt: "desc" }, take });
}

/**
 * Records a campaign and, for a selection, one queued recipient per customer, in one transaction.
 * Idempotent on (shop, idempotencyKey): the same key returns the campaign it created the first time,
 * also when two requests race (the unique key refuses the second insert, which then reads the first).
 */
export async function createCampaignOnce(
  input: NewCampaign,
): Promise<{ campaign: CampaignRow; created: boolean }> {
  const existing = await findCampaignByKey(input);
  if (existing) return { campaign: existing, created: false };
  const customerIds = input.customerIds ?? [];
  try {
    const campaign = await prisma.$transaction(async (tx) => {
      const created = await tx.campaign.create({
        data: {
          shop: input.shop,
          kind: "invite",
          source: input.source,
          query: input.query ?? null,
          emailSubject: input.email?.subject ?? null,
          emailCustomMessage: input.email?.customMessage ?? null,
          emailFrom: input.email?.from ?? null,
          emailBcc: input.email?.bcc?.length ? JSON.stringify(input.email.bcc) : null,
          includeDeclined: input.includeDeclined,
          requestedBy: input.requestedBy,
          idempotencyKey: input.idempotencyKey,
          total: customerIds.length,
          queuedCount: customerIds.length,
          // Targets are resolved by the worker: a selection by checking its rows, a query page by page.
          targetsResolved: false,
        },
      });
      if (customerIds.length > 0) {
        await tx.recipient.createMany({
          data: customerIds.map((customerId) => ({ shop: input.shop, campaignId: created.id, customerId })),
        });
      }
      return created;
    });
    return { campaign, created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await findCampaignByKey(input);
    if (!winner) throw error;
    return { campaign: winner, created: false };
  }
}

/** Shops with work for a worker: campaigns to drive, or recipients left in `sending` to resolve. */
export async function listShopsWithWork({ take = 50 }: { take?: number } = {}) {
  const rows = await prisma.campaign.findMany({
    where: { OR: [{ status: { in: ["queued", "running"] } }, { sendingCount: { gt: 0 } }] },
    select: { shop: true },
    distinct: ["shop"],
    take,
  });
  return rows.map((row) => row.shop);
}

/** The shop's oldest campaign with work, so one shop's campaigns run one after another. */
export async function findNextCampaignWithWork({ shop }: { shop: string }) {
  return prisma.campaign.findFirst({
    where: { shop, OR: [{ status: { in: ["queued", "running"] } }, { sendingCount: { gt: 0 } }] },
    orderBy: { createdAt: "asc" },
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

export async function failCampaign({
  shop,
  id,
  code,
  message,
  now = new Date(),
}: {
  shop: string;
  id: string;
  code: string;
  message: string;
  now?: Date;
}) {
  await prisma.campaign.updateMany({
    where: { shop, id, status: { in: ["queued", "running"] } },
    data: { status: "failed", failureCode: code, failureMessage: message, finishedAt: now },
  });
}

export async function pauseCampaign({ shop, id }: { shop: string; id: string }) {
  const { count } = await prisma.campaign.updateMany({
    where: { shop, id, status: { in: ["queued", "running"] } },
    data: { status: "paused" },
  });
  return count === 1;
}

/**
 * Pauses every unfinished campaign of a shop (app uninstalled: its token no longer works). Recipients in
 * `sending` are left for the worker's crash recovery; the merchant resumes after reinstalling.
 */
export async function pauseShopCampaigns({ shop }: { shop: string }) {
  const { count } = await prisma.campaign.updateMany({
    where: { shop, status: { in: ["queued", "running"] } },
    data: { status: "paused" },
  });
  return count;
}

/** Back to `queued`: the worker picks it up again where it stopped. */
export async function resumeCampaign({ shop, id }: { shop: string; id: string }) {
  const { count } = await prisma.campaign.updateMany({
    where: { shop, id, status: "paused" },
    data: { status: "queued" },
  });
  return count === 1;
}

/**
 * Cancels a campaign that has not finished. Recipients still queued become skipped (CANCELLED) in the
 * same transaction; recipients in `sending` are settled by the worker (their request is already out).
 * The worker checks the status in the transaction that marks each batch `sending`, so no request starts
 * after this commits.
 */
export async function cancelCampaign({
  shop,
  id,
  now = new Date(),
}: {
  shop: string;
  id: string;
  now?: Date;
}) {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({
      where: { shop, id, status: { in: ["queued", "running", "paused"] } },
      data: { status: "cancelled", finishedAt: now },
    });
    if (count === 0) return false;
    const skipped = await tx.recipient.updateMany({
      where: { shop, campaignId: id, status: "queued" },
      data: {
        status: "skipped",
        reasonCode: "CANCELLED",
        reasonMessage: strings.reasons.CANCELLED,
        finishedAt: now,
      },
    });
    await tx.campaign.update({
      where: { id },
      data: { queuedCount: { decrement: skipped.count }, skippedCount: { increment: skipped.count } },
    });
    return true;
  });
}

export async function deleteShopCampaigns({ shop }: { shop: string }) {
  // Recipients go with their campaign (onDelete: Cascade); deleting them first keeps the count honest.
  const recipients = await prisma.recipient.deleteMany({ where: { shop } });
  const campaigns = await prisma.campaign.deleteMany({ where: { shop } });
  return { campaigns: campaigns.count, recipients: recipients.count };
}

/**
 * A single invite from a customer's page, recorded as a campaign of one in one transaction: already
 * skipped (with its reason), or `sending` in a running campaign. If the app stops before the answer is
 * recorded, the worker settles the row like any other left in `sending`.
 */
export async function recordSingleInvite({
  shop,
  customerId,
  stateBefore,
  skip,
  email,
  requestedBy,
  now = new Date(),
}: {
  shop: string;
  customerId: string;
  stateBefore: string | null;
  skip: { reason: string; message: string } | null;
  email?: NewCampaign["email"];
  requestedBy: string | null;
  now?: Date;
}) {
  return prisma.$transaction(async (tx) => {
    const campaign = await tx.campaign.create({
      data: {
        shop,
        kind: "invite",
        source: "selection",
        emailSubject: email?.subject ?? null,
        emailCustomMessage: email?.customMessage ?? null,
        emailFrom: email?.from ?? null,
        emailBcc: email?.bcc?.length ? JSON.stringify(email.bcc) : null,
        includeDeclined: true,
        requestedBy,
        idempotencyKey: `single:${customerId}:${now.getTime()}:${Math.random().toString(36).slice(2, 10)}`,
        status: skip ? "completed" : "running",
        total: 1,
        skippedCount: skip ? 1 : 0,
        sendingCount: skip ? 0 : 1,
        targetsResolved: true,
        startedAt: now,
        finishedAt: skip ? now : null,
      },
    });
    const recipient = await tx.recipient.create({
      data: {
        shop,
        campaignId: campaign.id,
        customerId,
        stateBefore,
        checkedAt: now,
        ...(skip
          ? { status: "skipped", reasonCode: skip.reason, reasonMessage: skip.message, finishedAt: now }
          : { status: "sending", sendingAt: now, attempts: 1 }),
      },
    });
    return { campaignId: campaign.id, recipientId: recipient.id };
  });
}

/** One page of the shop's campaigns, newest first (the campaigns list); `after` is the last id shown. */
export async function listCampaignsPage({
  shop,
  after,
  take = 25,
}: {
  shop: string;
  after?: { createdAt: Date; id: string } | null;
  take?: number;
}) {
  return prisma.campaign.findMany({
    where: after
      ? {
          shop,
          OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
        }
      : { shop },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      status: true,
      source: true,
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
    _sum: { sentCount: true },
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
    firstInviteAt: first ? (first.startedAt ?? first.createdAt) : null,
  };
}

/** A staff member's campaigns with the span in which their recipients were recorded (History by staff). */
export async function listStaffCampaigns({ shop, requestedBy }: { shop: string; requestedBy: string }) {
  return prisma.campaign.findMany({
    where: { shop, requestedBy },
    select: { id: true, createdAt: true, finishedAt: true },
  });
}
