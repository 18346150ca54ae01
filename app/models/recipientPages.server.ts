import prisma from "~/db.server";

// What pages and exports read of recipient rows: a campaign's recipients, its latest failures, a
// customer's history, the shop's history. Every query is scoped by shop and served by an index
// (bench/pageRoutes.ts).

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
      reasonParams: true,
      attempts: true,
      sendingAt: true,
      finishedAt: true,
      createdAt: true,
    },
    orderBy: { createdAt: "desc" },
  });
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
    select: { customerId: true, reasonCode: true, reasonParams: true, finishedAt: true },
    orderBy: { finishedAt: "desc" },
    take,
  });
}

export const RECIPIENT_LIST_SELECT = {
  id: true,
  customerId: true,
  status: true,
  reasonCode: true,
  reasonParams: true,
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
      reasonParams: true,
      attempts: true,
      createdAt: true,
      finishedAt: true,
      outcome: true,
      outcomeAt: true,
      reminderNumber: true,
      campaign: { select: { requestedBy: true, origin: true } },
    },
  });
}

/** How many of a campaign's invites are in doubt (failed, UNCERTAIN): a count over its failed rows only. */
export async function countUncertain({ shop, campaignId }: { shop: string; campaignId: string }) {
  return prisma.recipient.count({ where: { shop, campaignId, status: "failed", reasonCode: "UNCERTAIN" } });
}

/**
 * Activations the app tracked (invites ended activated) per UTC day, over the last `days` days, oldest
 * first: read through the (shop, outcome, outcomeAt) index, only the times.
 */
export async function countActivationsByDay({
  shop,
  days,
  now = new Date(),
}: {
  shop: string;
  days: number;
  now?: Date;
}) {
  const DAY = 86_400_000;
  const end = Math.floor(now.getTime() / DAY) * DAY + DAY;
  const start = end - days * DAY;
  const rows = await prisma.recipient.findMany({
    where: { shop, outcome: "activated", outcomeAt: { gte: new Date(start), lt: new Date(end) } },
    select: { outcomeAt: true },
  });
  const counts = Array.from({ length: days }, () => 0);
  for (const row of rows) {
    const index = Math.floor((row.outcomeAt!.getTime() - start) / DAY);
    if (index >= 0 && index < days) counts[index]!++;
  }
  return counts.map((count, index) => ({
    day: new Date(start + index * DAY).toISOString().slice(0, 10),
    count,
  }));
}
