import type { Prisma } from "@prisma/client";
import prisma, { databaseProvider } from "~/db.server";
import type {
  CampaignOrigin,
  CampaignSource,
  ExpiryReason,
  InviteOutcome,
  OutcomeReason,
  ReasonParams,
  RecipientStatus,
} from "~/constants/invites";
import { emailColumnsOf, type CampaignEmail } from "~/models/campaignEmail";
import { AUTOMATION_PAUSED, findCampaignByKey, type CampaignRow } from "~/models/Campaign.server";
import { nextFollowUpAt, type ReminderPlan } from "~/models/inviteLifecycle";
import { recordInvitesSent } from "~/models/FlowTriggerEvent.server";
import { findLastInviteTimes } from "~/models/recipientQueue.server";
import { isUniqueViolation } from "~/models/ShopPacer.server";

// The ledger's moves (decision 004): every change of a recipient's status, and every move of a
// campaign's counters, happens here, in the same transaction. Pages read the counters and never count
// rows, so nothing outside this module writes `total` or a `*Count` column. Reasons are stored as codes
// with their parameters (`reasonParams`, JSON); words are rendered when read (app/i18n).
//
// Several processes share one PostgreSQL ledger (decision 009), whose transactions run at READ COMMITTED:
// a transaction that reads, decides and then writes must hold a lock on what its decision rests on, or
// another process changes it in between (on SQLite one writer at a time made that safe by accident).
// Locks are taken in one order, so two transactions never wait for each other in a circle:
//   1. the shop (lockShopLedger): decisions across a shop's campaigns, the re-invite window at send time;
//   2. the shop's pacer row (the lease, markBatchSending);
//   3. the campaign row (lockCampaign / lockRunningCampaign, first statement on it): its status and counters;
//   4. recipient rows (their conditional updates, whose counts are checked).

type Tx = Prisma.TransactionClient;

type CounterField =
  | "queuedCount"
  | "sendingCount"
  | "sentCount"
  | "skippedCount"
  | "failedCount"
  | "activatedCount"
  | "declinedCount"
  | "expiredCount";

const outcomeCounter: Record<InviteOutcome, CounterField> = {
  activated: "activatedCount",
  declined: "declinedCount",
  expired: "expiredCount",
};

const counterFor: Record<RecipientStatus, CounterField> = {
  queued: "queuedCount",
  sending: "sendingCount",
  sent: "sentCount",
  skipped: "skippedCount",
  failed: "failedCount",
};

/** Why a customer is skipped, with the parameters its words need. */
export interface Skip {
  reason: OutcomeReason;
  params?: ReasonParams;
}

/** The stored form of a reason: its code, and its parameters as JSON (null when it has none). */
export function reasonColumns(code: OutcomeReason | null, params?: ReasonParams) {
  return {
    reasonCode: code,
    reasonParams: params && Object.keys(params).length > 0 ? JSON.stringify(params) : null,
  };
}

/** Thrown inside a transaction to roll it back when the worker must stop (lease lost, campaign stopped). */
export class LedgerConflict extends Error {
  constructor(readonly reason: "lease-lost" | "campaign-not-running" | "recipients-moved") {
    super(`ledger conflict: ${reason}`);
    this.name = "LedgerConflict";
  }
}

/**
 * Serializes the transactions that decide from a whole shop's rows (is this customer invited anywhere in
 * the shop?): a PostgreSQL advisory lock held until the transaction ends, keyed by the shop. On SQLite a
 * write transaction already excludes every other writer.
 */
async function lockShopLedger(tx: Tx, shop: string) {
  if (databaseProvider === "postgresql") {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SHOP_LOCK_NAMESPACE}::int4, hashtext(${shop}))`;
  }
}
/** The first key of the shop locks (pg_advisory_xact_lock(int4, int4)); the app uses it for nothing else. */
const SHOP_LOCK_NAMESPACE = 0x4149_0001;

/**
 * Locks the campaign row until the transaction ends (a conditional write is the portable row lock: on
 * PostgreSQL it waits for, then re-reads, a row another transaction is changing). Returns false when the
 * campaign is not the shop's, or not in one of `statuses`.
 */
async function lockCampaign(
  tx: Tx,
  { shop, campaignId, statuses, now }: { shop: string; campaignId: string; statuses?: string[]; now: Date },
) {
  const { count } = await tx.campaign.updateMany({
    where: { shop, id: campaignId, ...(statuses ? { status: { in: statuses } } : {}) },
    data: { updatedAt: now },
  });
  return count === 1;
}

/** Locks the campaign row, or throws when it is no longer running (paused, cancelled: no request may start). */
async function lockRunningCampaign(tx: Tx, target: { shop: string; campaignId: string; now: Date }) {
  if (!(await lockCampaign(tx, { ...target, statuses: ["running"] })))
    throw new LedgerConflict("campaign-not-running");
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

export interface NewCampaign {
  shop: string;
  source: CampaignSource;
  /** Where the invites come from (CAMPAIGN_ORIGINS); a merchant's campaign by default. */
  origin?: CampaignOrigin;
  query?: string;
  /** A segment campaign's segment (gid://shopify/Segment/<n>). */
  segmentId?: string;
  customerIds?: string[];
  email?: CampaignEmail;
  includeDeclined: boolean;
  requestedBy: string | null;
  idempotencyKey: string;
  /** Remind customers still INVITED after `afterDays`, up to `max` times. */
  reminders?: { afterDays: number; max: number } | null;
  /** The audience's size when known (exact), and how a query's targets will be read. */
  audienceCount?: number | null;
  readMethod?: "pages" | "bulk";
  /** The request's fingerprint (services/campaigns/requestFingerprint.ts), stored beside the key. */
  requestFingerprint?: string | null;
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
          origin: input.origin ?? "campaign",
          query: input.query ?? null,
          segmentId: input.segmentId ?? null,
          ...emailColumnsOf(input.email),
          includeDeclined: input.includeDeclined,
          requestedBy: input.requestedBy,
          idempotencyKey: input.idempotencyKey,
          reminderAfterDays: input.reminders?.afterDays ?? null,
          reminderMax: input.reminders?.max ?? 0,
          audienceCount: input.audienceCount ?? null,
          readMethod: input.source === "query" ? (input.readMethod ?? "pages") : "pages",
          requestFingerprint: input.requestFingerprint ?? null,
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

/**
 * A single invite from a customer's page, recorded as a campaign of one in one transaction: already
 * skipped (with its reason), or `sending` in a running campaign. The re-invite window is checked again
 * inside the transaction against every other row (a campaign's batch in flight, another single invite),
 * so two requests, or a request and a campaign, cannot both send. `idempotencyKey` (from the extension)
 * makes a retried request return the first one's row instead of sending again. If the app stops before
 * the answer is recorded, the worker settles the row like any other left in `sending`.
 */
export async function recordSingleInvite({
  shop,
  customerId,
  stateBefore,
  skip,
  email,
  requestedBy,
  idempotencyKey,
  requestFingerprint,
  reinviteWindowHours,
  now = new Date(),
}: {
  shop: string;
  customerId: string;
  stateBefore: string | null;
  skip: Skip | null;
  email?: CampaignEmail;
  requestedBy: string | null;
  idempotencyKey?: string;
  /** The request's fingerprint, stored with the key; a replay answers with the stored one to compare. */
  requestFingerprint?: string | null;
  reinviteWindowHours: number;
  now?: Date;
}): Promise<
  | { replayed: false; campaignId: string; recipientId: string; skip: Skip | null }
  | {
      replayed: true;
      campaignId: string;
      requestFingerprint: string | null;
      recipient: { status: string; reasonCode: string | null; reasonParams: string | null };
    }
> {
  const key = idempotencyKey
    ? `single:${customerId}:${idempotencyKey}`
    : `single:${customerId}:${now.getTime()}:${Math.random().toString(36).slice(2, 10)}`;
  const replay = async () => {
    const existing = await prisma.campaign.findUnique({
      where: { shop_idempotencyKey: { shop, idempotencyKey: key } },
      select: {
        id: true,
        requestFingerprint: true,
        recipients: { select: { status: true, reasonCode: true, reasonParams: true }, take: 1 },
      },
    });
    const recipient = existing?.recipients[0];
    return existing && recipient
      ? {
          replayed: true as const,
          campaignId: existing.id,
          requestFingerprint: existing.requestFingerprint,
          recipient,
        }
      : null;
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await prisma.$transaction(async (tx) => {
      // Two presses (or a press and a campaign's batch) decide one after the other.
      await lockShopLedger(tx, shop);
      let decided = skip;
      if (!decided) {
        const last = (await findLastInviteTimes({ db: tx, shop, customerIds: [customerId] })).get(customerId);
        if (last && last.getTime() > now.getTime() - reinviteWindowHours * 3_600_000)
          decided = { reason: "INVITED_RECENTLY", params: { hours: reinviteWindowHours } };
      }
      const campaign = await tx.campaign.create({
        data: {
          shop,
          kind: "invite",
          source: "selection",
          origin: "single",
          ...emailColumnsOf(email),
          includeDeclined: true,
          requestedBy,
          idempotencyKey: key,
          requestFingerprint: idempotencyKey ? (requestFingerprint ?? null) : null,
          status: decided ? "completed" : "running",
          total: 1,
          skippedCount: decided ? 1 : 0,
          sendingCount: decided ? 0 : 1,
          targetsResolved: true,
          startedAt: now,
          finishedAt: decided ? now : null,
        },
      });
      const recipient = await tx.recipient.create({
        data: {
          shop,
          campaignId: campaign.id,
          customerId,
          stateBefore,
          checkedAt: now,
          ...(decided
            ? { status: "skipped", ...reasonColumns(decided.reason, decided.params), finishedAt: now }
            : { status: "sending", sendingAt: now, attempts: 1 }),
        },
      });
      return { replayed: false as const, campaignId: campaign.id, recipientId: recipient.id, skip: decided };
    });
  } catch (error) {
    // The same key raced in: the first request's row is the answer.
    if (!isUniqueViolation(error)) throw error;
    const winner = await replay();
    if (!winner) throw error;
    return winner;
  }
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

/**
 * Ends a campaign whose targets could not be read (a bulk query that kept failing): status `failed` with
 * its reason (`campaignStops.<code>`); recipients still queued are skipped (CANCELLED) as in a cancel,
 * those in `sending` are settled by the worker.
 */
export async function failCampaign({
  shop,
  id,
  code,
  params,
  now = new Date(),
}: {
  shop: string;
  id: string;
  code: string;
  params?: ReasonParams;
  now?: Date;
}) {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({
      where: { shop, id, status: { in: ["queued", "running", "paused"] } },
      data: {
        status: "failed",
        finishedAt: now,
        failureCode: code,
        failureParams: params && Object.keys(params).length > 0 ? JSON.stringify(params) : null,
      },
    });
    if (count === 0) return false;
    const skipped = await tx.recipient.updateMany({
      where: { shop, campaignId: id, status: "queued" },
      data: { status: "skipped", reasonCode: "CANCELLED", finishedAt: now },
    });
    await tx.campaign.update({
      where: { id },
      data: { queuedCount: { decrement: skipped.count }, skippedCount: { increment: skipped.count } },
    });
    return true;
  });
}

export interface EligibilityDecision {
  customerId: string;
  /** Customer.state when checked (null when not found). */
  state: string | null;
  skip: Skip | null;
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
    await lockRunningCampaign(tx, { shop, campaignId, now });
    let skipped = 0;
    for (const group of groupBy(decisions, (d) =>
      JSON.stringify([d.state, d.skip?.reason, d.skip?.params]),
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
              ...reasonColumns(first.skip.reason, first.skip.params),
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
  bulkPosition,
  now = new Date(),
}: {
  shop: string;
  campaignId: string;
  decisions: EligibilityDecision[];
  nextCursor: string | null;
  done: boolean;
  /** Bulk reads: how far the result file is recorded with these rows (lines, bytes), the resume point. */
  bulkPosition?: { line: number; offset: number };
  now?: Date;
}) {
  await prisma.$transaction(async (tx) => {
    await lockRunningCampaign(tx, { shop, campaignId, now });
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
            ? { status: "skipped", ...reasonColumns(d.skip.reason, d.skip.params), finishedAt: now }
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
      data: {
        targetCursor: nextCursor,
        targetsResolved: done,
        ...(bulkPosition ? { bulkLine: bulkPosition.line, bulkOffset: bulkPosition.offset } : {}),
      },
    });
  });
}

/**
 * Marks a batch `sending` just before its request, counting the attempt. In the same transaction: the
 * shop lease must still be ours (it is renewed), the campaign still running, and each customer is checked
 * again against the ledger at send time: one with another invite sent, in flight or in doubt within the
 * re-invite window (another campaign, a single invite, a crash) is skipped INVITED_RECENTLY instead. A
 * cancel or pause that committed first makes this throw, so no request starts after it. Returns the
 * recipients to send.
 */
export async function markBatchSending({
  shop,
  campaignId,
  recipients,
  owner,
  leaseTtlMs,
  reinviteWindowHours,
  now = new Date(),
}: {
  shop: string;
  campaignId: string;
  recipients: { id: string; customerId: string }[];
  owner: string;
  leaseTtlMs: number;
  reinviteWindowHours: number;
  now?: Date;
}): Promise<{ sending: string[]; skipped: string[] }> {
  return prisma.$transaction(async (tx) => {
    await lockShopLedger(tx, shop);
    const lease = await tx.shopPacer.updateMany({
      where: { shop, owner },
      data: { leaseExpiresAt: new Date(now.getTime() + leaseTtlMs) },
    });
    if (lease.count !== 1) throw new LedgerConflict("lease-lost");
    await lockRunningCampaign(tx, { shop, campaignId, now });
    const ids = recipients.map((r) => r.id);
    const recent = await findLastInviteTimes({
      db: tx,
      shop,
      customerIds: recipients.map((r) => r.customerId),
      excludeIds: ids,
    });
    const cutoff = now.getTime() - reinviteWindowHours * 3_600_000;
    const skipped = recipients
      .filter((r) => (recent.get(r.customerId)?.getTime() ?? 0) > cutoff)
      .map((r) => r.id);
    const sending = ids.filter((id) => !skipped.includes(id));
    if (skipped.length > 0) {
      const { count } = await tx.recipient.updateMany({
        where: { shop, campaignId, id: { in: skipped }, status: "queued" },
        data: {
          status: "skipped",
          ...reasonColumns("INVITED_RECENTLY", { hours: reinviteWindowHours }),
          finishedAt: now,
        },
      });
      if (count !== skipped.length) throw new LedgerConflict("recipients-moved");
    }
    if (sending.length > 0) {
      const moved = await tx.recipient.updateMany({
        where: { shop, campaignId, id: { in: sending }, status: "queued" },
        data: { status: "sending", sendingAt: now, attempts: { increment: 1 } },
      });
      if (moved.count !== sending.length) throw new LedgerConflict("recipients-moved");
    }
    await moveCounters(tx, campaignId, {
      queuedCount: -ids.length,
      sendingCount: sending.length,
      skippedCount: skipped.length,
    });
    return { sending, skipped };
  });
}

export interface SendingOutcome {
  recipientId: string;
  to: "sent" | "failed" | "skipped" | "queued";
  reasonCode?: OutcomeReason;
  reasonParams?: ReasonParams;
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
  const sent: string[] = [];
  await prisma.$transaction(async (tx) => {
    // Invites sent now are looked at again RECONCILE_INTERVAL_HOURS from now (inviteLifecycle.ts): the
    // shop's earliest follow-up is lowered to that first (an earlier one only costs the worker a look).
    if (outcomes.some((o) => o.to === "sent")) await lowerShopFollowUp(tx, shop, firstFollowUpAt(now));
    // A campaign cancelled while its batch was out: what would go back to the queue is skipped instead
    // (CANCELLED), so a cancelled campaign never holds queued rows. Locked first: a cancel committing
    // between this read and the writes below would otherwise leave queued rows behind it.
    await lockCampaign(tx, { shop, campaignId, now });
    const campaign = await tx.campaign.findFirst({
      where: { shop, id: campaignId },
      select: { status: true },
    });
    const cancelled = campaign?.status === "cancelled";
    const settled = cancelled
      ? outcomes.map((o): SendingOutcome =>
          o.to === "queued" ? { ...o, to: "skipped", reasonCode: "CANCELLED" } : o,
        )
      : outcomes;
    const moves: Partial<Record<CounterField, number>> = {};
    for (const group of groupBy(settled, (o) =>
      JSON.stringify([o.to, o.reasonCode, o.reasonParams, o.refundAttempt]),
    )) {
      const [first] = group;
      if (!first) continue;
      const final = first.to !== "queued";
      const ids = group.map((o) => o.recipientId);
      // Each invite sent becomes an event of the Flow trigger "Account invite sent", in this transaction:
      // a send is never recorded without its event, and never reported twice (the row moves once).
      if (first.to === "sent") await recordInvitesSent(tx, { shop, campaignId, recipientIds: ids });
      const { count } = await tx.recipient.updateMany({
        where: { shop, campaignId, id: { in: ids }, status: "sending" },
        data: {
          status: first.to,
          ...reasonColumns(first.reasonCode ?? null, first.reasonParams),
          finishedAt: final ? now : null,
          ...(first.refundAttempt ? { attempts: { decrement: 1 } } : {}),
        },
      });
      moves.sendingCount = (moves.sendingCount ?? 0) - count;
      moves[counterFor[first.to]] = (moves[counterFor[first.to]] ?? 0) + count;
      if (first.to === "sent" && count > 0) {
        await startInviteLifecycles(tx, { shop, campaignId, recipientIds: ids, now });
        sent.push(...ids);
      }
    }
    await moveCounters(tx, campaignId, moves);
  });
  if (sent.length > 0) await supersedeOlderInvites({ shop, recipientIds: sent, now });
}

/** The first follow-up of an invite sent at `now`, whatever its campaign's reminders (a day at least). */
function firstFollowUpAt(now: Date) {
  return nextFollowUpAt(
    { reminderAfterDays: null, reminderMax: 0 },
    { sentAt: now, reminderNumber: 0, reminderQueued: false },
    now,
  );
}

/**
 * Older invites of the customers just sent one that are still open end as expired (SUPERSEDED):
 * Shopify's newest link replaces the previous one. In a transaction of its own, after the send was
 * recorded: it moves other campaigns' counters, which the lock order wants locked from the shop down.
 */
async function supersedeOlderInvites({
  shop,
  recipientIds,
  now,
}: {
  shop: string;
  recipientIds: string[];
  now: Date;
}) {
  await prisma.$transaction(async (tx) => {
    await lockShopLedger(tx, shop);
    const sent = await tx.recipient.findMany({
      where: { shop, id: { in: recipientIds }, status: "sent" },
      select: { id: true, customerId: true },
    });
    if (sent.length === 0) return;
    const older = await tx.recipient.findMany({
      where: {
        shop,
        customerId: { in: sent.map((row) => row.customerId) },
        status: "sent",
        outcome: null,
        id: { notIn: sent.map((row) => row.id) },
      },
      select: { id: true, campaignId: true },
    });
    await closeInvites(tx, shop, older, { outcome: "expired", reason: "SUPERSEDED", at: now });
  });
}

/**
 * Invites just sent begin their lifecycle: each gets its first follow-up (reconciliation, reminder,
 * expiry). Inside the transaction that recorded them sent, on the campaign already locked.
 */
async function startInviteLifecycles(
  tx: Tx,
  {
    shop,
    campaignId,
    recipientIds,
    now,
  }: { shop: string; campaignId: string; recipientIds: string[]; now: Date },
) {
  const campaign = await tx.campaign.findUnique({
    where: { id: campaignId },
    select: { reminderAfterDays: true, reminderMax: true },
  });
  const plan: ReminderPlan = {
    reminderAfterDays: campaign?.reminderAfterDays ?? null,
    reminderMax: campaign?.reminderMax ?? 0,
  };
  const rows = await tx.recipient.findMany({
    where: { shop, campaignId, id: { in: recipientIds }, status: "sent" },
    select: { id: true, customerId: true, reminderNumber: true },
  });
  for (const group of groupBy(rows, (row) => String(row.reminderNumber))) {
    const followUpAt = nextFollowUpAt(
      plan,
      { sentAt: now, reminderNumber: group[0]!.reminderNumber, reminderQueued: false },
      now,
    );
    await tx.recipient.updateMany({
      where: { id: { in: group.map((row) => row.id) } },
      data: { followUpAt, outcome: null, outcomeReason: null, outcomeAt: null },
    });
  }
}

/**
 * Keeps ShopPacer.followUpAt at or before every open invite's follow-up (the worker's index of shops).
 * Inside the transaction that records the sends, before the campaign row: the pacer row comes first in
 * the lock order (as in markBatchSending).
 */
async function lowerShopFollowUp(tx: Tx, shop: string, at: Date) {
  const lowered = await tx.shopPacer.updateMany({
    where: { shop, OR: [{ followUpAt: null }, { followUpAt: { gt: at } }] },
    data: { followUpAt: at },
  });
  if (lowered.count > 0) return;
  // A shop never leased yet (a single invite) has no row: Prisma's upsert is one INSERT … ON CONFLICT.
  await tx.shopPacer.upsert({ where: { shop }, create: { shop, followUpAt: at }, update: {} });
}

/**
 * Ends open invites with one outcome, moving each campaign's counter. Campaigns are locked one by one in
 * id order (the lock order of this module), each before its rows move.
 */
async function closeInvites(
  tx: Tx,
  shop: string,
  rows: { id: string; campaignId: string }[],
  { outcome, reason, at }: { outcome: InviteOutcome; reason?: ExpiryReason | null; at: Date },
) {
  let closed = 0;
  const groups = groupBy(rows, (row) => row.campaignId).sort((a, b) =>
    a[0]!.campaignId < b[0]!.campaignId ? -1 : 1,
  );
  for (const group of groups) {
    await lockCampaign(tx, { shop, campaignId: group[0]!.campaignId, now: new Date() });
    const { count } = await tx.recipient.updateMany({
      where: { id: { in: group.map((row) => row.id) }, status: "sent", outcome: null },
      data: { outcome, outcomeReason: reason ?? null, outcomeAt: at, followUpAt: null },
    });
    await moveCounters(tx, group[0]!.campaignId, { [outcomeCounter[outcome]]: count });
    closed += count;
  }
  return closed;
}

/**
 * A customer's open invites end: the latest one sent before the event with the customer's outcome
 * (activated, declined; or expired when an activation link replaced it), any older one still open as
 * superseded. An event that happened before an invite was sent does not close it (webhooks arrive late
 * and out of order; Shopify's times have whole seconds). Safe to run twice: closed invites stay closed.
 */
export async function closeCustomerInvites({
  shop,
  customerId,
  outcome,
  reason = null,
  at,
}: {
  shop: string;
  customerId: string;
  outcome: InviteOutcome;
  reason?: ExpiryReason | null;
  at: Date;
}) {
  return prisma.$transaction(async (tx) => {
    await lockShopLedger(tx, shop);
    const open = await tx.recipient.findMany({
      where: {
        shop,
        customerId,
        status: "sent",
        outcome: null,
        finishedAt: { lte: new Date(at.getTime() + 999) },
      },
      orderBy: [{ finishedAt: "desc" }, { id: "desc" }],
      select: { id: true, campaignId: true },
    });
    const [latest] = open;
    if (!latest) return 0;
    // One call, so the campaigns are locked in one order: the latest with the outcome, older ones superseded.
    let closed = 0;
    for (const row of [...open].sort((a, b) => (a.campaignId < b.campaignId ? -1 : 1))) {
      closed +=
        row === latest
          ? await closeInvites(tx, shop, [row], { outcome, reason, at })
          : await closeInvites(tx, shop, [row], { outcome: "expired", reason: "SUPERSEDED", at });
    }
    return closed;
  });
}

/** What the email and reminders of a campaign the ledger schedules (automatic, reminder) are. */
export interface ScheduledCampaignTemplate {
  email?: CampaignEmail | null;
  reminders: ReminderPlan;
  parentCampaignId?: string | null;
}

/**
 * The campaign that collects a time window's invites (automatic invites due in it, reminders queued by
 * one pass): created on first use, joined while it has not started. A campaign already started (or
 * stopped by the merchant) is never joined: its targets may be resolved already, and a late row would
 * wait forever. SQLite runs each transaction alone, so the check and the insert cannot interleave with
 * the worker's start of the campaign.
 */
async function openScheduledCampaign(
  tx: Tx,
  {
    shop,
    key,
    origin,
    dueAt,
    template: templateOf,
    paused,
  }: {
    shop: string;
    key: string;
    origin: CampaignOrigin;
    dueAt: Date | null;
    template: ScheduledCampaignTemplate;
    paused: boolean;
  },
) {
  const existing = await tx.campaign.findUnique({
    where: { shop_idempotencyKey: { shop, idempotencyKey: key } },
    select: { id: true },
  });
  // Joinable while not started: checked by a conditional write, which also locks the row against the
  // worker's start (markCampaignRunning is a conditional write on the same row).
  const joined = existing
    ? await tx.campaign.updateMany({
        where: {
          shop,
          id: existing.id,
          startedAt: null,
          OR: [{ status: "queued" }, { status: "paused", failureCode: AUTOMATION_PAUSED }],
        },
        data: { updatedAt: new Date() },
      })
    : { count: 0 };
  if (existing && joined.count === 1) return existing.id;
  const template = templateOf;
  const created = await tx.campaign.create({
    data: {
      shop,
      kind: "invite",
      source: "selection",
      origin,
      ...emailColumnsOf(template.email ?? undefined),
      includeDeclined: false,
      requestedBy: null,
      idempotencyKey: existing
        ? `${key}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
        : key,
      status: paused ? "paused" : "queued",
      failureCode: paused ? AUTOMATION_PAUSED : null,
      dueAt,
      parentCampaignId: template.parentCampaignId ?? null,
      reminderAfterDays: template.reminders.reminderAfterDays,
      reminderMax: template.reminders.reminderMax,
      targetsResolved: false,
    },
    select: { id: true },
  });
  return created.id;
}

/**
 * A new customer's automatic invite, due at `dueAt`: one queued row in the campaign of its time window
 * (`windowMs` wide, so a bulk import becomes a few campaigns sent in batches). A customer already given
 * an automatic invite (a webhook delivered twice under two event ids, a customer created again) gets no
 * second one. Eligibility is decided when it is due, from the customer read then.
 */
export async function recordAutomaticInvite({
  shop,
  customerId,
  dueAt,
  windowMs,
  template,
  paused,
  now = new Date(),
}: {
  shop: string;
  customerId: string;
  dueAt: Date;
  windowMs: number;
  template: ScheduledCampaignTemplate;
  paused: boolean;
  now?: Date;
}): Promise<{ recorded: false } | { recorded: true; campaignId: string; dueAt: Date }> {
  const due = Math.max(dueAt.getTime(), now.getTime());
  const windowEnd = new Date(Math.ceil(due / windowMs) * windowMs);
  return prisma.$transaction(async (tx) => {
    // "Never given an automatic invite" is a decision across the shop's campaigns.
    await lockShopLedger(tx, shop);
    const already = await tx.recipient.count({
      where: { shop, customerId, campaign: { origin: "automatic" } },
    });
    if (already > 0) return { recorded: false as const };
    const campaignId = await openScheduledCampaign(tx, {
      shop,
      key: `automatic:${windowEnd.toISOString()}`,
      origin: "automatic",
      dueAt: windowEnd,
      template,
      paused,
    });
    await tx.recipient.create({ data: { shop, campaignId, customerId } });
    await moveCounters(tx, campaignId, { total: 1, queuedCount: 1 });
    return { recorded: true as const, campaignId, dueAt: windowEnd };
  });
}

/** One open invite's follow-up, as the worker decided it from the customer's state. */
export type FollowUpResult =
  | { recipientId: string; campaignId: string; outcome: InviteOutcome; reason?: ExpiryReason; at: Date }
  | { recipientId: string; followUpAt: Date; queueReminder?: false }
  | {
      recipientId: string;
      followUpAt: Date;
      queueReminder: true;
      customerId: string;
      reminderNumber: number;
    };

/**
 * Records one page of follow-ups in one transaction: invites that ended (counters moved), invites looked
 * at again later, and reminders queued, one campaign per parent campaign (origin "reminder", its email
 * and reminder plan, due now). A reminder is queued once per invite (`reminderQueuedAt`).
 */
export async function recordFollowUps({
  shop,
  results,
  parents,
  paused,
  now = new Date(),
}: {
  shop: string;
  results: FollowUpResult[];
  /** The campaigns whose invites get reminders, by id: the root of each chain with its email and plan. */
  parents: Map<string, { rootId: string; email: CampaignEmail | null; reminders: ReminderPlan }>;
  paused: boolean;
  now?: Date;
}) {
  await prisma.$transaction(async (tx) => {
    await lockShopLedger(tx, shop);
    const closed = results.filter(
      (r): r is Extract<FollowUpResult, { outcome: InviteOutcome }> => "outcome" in r,
    );
    // Every campaign whose counters move, locked first in one order (closeInvites locks them again: a no-op).
    for (const campaignId of [...new Set(closed.map((r) => r.campaignId))].sort())
      await lockCampaign(tx, { shop, campaignId, now });
    for (const group of groupBy(closed, (r) =>
      JSON.stringify([r.outcome, r.reason ?? null, r.at.getTime()]),
    )) {
      const [first] = group;
      if (!first) continue;
      await closeInvites(
        tx,
        shop,
        group.map((r) => ({ id: r.recipientId, campaignId: r.campaignId })),
        { outcome: first.outcome, reason: first.reason ?? null, at: first.at },
      );
    }
    const later = results.filter(
      (r): r is Extract<FollowUpResult, { followUpAt: Date }> => "followUpAt" in r,
    );
    for (const group of groupBy(later, (r) => String(r.followUpAt.getTime()))) {
      await tx.recipient.updateMany({
        where: { shop, id: { in: group.map((r) => r.recipientId) }, status: "sent", outcome: null },
        data: { followUpAt: group[0]!.followUpAt },
      });
    }
    const reminders = later.filter(
      (r): r is Extract<FollowUpResult, { queueReminder: true }> => r.queueReminder === true,
    );
    if (reminders.length === 0) return;
    const sources = await tx.recipient.findMany({
      where: { shop, id: { in: reminders.map((r) => r.recipientId) }, reminderQueuedAt: null, outcome: null },
      select: { id: true, campaignId: true },
    });
    const byId = new Map(reminders.map((r) => [r.recipientId, r]));
    for (const group of groupBy(sources, (row) => parents.get(row.campaignId)?.rootId ?? row.campaignId)) {
      const parent = parents.get(group[0]!.campaignId);
      if (!parent) continue;
      const campaignId = await openScheduledCampaign(tx, {
        shop,
        key: `reminder:${parent.rootId}:${now.toISOString()}`,
        origin: "reminder",
        dueAt: null,
        template: { email: parent.email, reminders: parent.reminders, parentCampaignId: parent.rootId },
        paused,
      });
      const present = new Set(
        (
          await tx.recipient.findMany({
            where: { campaignId, customerId: { in: group.map((row) => byId.get(row.id)!.customerId) } },
            select: { customerId: true },
          })
        ).map((row) => row.customerId),
      );
      const fresh = group.map((row) => byId.get(row.id)!).filter((r) => !present.has(r.customerId));
      const unique = [...new Map(fresh.map((r) => [r.customerId, r])).values()];
      if (unique.length > 0) {
        await tx.recipient.createMany({
          data: unique.map((r) => ({
            shop,
            campaignId,
            customerId: r.customerId,
            reminderNumber: r.reminderNumber + 1,
          })),
        });
        await moveCounters(tx, campaignId, { total: unique.length, queuedCount: unique.length });
      }
      await tx.recipient.updateMany({
        where: { id: { in: group.map((row) => row.id) } },
        data: { reminderQueuedAt: now },
      });
    }
  });
}

/** Sets the shop's earliest follow-up from its open invites, after the worker handled those due. */
export async function refreshShopFollowUp({ shop }: { shop: string }) {
  await prisma.$transaction(async (tx) => {
    const next = await tx.recipient.findFirst({
      where: { shop, followUpAt: { not: null } },
      orderBy: { followUpAt: "asc" },
      select: { followUpAt: true },
    });
    await tx.shopPacer.updateMany({ where: { shop }, data: { followUpAt: next?.followUpAt ?? null } });
  });
}

/** Deletes one customer's recipient rows and takes them out of their campaigns' counters. */
export async function deleteCustomerRecipients({ shop, customerId }: { shop: string; customerId: string }) {
  return prisma.$transaction(async (tx) => {
    // The campaigns first (in one order), so no status moves between reading a row and counting it out.
    const campaigns = await tx.recipient.findMany({
      where: { shop, customerId },
      select: { campaignId: true },
      distinct: ["campaignId"],
    });
    const now = new Date();
    const locked = campaigns.map((c) => c.campaignId).sort();
    for (const campaignId of locked) await lockCampaign(tx, { shop, campaignId, now });
    const rows = await tx.recipient.findMany({
      where: { shop, customerId, campaignId: { in: locked } },
      select: { id: true, campaignId: true, status: true, outcome: true },
    });
    for (const row of rows) {
      const status = row.status as RecipientStatus;
      const outcome = row.outcome as InviteOutcome | null;
      await moveCounters(tx, row.campaignId, {
        total: -1,
        [counterFor[status] ?? "failedCount"]: -1,
        ...(outcome && outcomeCounter[outcome] ? { [outcomeCounter[outcome]]: -1 } : {}),
      });
    }
    const { count } = await tx.recipient.deleteMany({
      where: { shop, customerId, campaignId: { in: locked } },
    });
    return count;
  });
}

export async function deleteShopCampaigns({ shop }: { shop: string }) {
  // Recipients go with their campaign (onDelete: Cascade); deleting them first keeps the count honest.
  const recipients = await prisma.recipient.deleteMany({ where: { shop } });
  const campaigns = await prisma.campaign.deleteMany({ where: { shop } });
  return { campaigns: campaigns.count, recipients: recipients.count };
}

/**
 * The merchant's answer to invites in doubt (failed, UNCERTAIN): "mark as sent" (they checked the
 * customer) moves them to sent; "send again" records that choice (failed, RESEND_REQUESTED), which
 * takes them out of the re-invite window so a new campaign can invite them. Both move only rows still
 * UNCERTAIN, so pressing twice changes nothing. Returns the customers moved.
 */
export async function resolveUncertain({
  shop,
  campaignId,
  as,
  now = new Date(),
}: {
  shop: string;
  campaignId: string;
  as: "sent" | "resend";
  now?: Date;
}): Promise<string[]> {
  const moved = await prisma.$transaction(async (tx) => {
    if (as === "sent") await lowerShopFollowUp(tx, shop, firstFollowUpAt(now));
    if (!(await lockCampaign(tx, { shop, campaignId, now }))) return [];
    const rows = await tx.recipient.findMany({
      where: { shop, campaignId, status: "failed", reasonCode: "UNCERTAIN" },
      select: { id: true, customerId: true },
    });
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const { count } = await tx.recipient.updateMany({
      where: { shop, campaignId, id: { in: ids }, status: "failed", reasonCode: "UNCERTAIN" },
      data:
        as === "sent"
          ? { status: "sent", ...reasonColumns(null), finishedAt: now }
          : { ...reasonColumns("RESEND_REQUESTED"), finishedAt: now },
    });
    if (count !== ids.length) throw new LedgerConflict("recipients-moved");
    if (as === "sent") {
      await moveCounters(tx, campaignId, { failedCount: -count, sentCount: count });
      await startInviteLifecycles(tx, { shop, campaignId, recipientIds: ids, now });
    }
    return rows.map((r) => ({ id: r.id, customerId: r.customerId }));
  });
  if (as === "sent" && moved.length > 0)
    await supersedeOlderInvites({ shop, recipientIds: moved.map((r) => r.id), now });
  return moved.map((r) => r.customerId);
}
