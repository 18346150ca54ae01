import type { Prisma } from "@prisma/client";
import { FLOW_TRIGGER_HANDLE } from "~/constants/flow";
import prisma from "~/db.server";
import { triggerInUse } from "~/models/FlowTriggerUse.server";

// The outbox of the Flow trigger "Account invite sent" (schema: FlowTriggerEvent). Rows are written by
// the ledger in the transaction that marks recipients sent, and emitted by the worker in the shop's turn
// (app/services/flow/flowTriggers.server.ts). Every query is scoped by shop.

type Tx = Prisma.TransactionClient;

/**
 * Records one pending event per recipient about to be marked sent (only those still `sending`), and only
 * while the shop has an enabled workflow using the trigger (FlowTriggerUse, read in this transaction).
 */
export async function recordInvitesSent(
  tx: Tx,
  { shop, campaignId, recipientIds }: { shop: string; campaignId: string; recipientIds: string[] },
) {
  if (recipientIds.length === 0) return 0;
  if (!(await triggerInUse(tx, { shop, handle: FLOW_TRIGGER_HANDLE }))) return 0;
  const campaign = await tx.campaign.findFirst({ where: { shop, id: campaignId }, select: { origin: true } });
  if (!campaign) return 0;
  const rows = await tx.recipient.findMany({
    where: { shop, campaignId, id: { in: recipientIds }, status: "sending" },
    select: { id: true, customerId: true, attempts: true },
  });
  if (rows.length === 0) return 0;
  const { count } = await tx.flowTriggerEvent.createMany({
    data: rows.map((row) => ({
      shop,
      recipientId: row.id,
      campaignId,
      customerId: row.customerId,
      origin: campaign.origin,
      attempt: Math.max(1, row.attempts),
    })),
  });
  return count;
}

export type FlowTriggerEventRow = Prisma.FlowTriggerEventGetPayload<object>;

/** Shops with events due: the worker gives them a turn even when no campaign has work. */
export async function listShopsWithDueFlowEvents({ now = new Date(), take = 1_000 } = {}) {
  const rows = await prisma.flowTriggerEvent.findMany({
    where: { status: "pending", nextAttemptAt: { lte: now } },
    select: { shop: true },
    distinct: ["shop"],
    take,
  });
  return rows.map((row) => row.shop);
}

/** The shop's oldest due events. */
export async function findDueFlowEvents({
  shop,
  take,
  now = new Date(),
}: {
  shop: string;
  take: number;
  now?: Date;
}) {
  return prisma.flowTriggerEvent.findMany({
    where: { shop, status: "pending", nextAttemptAt: { lte: now } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take,
  });
}

export async function markFlowEventsEmitted({
  shop,
  ids,
  now = new Date(),
}: {
  shop: string;
  ids: string[];
  now?: Date;
}) {
  if (ids.length === 0) return 0;
  const { count } = await prisma.flowTriggerEvent.updateMany({
    where: { shop, id: { in: ids }, status: "pending" },
    data: { status: "emitted", emittedAt: now, tries: { increment: 1 }, lastError: null },
  });
  return count;
}

/** Refused for good (unknown handle, invalid payload): kept with Shopify's words, never retried. */
export async function markFlowEventFailed({ shop, id, error }: { shop: string; id: string; error: string }) {
  await prisma.flowTriggerEvent.updateMany({
    where: { shop, id, status: "pending" },
    data: { status: "failed", tries: { increment: 1 }, lastError: error.slice(0, 1_000) },
  });
}

/**
 * No usable answer: try again after `delayMs`, or give up (failed) after `maxTries`. Returns how many
 * were given up.
 */
export async function postponeFlowEvents({
  shop,
  events,
  delayMs,
  maxTries,
  error,
  now = new Date(),
}: {
  shop: string;
  events: { id: string; tries: number }[];
  delayMs: number;
  maxTries: number;
  error: string;
  now?: Date;
}) {
  const exhausted = events.filter((e) => e.tries + 1 >= maxTries).map((e) => e.id);
  const retry = events.filter((e) => e.tries + 1 < maxTries).map((e) => e.id);
  if (exhausted.length > 0)
    await prisma.flowTriggerEvent.updateMany({
      where: { shop, id: { in: exhausted }, status: "pending" },
      data: { status: "failed", tries: { increment: 1 }, lastError: error },
    });
  if (retry.length > 0)
    await prisma.flowTriggerEvent.updateMany({
      where: { shop, id: { in: retry }, status: "pending" },
      data: { tries: { increment: 1 }, lastError: error, nextAttemptAt: new Date(now.getTime() + delayMs) },
    });
  return exhausted.length;
}

/** Compliance: a customer's events (customers/redact) or a shop's (shop/redact). */
export async function deleteFlowEvents({ shop, customerId }: { shop: string; customerId?: string }) {
  const { count } = await prisma.flowTriggerEvent.deleteMany({
    where: customerId ? { shop, customerId } : { shop },
  });
  return count;
}
