import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";

// Whether a shop has an enabled workflow using one of the app's Flow triggers (schema: FlowTriggerUse),
// from Flow's trigger lifecycle callbacks. No row: disabled (Flow calls the app before a workflow using
// the trigger can be enabled). Every query is scoped by shop.

type Tx = Prisma.TransactionClient;

/** In the ledger's transaction: may events of this trigger be written for the shop now? */
export async function triggerInUse(tx: Tx, { shop, handle }: { shop: string; handle: string }) {
  const row = await tx.flowTriggerUse.findUnique({
    where: { shop_handle: { shop, handle } },
    select: { enabled: true },
  });
  return row?.enabled === true;
}

export type TriggerUseOutcome = "recorded" | "stale";

/**
 * Records one lifecycle callback: the newest `changedAt` wins; a callback no newer than the stored one is
 * ignored ("stale"). When the trigger is no longer used, the shop's pending events of it are dropped in
 * the same transaction (no workflow would run for them). Returns the outcome and how many were dropped.
 */
export async function recordTriggerUse({
  shop,
  handle,
  enabled,
  changedAt,
}: {
  shop: string;
  handle: string;
  enabled: boolean;
  changedAt: Date;
}): Promise<{ outcome: TriggerUseOutcome; dropped: number }> {
  return prisma.$transaction(async (tx) => {
    const current = await tx.flowTriggerUse.findUnique({ where: { shop_handle: { shop, handle } } });
    if (current && current.changedAt.getTime() >= changedAt.getTime())
      return { outcome: "stale", dropped: 0 };
    if (current)
      await tx.flowTriggerUse.updateMany({
        where: { shop, handle, changedAt: current.changedAt },
        data: { enabled, changedAt },
      });
    else await tx.flowTriggerUse.create({ data: { shop, handle, enabled, changedAt } });
    let dropped = 0;
    if (!enabled)
      ({ count: dropped } = await tx.flowTriggerEvent.deleteMany({ where: { shop, status: "pending" } }));
    return { outcome: "recorded", dropped };
  });
}

/** Compliance (shop/redact). */
export async function deleteTriggerUses({ shop }: { shop: string }) {
  const { count } = await prisma.flowTriggerUse.deleteMany({ where: { shop } });
  return count;
}
