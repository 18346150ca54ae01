import prisma from "~/db.server";
import type { ThrottleStatus } from "~/types/admin";

// The per-shop lease: one worker paces a shop at a time (one shop = one rate-limit bucket). Taking it is
// one conditional UPDATE, so two workers can never both succeed; a crashed worker's lease simply expires.

export async function acquireShopLease({
  shop,
  owner,
  ttlMs,
  now = new Date(),
}: {
  shop: string;
  owner: string;
  ttlMs: number;
  now?: Date;
}) {
  // The row must exist for the conditional update; creating it twice at once is harmless.
  await prisma.shopPacer.upsert({ where: { shop }, create: { shop }, update: {} }).catch((error: unknown) => {
    if (!isUniqueViolation(error)) throw error;
  });
  const { count } = await prisma.shopPacer.updateMany({
    where: {
      shop,
      OR: [{ owner: null }, { owner }, { leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }],
    },
    data: { owner, leaseExpiresAt: new Date(now.getTime() + ttlMs) },
  });
  return count === 1;
}

/**
 * Extends the lease while it is still ours (even if it ran past its expiry and nobody took it).
 * False means another worker took the shop: stop before the next request.
 */
export async function renewShopLease({
  shop,
  owner,
  ttlMs,
  now = new Date(),
}: {
  shop: string;
  owner: string;
  ttlMs: number;
  now?: Date;
}) {
  const { count } = await prisma.shopPacer.updateMany({
    where: { shop, owner },
    data: { leaseExpiresAt: new Date(now.getTime() + ttlMs) },
  });
  return count === 1;
}

export async function releaseShopLease({
  shop,
  owner,
  throttle,
}: {
  shop: string;
  owner: string;
  throttle?: { status: ThrottleStatus; observedAt: Date } | null;
}) {
  await prisma.shopPacer.updateMany({
    where: { shop, owner },
    data: {
      owner: null,
      leaseExpiresAt: null,
      ...(throttle ? { ...throttle.status, observedAt: throttle.observedAt } : {}),
    },
  });
}

/**
 * When each shop's last turn ended (its pacer row's last write: release or renewal), for serving the
 * least recently served first. Shops never served are absent (they go first).
 */
export async function listShopTurns({ shops }: { shops: string[] }) {
  const rows = await prisma.shopPacer.findMany({
    where: { shop: { in: shops } },
    select: { shop: true, updatedAt: true },
  });
  return new Map(rows.map((row) => [row.shop, row.updatedAt.getTime()]));
}

/** The bucket as last observed by any worker, so a new pacer does not assume a full bucket. */
export async function findLastThrottle({ shop }: { shop: string }) {
  const row = await prisma.shopPacer.findUnique({ where: { shop } });
  if (
    !row?.observedAt ||
    row.maximumAvailable === null ||
    row.currentlyAvailable === null ||
    row.restoreRate === null
  ) {
    return null;
  }
  return {
    status: {
      maximumAvailable: row.maximumAvailable,
      currentlyAvailable: row.currentlyAvailable,
      restoreRate: row.restoreRate,
    },
    observedAt: row.observedAt,
  };
}

export async function deleteShopPacer({ shop }: { shop: string }) {
  const { count } = await prisma.shopPacer.deleteMany({ where: { shop } });
  return count;
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}

/** Shops whose open invites have follow-ups due (reconciliation, reminders, expiry): one indexed read. */
export async function listShopsWithFollowUpsDue({
  now = new Date(),
  take = 10_000,
}: { now?: Date; take?: number } = {}) {
  const rows = await prisma.shopPacer.findMany({
    where: { followUpAt: { lte: now } },
    select: { shop: true },
    orderBy: { followUpAt: "asc" },
    take,
  });
  return rows.map((row) => row.shop);
}

export async function findShopFollowUpAt({ shop }: { shop: string }) {
  return (
    (await prisma.shopPacer.findUnique({ where: { shop }, select: { followUpAt: true } }))?.followUpAt ?? null
  );
}

/** A shop whose follow-ups cannot run now (no session: uninstalled) is looked at again later. */
export async function postponeShopFollowUp({ shop, until }: { shop: string; until: Date }) {
  await prisma.shopPacer.updateMany({
    where: { shop, followUpAt: { lt: until } },
    data: { followUpAt: until },
  });
}
