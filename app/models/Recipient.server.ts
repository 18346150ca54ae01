import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import type { OutcomeReason, RecipientStatus } from "~/constants/invites";

// Recipient rows and their moves between statuses. Every move that changes a status also moves the
// campaign's counters, in the same transaction: the counters are what pages show.

type Tx = Prisma.TransactionClient;
type CounterField = "queuedCount" | "sendingCount" | "sentCount" | "skippedCount" | "failedCount";
const counterFor: Record<RecipientStatus, CounterField> = {
  queued: "queuedCount",
  sending: "sendingCount",
  sent: "sentCount",
  skipped: "skippedCount",
  failed: "failedCount",
};

/** Thrown inside a transaction to roll it back when the worker must stop (lease lost, campaign stopped). */
export class LedgerConflict extends Error {
  constructor(readonly reason: "lease-lost" | "campaign-not-running" | "recipients-moved") {
    super(`ledger conflict: ${reason}`);
    this.name = "LedgerConflict";
  }
}

/**
 * When each customer was last sent (or may have been sent) an invite by this app: rows sent, in
 * `sending`, or failed as UNCERTAIN all count, so a doubtful invite also holds off the next one.
 */
export async function findLastInviteTimes({ shop, customerIds }: { shop: string; customerIds: string[] }) {
  const rows = await prisma.recipient.findMany({
    where: {
      shop,
      customerId: { in: customerIds },
      OR: [{ status: { in: ["sent", "sending"] } }, { status: "failed", reasonCode: "UNCERTAIN" }],
    },
    select: { customerId: true, status: true, sendingAt: true, finishedAt: true },
  });
  const last = new Map<string, Date>();
  for (const row of rows) {
    const at = row.status === "sent" ? (row.finishedAt ?? row.sendingAt) : row.sendingAt;
    if (!at) continue;
    const previous = last.get(row.customerId);
    if (!previous || previous < at) last.set(row.customerId, at);
  }
  return last;
}

export async function findUncheckedRecipients({
  shop,
  campaignId,
  take,
}: {
  shop: string;
  campaignId: string;
  take: number;
}) {
  return prisma.recipient.findMany({
    where: { shop, campaignId, status: "queued", checkedAt: null },
    select: { id: true, customerId: true },
    orderBy: { id: "asc" },
    take,
  });
}

export async function findSendableRecipients({
  shop,
  campaignId,
  take,
}: {
  shop: string;
  campaignId: string;
  take: number;
}) {
  return prisma.recipient.findMany({
    where: { shop, campaignId, status: "queued", checkedAt: { not: null } },
    select: { id: true, customerId: true, stateBefore: true, attempts: true },
    orderBy: { id: "asc" },
    take,
  });
}

/** Recipients left in `sending` since before `before` (a crash, or a request that got no answer). */
export async function findStaleSending({
  shop,
  campaignId,
  before,
  take,
}: {
  shop: string;
  campaignId: string;
  before: Date;
  take: number;
}) {
  return prisma.recipient.findMany({
    where: { shop, campaignId, status: "sending", sendingAt: { lt: before } },
    select: { id: true, customerId: true, stateBefore: true, attempts: true },
    orderBy: { id: "asc" },
    take,
  });
}

export async function findLatestSendingAt({ shop, campaignId }: { shop: string; campaignId: string }) {
  const row = await prisma.recipient.findFirst({
    where: { shop, campaignId, status: "sending" },
    orderBy: { sendingAt: "desc" },
    select: { sendingAt: true },
  });
  return row?.sendingAt ?? null;
}

export interface EligibilityDecision {
  customerId: string;
  /** Customer.state when checked (null when not found). */
  state: string | null;
  skip: { reason: OutcomeReason; message: string } | null;
}

async function requireRunning(tx: Tx, { shop, campaignId }: { shop: string; campaignId: string }) {
  const running = await tx.campaign.count({ where: { shop, id: campaignId, status: "running" } });
  if (running === 0) throw new LedgerConflict("campaign-not-running");
}

async function moveCounters(
  tx: Tx,
  campaignId: string,
  moves: Partial<Record<CounterField | "total", number>>,
) {
  const data: Prisma.CampaignUpdateInput = {};
  for (const [field, delta] of Object.entries(moves)) {
    if (delta) data[field as CounterField | "total"] = { increment: delta };
  }
  if (Object.keys(data).length > 0) await tx.campaign.update({ where: { id: campaignId }, data });
}

/** A selection's recipients checked against fresh snapshots: eligible stay queued, others are skipped. */
export async function recordSelectionEligibility({
  shop,
  campaignId,
  decisions,
  now = new Date(),
}: {
  shop: string;
  campaignId: string;
  decisions: (EligibilityDecision & { recipientId: string })[];
  now?: Date;
}) {
  await prisma.$transaction(async (tx) => {
    await requireRunning(tx, { shop, campaignId });
    let skipped = 0;
    for (const group of groupBy(decisions, (d) =>
      JSON.stringify([d.state, d.skip?.reason, d.skip?.message]),
    )) {
      const [first] = group;
      if (!first) continue;
      const ids = group.map((d) => d.recipientId);
      const { count } = await tx.recipient.updateMany({
        where: { shop, campaignId, id: { in: ids }, status: "queued", checkedAt: null },
        data: first.skip
          ? {
              status: "skipped",
              stateBefore: first.state,
              checkedAt: now,
              reasonCode: first.skip.reason,
              reasonMessage: first.skip.message,
              finishedAt: now,
            }
          : { stateBefore: first.state, checkedAt: now },
      });
      if (count !== ids.length) throw new LedgerConflict("recipients-moved");
      if (first.skip) skipped += count;
    }
    await moveCounters(tx, campaignId, { queuedCount: -skipped, skippedCount: skipped });
  });
}

/**
 * One page of a query campaign: new recipients (already decided) and the cursor of the next page, in
 * one transaction, so a crash replays the page from the saved cursor and nothing is counted twice.
 */
export async function recordQueryPage({
  shop,
  campaignId,
  decisions,
  nextCursor,
  done,
  now = new Date(),
}: {
  shop: string;
  campaignId: string;
  decisions: EligibilityDecision[];
  nextCursor: string | null;
  done: boolean;
  now?: Date;
}) {
  await prisma.$transaction(async (tx) => {
    await requireRunning(tx, { shop, campaignId });
    const existing = await tx.recipient.findMany({
      where: { campaignId, customerId: { in: decisions.map((d) => d.customerId) } },
      select: { customerId: true },
    });
    // A customer already recorded (a replayed page, or one the search returned twice) is not added again.
    const known = new Set(existing.map((row) => row.customerId));
    const fresh: EligibilityDecision[] = [];
    for (const decision of decisions) {
      if (known.has(decision.customerId)) continue;
      known.add(decision.customerId);
      fresh.push(decision);
    }
    if (fresh.length > 0) {
      await tx.recipient.createMany({
        data: fresh.map((d) => ({
          shop,
          campaignId,
          customerId: d.customerId,
          stateBefore: d.state,
          checkedAt: now,
          ...(d.skip
            ? { status: "skipped", reasonCode: d.skip.reason, reasonMessage: d.skip.message, finishedAt: now }
            : { status: "queued" }),
        })),
      });
    }
    const skipped = fresh.filter((d) => d.skip).length;
    await moveCounters(tx, campaignId, {
      total: fresh.length,
      queuedCount: fresh.length - skipped,
      skippedCount: skipped,
    });
    await tx.campaign.update({
      where: { id: campaignId },
      data: { targetCursor: nextCursor, targetsResolved: done },
    });
  });
}

/**
 * Marks a batch `sending` just before its request, counting the attempt. In the same transaction: the
 * shop lease must still be ours (it is renewed) and the campaign still running. A cancel or pause that
 * committed first makes this throw, so no request starts after it.
 */
export async function markBatchSending({
  shop,
  campaignId,
  recipientIds,
  owner,
  leaseTtlMs,
  now = new Date(),
}: {
  shop: string;
  campaignId: string;
  recipientIds: string[];
  owner: string;
  leaseTtlMs: number;
  now?: Date;
}) {
  await prisma.$transaction(async (tx) => {
    const lease = await tx.shopPacer.updateMany({
      where: { shop, owner },
      data: { leaseExpiresAt: new Date(now.getTime() + leaseTtlMs) },
    });
    if (lease.count !== 1) throw new LedgerConflict("lease-lost");
    const campaign = await tx.campaign.updateMany({
      where: { shop, id: campaignId, status: "running" },
      data: {
        queuedCount: { decrement: recipientIds.length },
        sendingCount: { increment: recipientIds.length },
      },
    });
    if (campaign.count !== 1) throw new LedgerConflict("campaign-not-running");
    const moved = await tx.recipient.updateMany({
      where: { shop, campaignId, id: { in: recipientIds }, status: "queued" },
      data: { status: "sending", sendingAt: now, attempts: { increment: 1 } },
    });
    if (moved.count !== recipientIds.length) throw new LedgerConflict("recipients-moved");
  });
}

export interface SendingOutcome {
  recipientId: string;
  to: "sent" | "failed" | "skipped" | "queued";
  reasonCode?: OutcomeReason;
  reasonMessage?: string;
  /** A THROTTLED request never ran: it does not count as an attempt. */
  refundAttempt?: boolean;
}

/** Settles recipients that were `sending`: final statuses, or back to `queued` for another attempt. */
export async function settleSending({
  shop,
  campaignId,
  outcomes,
  now = new Date(),
}: {
  shop: string;
  campaignId: string;
  outcomes: SendingOutcome[];
  now?: Date;
}) {
  if (outcomes.length === 0) return;
  await prisma.$transaction(async (tx) => {
    const moves: Partial<Record<CounterField, number>> = {};
    for (const group of groupBy(outcomes, (o) =>
      JSON.stringify([o.to, o.reasonCode, o.reasonMessage, o.refundAttempt]),
    )) {
      const [first] = group;
      if (!first) continue;
      const final = first.to !== "queued";
      const { count } = await tx.recipient.updateMany({
        where: { shop, campaignId, id: { in: group.map((o) => o.recipientId) }, status: "sending" },
        data: {
          status: first.to,
          reasonCode: first.reasonCode ?? null,
          reasonMessage: first.reasonMessage ?? null,
          finishedAt: final ? now : null,
          ...(first.refundAttempt ? { attempts: { decrement: 1 } } : {}),
        },
      });
      moves.sendingCount = (moves.sendingCount ?? 0) - count;
      moves[counterFor[first.to]] = (moves[counterFor[first.to]] ?? 0) + count;
    }
    await moveCounters(tx, campaignId, moves);
  });
}

/** Everything the ledger holds about one customer (history, compliance data requests). */
export async function findCustomerRecipients({ shop, customerId }: { shop: string; customerId: string }) {
  return prisma.recipient.findMany({
    where: { shop, customerId },
    select: {
      campaignId: true,
      customerId: true,
      status: true,
      stateBefore: true,
      reasonCode: true,
      reasonMessage: true,
      attempts: true,
      sendingAt: true,
      finishedAt: true,
      createdAt: true,
    },
    orderBy: { createdAt: "desc" },
  });
}

/** Deletes one customer's recipient rows and takes them out of their campaigns' counters. */
export async function deleteCustomerRecipients({ shop, customerId }: { shop: string; customerId: string }) {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.recipient.findMany({
      where: { shop, customerId },
      select: { id: true, campaignId: true, status: true },
    });
    for (const row of rows) {
      const status = row.status as RecipientStatus;
      await moveCounters(tx, row.campaignId, { total: -1, [counterFor[status] ?? "failedCount"]: -1 });
    }
    const { count } = await tx.recipient.deleteMany({ where: { shop, customerId } });
    return count;
  });
}

function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/** The latest failed recipients of a campaign (progress views show a few). */
export async function findRecentFailures({
  shop,
  campaignId,
  take = 5,
}: {
  shop: string;
  campaignId: string;
  take?: number;
}) {
  return prisma.recipient.findMany({
    where: { shop, campaignId, status: "failed" },
    select: { customerId: true, reasonCode: true, reasonMessage: true, finishedAt: true },
    orderBy: { finishedAt: "desc" },
    take,
  });
}

export const RECIPIENT_LIST_SELECT = {
  id: true,
  customerId: true,
  status: true,
  reasonCode: true,
  reasonMessage: true,
  attempts: true,
  finishedAt: true,
} as const;

/**
 * One page of a campaign's recipients in id order, optionally of one status: `after` pages forward from
 * an id, `before` backward (served by the (campaignId, id) and (campaignId, status, id) indexes).
 */
export async function listCampaignRecipients({
  shop,
  campaignId,
  status,
  after,
  before,
  take,
}: {
  shop: string;
  campaignId: string;
  status?: string | null;
  after?: string | null;
  before?: string | null;
  take: number;
}) {
  const idFilter = before ? { lt: before } : after ? { gt: after } : undefined;
  const rows = await prisma.recipient.findMany({
    where: { shop, campaignId, ...(status ? { status } : {}), ...(idFilter ? { id: idFilter } : {}) },
    orderBy: { id: before ? "desc" : "asc" },
    take,
    select: RECIPIENT_LIST_SELECT,
  });
  return before ? rows.reverse() : rows;
}

/** Customers whose invite failed in a campaign (to retry them as a new campaign). */
export async function findFailedCustomerIds({
  shop,
  campaignId,
  take,
}: {
  shop: string;
  campaignId: string;
  take: number;
}) {
  const rows = await prisma.recipient.findMany({
    where: { shop, campaignId, status: "failed" },
    select: { customerId: true },
    orderBy: { id: "asc" },
    take,
  });
  return rows.map((row) => row.customerId);
}

export interface ShopRecipientFilters {
  customerId?: string | null;
  requestedBy?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/**
 * A shop's recipients newest first (the History page), by when they were recorded, with who asked.
 * `before` is the (createdAt, id) of the last row shown.
 */
export async function listShopRecipients({
  shop,
  filters,
  before,
  take,
  campaignId,
}: {
  shop: string;
  filters: ShopRecipientFilters;
  before?: { at: Date; id: string } | null;
  take: number;
  /** One campaign's rows only (History by staff member reads campaign by campaign). */
  campaignId?: string;
}) {
  const createdAt = {
    ...(filters.from ? { gte: filters.from } : {}),
    ...(filters.to ? { lt: filters.to } : {}),
  };
  return prisma.recipient.findMany({
    where: {
      shop,
      ...(campaignId ? { campaignId } : {}),
      ...(filters.customerId ? { customerId: filters.customerId } : {}),
      ...(filters.requestedBy ? { campaign: { shop, requestedBy: filters.requestedBy } } : {}),
      ...(Object.keys(createdAt).length > 0 ? { createdAt } : {}),
      ...(before
        ? { OR: [{ createdAt: { lt: before.at } }, { createdAt: before.at, id: { lt: before.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      campaignId: true,
      customerId: true,
      status: true,
      reasonCode: true,
      reasonMessage: true,
      attempts: true,
      createdAt: true,
      finishedAt: true,
      campaign: { select: { requestedBy: true } },
    },
  });
}
