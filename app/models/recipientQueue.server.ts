import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";

// The worker's reads of the queue: rows to check, rows to send, rows left in `sending`, and when each
// customer was last (possibly) invited. Moves live in ledger.server.ts.

/** A Prisma client or an interactive transaction: the ledger asks the same question inside its moves. */
type Db = Pick<Prisma.TransactionClient, "recipient">;

/**
 * When each customer was last sent (or may have been sent) an invite by this app: rows sent, in
 * `sending`, or failed as UNCERTAIN all count, so a doubtful invite also holds off the next one. The one
 * home of this rule: eligibility (the dry runs, target resolution) and the send-time checks in
 * ledger.server.ts (inside their transactions, `db` = the transaction, `excludeIds` = the rows being
 * moved) all read it here.
 */
export async function findLastInviteTimes({
  shop,
  customerIds,
  excludeIds = [],
  db = prisma,
}: {
  shop: string;
  customerIds: string[];
  excludeIds?: string[];
  db?: Db;
}) {
  const rows = await db.recipient.findMany({
    where: {
      shop,
      customerId: { in: customerIds },
      ...(excludeIds.length > 0 ? { id: { notIn: excludeIds } } : {}),
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

/** Open invites of a shop whose follow-up is due, earliest first, with what deciding it needs. */
export async function findDueFollowUps({ shop, now, take }: { shop: string; now: Date; take: number }) {
  return prisma.recipient.findMany({
    where: { shop, followUpAt: { lte: now } },
    orderBy: [{ followUpAt: "asc" }, { id: "asc" }],
    take,
    select: {
      id: true,
      campaignId: true,
      customerId: true,
      status: true,
      outcome: true,
      finishedAt: true,
      sendingAt: true,
      reminderNumber: true,
      reminderQueuedAt: true,
    },
  });
}
