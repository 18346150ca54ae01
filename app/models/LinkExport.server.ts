import type { Prisma } from "@prisma/client";
import {
  HOLDING_LINK_EXPORT_STATUSES,
  LINK_EXPORT_HOLD_MS,
  RUNNABLE_LINK_EXPORT_STATUSES,
  type LinkExportSource,
  type LinkItemReason,
} from "~/constants/linkExports";
import prisma from "~/db.server";
import { LedgerConflict } from "~/models/ledger.server";
import { isUniqueViolation } from "~/models/ShopPacer.server";

// Activation-link exports and their items: every status and counter move, each in one transaction with
// the rows it counts. Every query is scoped by shop, and everything a staff member can read also by the
// staff member who asked (`requestedBy`): another staff member's export is "not found".
// README "Activation link exports"; docs/decisions/011-activation-link-exports.md.

type Tx = Prisma.TransactionClient;

const EXPORT_VIEW = {
  id: true,
  shop: true,
  requestedBy: true,
  source: true,
  query: true,
  replace: true,
  status: true,
  total: true,
  issuedCount: true,
  skippedCount: true,
  failedCount: true,
  targetsResolved: true,
  truncated: true,
  expiresAt: true,
  readyAt: true,
  clearedAt: true,
  createdAt: true,
} satisfies Prisma.LinkExportSelect;

export type LinkExportRow = Prisma.LinkExportGetPayload<{ select: typeof EXPORT_VIEW }>;

/** The key was used for another request (Stripe's rule: 422); nothing was recorded. */
export class LinkExportKeyReused extends Error {
  constructor() {
    super("idempotency key already used for another request");
    this.name = "LinkExportKeyReused";
  }
}

export class LinkExportKeyTaken extends Error {
  constructor() {
    super("this idempotency key belongs to another staff member's export");
    this.name = "LinkExportKeyTaken";
  }
}

/**
 * Records an export: a selection's items at once, a query's page by page in the worker. The same
 * `idempotencyKey` from the same staff member returns the first export and records nothing new.
 */
export async function createLinkExport({
  shop,
  requestedBy,
  source,
  customerIds,
  query,
  replace,
  idempotencyKey,
  requestFingerprint,
  now = new Date(),
}: {
  shop: string;
  requestedBy: string;
  source: LinkExportSource;
  customerIds: string[];
  query: string | null;
  replace: boolean;
  idempotencyKey: string | null;
  requestFingerprint: string;
  now?: Date;
}): Promise<{ linkExport: LinkExportRow; created: boolean }> {
  const existing = idempotencyKey ? await findByKey({ shop, idempotencyKey }) : null;
  if (existing) return sameRequest(existing, requestedBy, requestFingerprint);
  try {
    const linkExport = await prisma.$transaction(async (tx) => {
      const row = await tx.linkExport.create({
        data: {
          shop,
          requestedBy,
          source,
          query: source === "query" ? query : null,
          replace,
          idempotencyKey,
          requestFingerprint,
          total: source === "selection" ? customerIds.length : 0,
          targetsResolved: source === "selection",
          expiresAt: new Date(now.getTime() + LINK_EXPORT_HOLD_MS),
        },
        select: { id: true },
      });
      if (source === "selection")
        await tx.linkExportItem.createMany({
          data: customerIds.map((customerId) => ({ shop, exportId: row.id, customerId })),
        });
      return tx.linkExport.findUniqueOrThrow({ where: { id: row.id }, select: EXPORT_VIEW });
    });
    return { linkExport, created: true };
  } catch (error) {
    // Two requests with the same key at once: the other one recorded it.
    if (idempotencyKey && isUniqueViolation(error)) {
      const raced = await findByKey({ shop, idempotencyKey });
      if (raced) return sameRequest(raced, requestedBy, requestFingerprint);
    }
    throw error;
  }
}

function sameRequest(
  { requestFingerprint, ...row }: LinkExportRow & { requestFingerprint: string | null },
  requestedBy: string,
  fingerprint: string,
) {
  if (row.requestedBy !== requestedBy) throw new LinkExportKeyTaken();
  if (requestFingerprint !== fingerprint) throw new LinkExportKeyReused();
  return { linkExport: row, created: false };
}

function findByKey({ shop, idempotencyKey }: { shop: string; idempotencyKey: string }) {
  return prisma.linkExport.findUnique({
    where: { shop_idempotencyKey: { shop, idempotencyKey } },
    select: { ...EXPORT_VIEW, requestFingerprint: true },
  });
}

/** One export of this staff member (another staff member's, or another shop's, is null). */
export function findStaffLinkExport({
  shop,
  requestedBy,
  id,
}: {
  shop: string;
  requestedBy: string;
  id: string;
}) {
  return prisma.linkExport.findFirst({ where: { shop, requestedBy, id }, select: EXPORT_VIEW });
}

export function listStaffLinkExports({
  shop,
  requestedBy,
  take = 10,
}: {
  shop: string;
  requestedBy: string;
  take?: number;
}) {
  return prisma.linkExport.findMany({
    where: { shop, requestedBy },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: EXPORT_VIEW,
  });
}

// ------------------------------------------------------------------------------------------------
// The worker
// ------------------------------------------------------------------------------------------------

const WITH_LINK_WORK = (now: Date) =>
  ({
    status: { in: [...RUNNABLE_LINK_EXPORT_STATUSES] },
    expiresAt: { gt: now },
  }) satisfies Prisma.LinkExportWhereInput;

export async function listShopsWithLinkWork({ take = 10_000, now = new Date() } = {}) {
  const rows = await prisma.linkExport.findMany({
    where: WITH_LINK_WORK(now),
    select: { shop: true },
    distinct: ["shop"],
    take,
  });
  return rows.map((row) => row.shop);
}

/** The shop's oldest export with links to issue. */
export function findNextLinkExportWithWork({ shop, now = new Date() }: { shop: string; now?: Date }) {
  return prisma.linkExport.findFirst({
    where: { shop, ...WITH_LINK_WORK(now) },
    orderBy: { createdAt: "asc" },
    select: { ...EXPORT_VIEW, targetCursor: true },
  });
}

export async function markLinkExportRunning({ shop, id }: { shop: string; id: string }) {
  await prisma.linkExport.updateMany({ where: { shop, id, status: "queued" }, data: { status: "running" } });
}

/** A page of a query's matches becomes items, with the cursor of the next page, in one transaction. */
export async function recordLinkExportTargets({
  shop,
  exportId,
  customerIds,
  nextCursor,
  done,
  truncated,
}: {
  shop: string;
  exportId: string;
  customerIds: string[];
  nextCursor: string | null;
  done: boolean;
  truncated: boolean;
}) {
  await prisma.$transaction(async (tx) => {
    const existing = await tx.linkExportItem.findMany({
      where: { exportId, customerId: { in: customerIds } },
      select: { customerId: true },
    });
    const known = new Set(existing.map((row) => row.customerId));
    const fresh = [...new Set(customerIds)].filter((id) => !known.has(id));
    if (fresh.length > 0)
      await tx.linkExportItem.createMany({
        data: fresh.map((customerId) => ({ shop, exportId, customerId })),
      });
    await tx.linkExport.updateMany({
      where: { shop, id: exportId },
      data: {
        total: { increment: fresh.length },
        targetCursor: nextCursor,
        targetsResolved: done,
        ...(truncated ? { truncated: true } : {}),
      },
    });
  });
}

export function findQueuedLinkItems({
  shop,
  exportId,
  take,
}: {
  shop: string;
  exportId: string;
  take: number;
}) {
  return prisma.linkExportItem.findMany({
    where: { shop, exportId, status: "queued" },
    orderBy: { id: "asc" },
    take,
    select: { id: true, customerId: true, attempts: true },
  });
}

/** Items a request was out for when its worker stopped (crash), sent before `before`. */
export function findStaleIssuingItems({
  shop,
  exportId,
  before,
}: {
  shop: string;
  exportId: string;
  before: Date;
}) {
  return prisma.linkExportItem.findMany({
    where: { shop, exportId, status: "issuing", issuingAt: { lt: before } },
    select: { id: true, customerId: true, attempts: true, issuingAt: true },
  });
}

export async function findLatestIssuingAt({ shop, exportId }: { shop: string; exportId: string }) {
  const row = await prisma.linkExportItem.findFirst({
    where: { shop, exportId, status: "issuing" },
    orderBy: { issuingAt: "desc" },
    select: { issuingAt: true },
  });
  return row?.issuingAt ?? null;
}

/**
 * Marks an item `issuing` just before its request, with the lease checked (and renewed) in the same
 * transaction: a worker that lost the shop sends nothing. False when the item is no longer queued (the
 * export expired or was cleared meanwhile).
 */
export async function markLinkItemIssuing({
  shop,
  exportId,
  itemId,
  owner,
  leaseTtlMs,
  now = new Date(),
}: {
  shop: string;
  exportId: string;
  itemId: string;
  owner: string;
  leaseTtlMs: number;
  now?: Date;
}): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const lease = await tx.shopPacer.updateMany({
      where: { shop, owner },
      data: { leaseExpiresAt: new Date(now.getTime() + leaseTtlMs) },
    });
    if (lease.count !== 1) throw new LedgerConflict("lease-lost");
    const live = await tx.linkExport.count({
      where: { shop, id: exportId, status: "running", expiresAt: { gt: now } },
    });
    if (live === 0) return false;
    const { count } = await tx.linkExportItem.updateMany({
      where: { id: itemId, exportId, status: "queued" },
      data: { status: "issuing", issuingAt: now, attempts: { increment: 1 } },
    });
    return count === 1;
  });
}

export type LinkItemOutcome =
  | {
      to: "issued";
      sealedUrl: string;
      linkExpiresAt: Date;
      replaced: boolean;
      /** The ledger's record of the link (fingerprint, dates), written in the same transaction. */
      record: { customerId: string; issuedAt: Date; issuedBy: string; fingerprint: string };
    }
  | { to: "skipped" | "failed"; reasonCode: LinkItemReason; reasonParams?: Record<string, string | number> }
  /** Not issued (throttled, refused, or settled after a lost answer): back to the queue. */
  | { to: "queued"; refundAttempt: boolean };

/**
 * Settles one item that was `issuing` (or `queued`, for skips decided before any request). An issued
 * link's sealed copy and its ledger row (fingerprint; earlier links of the customer marked replaced) are
 * written together: after a crash either both exist or neither, and recovery re-issues only in the second
 * case. An item that no longer exists (the export expired or was cleared meanwhile) keeps nothing.
 */
export async function settleLinkItem({
  shop,
  exportId,
  itemId,
  from,
  outcome,
}: {
  shop: string;
  exportId: string;
  itemId: string;
  from: "issuing" | "queued";
  outcome: LinkItemOutcome;
}) {
  await prisma.$transaction(async (tx) => {
    if (outcome.to === "issued") {
      // Shopify invalidated the customer's earlier links whatever happens to this item: recorded always.
      await recordIssued(tx, shop, outcome);
    }
    const data: Prisma.LinkExportItemUpdateManyMutationInput =
      outcome.to === "issued"
        ? {
            status: "issued",
            sealedUrl: outcome.sealedUrl,
            linkExpiresAt: outcome.linkExpiresAt,
            replaced: outcome.replaced,
          }
        : outcome.to === "queued"
          ? {
              status: "queued",
              issuingAt: null,
              ...(outcome.refundAttempt ? { attempts: { decrement: 1 } } : {}),
            }
          : {
              status: outcome.to,
              reasonCode: outcome.reasonCode,
              reasonParams: outcome.reasonParams ? JSON.stringify(outcome.reasonParams) : null,
            };
    const { count } = await tx.linkExportItem.updateMany({
      where: { id: itemId, exportId, status: from },
      data,
    });
    if (count === 1 && outcome.to !== "queued") {
      await tx.linkExport.updateMany({
        where: { shop, id: exportId },
        data:
          outcome.to === "issued"
            ? { issuedCount: { increment: 1 } }
            : outcome.to === "skipped"
              ? { skippedCount: { increment: 1 } }
              : { failedCount: { increment: 1 } },
      });
    }
  });
}

async function recordIssued(tx: Tx, shop: string, outcome: Extract<LinkItemOutcome, { to: "issued" }>) {
  const { customerId, issuedAt, issuedBy, fingerprint } = outcome.record;
  await tx.activationLink.updateMany({
    where: { shop, customerId, replacedAt: null },
    data: { replacedAt: issuedAt },
  });
  await tx.activationLink.create({
    data: { shop, customerId, issuedAt, expiresAt: outcome.linkExpiresAt, issuedBy, fingerprint },
  });
}

/** Every still-queued item of the export fails with `reasonCode` (Shopify refuses the shop's requests). */
export async function failQueuedLinkItems({
  shop,
  exportId,
  reasonCode,
}: {
  shop: string;
  exportId: string;
  reasonCode: LinkItemReason;
}) {
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.linkExportItem.updateMany({
      where: { shop, exportId, status: "queued" },
      data: { status: "failed", reasonCode },
    });
    if (count > 0)
      await tx.linkExport.updateMany({
        where: { shop, id: exportId },
        data: { failedCount: { increment: count } },
      });
  });
}

/** Ready once every target has an item and none is queued or in flight. */
export async function completeLinkExportIfDone({
  shop,
  id,
  now = new Date(),
}: {
  shop: string;
  id: string;
  now?: Date;
}) {
  return prisma.$transaction(async (tx) => {
    const pending = await tx.linkExportItem.count({
      where: { exportId: id, status: { in: ["queued", "issuing"] } },
    });
    if (pending > 0) return false;
    const { count } = await tx.linkExport.updateMany({
      where: { shop, id, status: { in: [...RUNNABLE_LINK_EXPORT_STATUSES] }, targetsResolved: true },
      data: { status: "ready", readyAt: now, targetCursor: null },
    });
    return count === 1;
  });
}

// ------------------------------------------------------------------------------------------------
// Reading and deleting the links
// ------------------------------------------------------------------------------------------------

/** Every item of a ready export, for its CSV (sealed links included), in a stable order. */
export function findLinkExportItems({ shop, exportId }: { shop: string; exportId: string }) {
  return prisma.linkExportItem.findMany({
    where: { shop, exportId },
    orderBy: { id: "asc" },
    select: {
      customerId: true,
      status: true,
      reasonCode: true,
      reasonParams: true,
      sealedUrl: true,
      linkExpiresAt: true,
      replaced: true,
    },
  });
}

/**
 * The staff member confirmed the download: the export's items (and their sealed links) are deleted.
 * Only a ready, unexpired export of that staff member; false otherwise.
 */
export async function clearDownloadedLinkExport({
  shop,
  requestedBy,
  id,
  now = new Date(),
}: {
  shop: string;
  requestedBy: string;
  id: string;
  now?: Date;
}) {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.linkExport.updateMany({
      where: { shop, requestedBy, id, status: "ready", expiresAt: { gt: now } },
      data: { status: "downloaded", clearedAt: now },
    });
    if (count === 1) await tx.linkExportItem.deleteMany({ where: { shop, exportId: id } });
    return count === 1;
  });
}

/** Exports whose hour is over: their items go, whatever state they are in. Returns how many expired. */
export async function expireLinkExports({ now = new Date(), shop }: { now?: Date; shop?: string } = {}) {
  const where = {
    ...(shop ? { shop } : {}),
    status: { in: [...HOLDING_LINK_EXPORT_STATUSES] },
    expiresAt: { lte: now },
  } satisfies Prisma.LinkExportWhereInput;
  // A plain read first (every worker poll asks): the write transaction only when something is due, so
  // idle workers never queue for SQLite's write lock.
  const due = await prisma.linkExport.findMany({ where, select: { id: true }, take: 500 });
  if (due.length === 0) return 0;
  const ids = due.map((row) => row.id);
  return prisma.$transaction(async (tx) => {
    // Moved to `expired` first (still due: not downloaded meanwhile), then its items go.
    const { count } = await tx.linkExport.updateMany({
      where: { ...where, id: { in: ids } },
      data: { status: "expired", clearedAt: now, targetCursor: null },
    });
    await tx.linkExportItem.deleteMany({ where: { exportId: { in: ids } } });
    return count;
  });
}

/** A shop's exports end now (the app was uninstalled): nothing more is issued, every held link goes. */
export async function clearShopLinkExports({ shop, now = new Date() }: { shop: string; now?: Date }) {
  await prisma.linkExport.updateMany({
    where: { shop, status: { in: [...HOLDING_LINK_EXPORT_STATUSES] } },
    data: { expiresAt: now },
  });
  return expireLinkExports({ now, shop });
}

export async function deleteCustomerLinkExportItems({
  shop,
  customerId,
}: {
  shop: string;
  customerId: string;
}) {
  const { count } = await prisma.linkExportItem.deleteMany({ where: { shop, customerId } });
  return count;
}

export async function deleteShopLinkExports({ shop }: { shop: string }) {
  const { count } = await prisma.linkExport.deleteMany({ where: { shop } });
  return count;
}
