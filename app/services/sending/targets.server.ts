import { LIVE_BULK_STATUSES, MAX_BULK_RUNS, SHOPIFY_PAGE_SIZE } from "~/constants/invites";
import { findCampaign, pauseCampaign, updateBulkRead, type CampaignRow } from "~/models/Campaign.server";
import { failCampaign, recordQueryPage, recordSelectionEligibility } from "~/models/ledger.server";
import { findUncheckedRecipients } from "~/models/recipientQueue.server";
import {
  decideCustomers,
  ledgerDecisionOf,
  type PassContext,
} from "~/services/campaigns/eligibilityPass.server";
import type { AdminOutcome } from "~/services/shopify/adminRequest.server";
import {
  BULK_COST,
  readBulkOperation,
  runCustomersBulkQuery,
  snapshotOfLine,
} from "~/services/shopify/bulkOperations.server";
import {
  BulkResultUnavailable,
  streamResultLines,
  type ResultLine,
} from "~/services/shopify/bulkResult.server";
import { READ_COST, readCustomersPage, readCustomerSnapshots } from "~/services/shopify/customerReads.server";
import {
  readSegmentMembersPage,
  SEGMENT_PAGE_COST,
  segmentMissing,
} from "~/services/shopify/segmentReads.server";
import type { AdminGraphql } from "~/types/admin";
import type { Logger } from "~/utils/logger.server";

// Target sources: how a campaign's customers become recipient rows with their eligibility decided, one
// step per call. A selection's rows exist from creation and are checked against fresh snapshots (≤250 a
// step); a query's pages are read with the cursor saved in the same transaction as their rows; a large
// query's targets come from a Shopify bulk query (decision 010): started, awaited (the
// bulk_operations/finish webhook, or polling with a back-off when none came), then its JSONL file
// streamed line by line, BULK_CHUNK lines a step, each chunk's rows recorded with the file position in
// one transaction, so a crash resumes from the byte after the last recorded line. A segment's members
// are read page by page like a query's, then their snapshots by id.

/** Runs a read with its requested cost reserved in the shop's pacer (the sender's `paced`). */
export type PacedRead = <T>(points: number, run: () => Promise<AdminOutcome<T>>) => Promise<AdminOutcome<T>>;

export interface TargetContext {
  shop: string;
  campaign: CampaignRow;
  graphql: AdminGraphql;
  /**
   * The eligibility pass's context, or its promise: the sender reads the shop's accounts mode while the
   * first page of targets is read, and decisions wait for it (null: it could not be read; the step is
   * retried, nothing recorded).
   */
  pass: PassContext | Promise<PassContext | null>;
  /** Read the customers' tags too (automatic invites with required tags); known before the pass is. */
  withTags?: boolean;
  paced: PacedRead;
  timeoutMs: number;
  /** The bulk source's open result file and poll back-off, kept by the sender for one run. */
  bulk?: BulkReadState;
  log?: Logger;
}

/**
 * One step of targets: "retry" when Shopify did not answer (nothing was recorded); `waitMs` when there is
 * nothing to read yet (a bulk query still running), so the sender waits (or sends) meanwhile.
 */
export type TargetStep = "retry" | { done: boolean; cursor: string | null; waitMs?: number };

export async function resolveTargetsPage(context: TargetContext, cursor: string | null): Promise<TargetStep> {
  switch (context.campaign.source) {
    case "selection":
      return resolveSelectionPage(context);
    case "segment":
      return resolveSegmentPage(context, cursor);
    default:
      return context.campaign.readMethod === "bulk"
        ? resolveBulkStep(context)
        : resolveQueryPage(context, cursor);
  }
}

/** True when reading the campaign's targets spends no bucket points (the bulk file): the sender reads while it waits. */
export function readsAreFree(campaign: CampaignRow): boolean {
  return campaign.source === "query" && campaign.readMethod === "bulk";
}

async function resolveSelectionPage(context: TargetContext) {
  const { shop, campaign, graphql, paced, timeoutMs } = context;
  const rows = await findUncheckedRecipients({ shop, campaignId: campaign.id, take: SHOPIFY_PAGE_SIZE });
  if (rows.length === 0) {
    await recordQueryPage({ shop, campaignId: campaign.id, decisions: [], nextCursor: null, done: true });
    return { done: true, cursor: null };
  }
  const ids = rows.map((r) => r.customerId);
  const withTags = context.withTags ?? ((await context.pass)?.automatic?.requiredTags.length ?? 0) > 0;
  const read = await paced(READ_COST.snapshots(ids.length), () =>
    readCustomerSnapshots({ graphql, ids, timeoutMs, withTags }),
  );
  if (read.kind !== "answered" || !read.data) return "retry" as const;
  const snapshots = read.data;
  const pass = await context.pass;
  if (!pass) return "retry" as const;
  const decided = await decideCustomers(
    pass,
    ids.map((id) => ({ id, snapshot: snapshots.get(id) ?? null })),
  );
  await recordSelectionEligibility({
    shop,
    campaignId: campaign.id,
    decisions: decided.map((customer, index) => ({
      ...ledgerDecisionOf(customer),
      recipientId: rows[index]!.id,
    })),
  });
  return { done: false, cursor: null };
}

async function resolveQueryPage(
  { shop, campaign, graphql, pass: passReady, paced, timeoutMs }: TargetContext,
  cursor: string | null,
) {
  const read = await paced(READ_COST.customersPage(), () =>
    readCustomersPage({ graphql, query: campaign.query ?? "", after: cursor, timeoutMs }),
  );
  if (read.kind !== "answered" || !read.data) return "retry" as const;
  const page = read.data;
  const pass = await passReady;
  if (!pass) return "retry" as const;
  const decided = await decideCustomers(
    pass,
    page.snapshots.map((snapshot) => ({ id: snapshot.id, snapshot })),
  );
  const done = !page.hasNextPage || !page.endCursor;
  await recordQueryPage({
    shop,
    campaignId: campaign.id,
    decisions: decided.map(ledgerDecisionOf),
    nextCursor: done ? null : page.endCursor,
    done,
  });
  return { done, cursor: done ? null : page.endCursor };
}

// ---------------------------------------------------------------------------------------------------
// The bulk source (decision 010).

/** Lines recorded per transaction. */
export const BULK_CHUNK = 500;
/** Polls of `bulkOperation(id:)` when no webhook came: 1 s, doubling up to 30 s. */
const POLL_MIN_MS = 1_000;
const POLL_MAX_MS = 30_000;
/** Waiting for a free slot (OPERATION_IN_PROGRESS): 5 s, doubling up to 60 s. */
const SLOT_MIN_MS = 5_000;
const SLOT_MAX_MS = 60_000;

export class BulkReadState {
  polls = 0;
  nextPollAt = 0;
  slotWaits = 0;
  private lines: AsyncGenerator<ResultLine> | null = null;
  private operationId: string | null = null;

  /** The open result file of this operation, from where the ledger says it stopped. */
  open(operationId: string, url: string, fromByte: number) {
    if (this.lines && this.operationId === operationId) return this.lines;
    void this.close();
    this.operationId = operationId;
    this.lines = streamResultLines(url, { fromByte });
    return this.lines;
  }

  isOpen(operationId: string | null) {
    return this.lines !== null && this.operationId === operationId;
  }

  async close() {
    const lines = this.lines;
    this.lines = null;
    this.operationId = null;
    await lines?.return(undefined).catch(() => undefined);
  }

  resetPolls(now: number) {
    this.polls = 0;
    this.nextPollAt = now + POLL_MIN_MS;
  }
}

async function resolveBulkStep(context: TargetContext): Promise<TargetStep> {
  const { shop, graphql, paced, timeoutMs } = context;
  const state = (context.bulk ??= new BulkReadState());
  // The finish webhook writes the status on the row: read it fresh each step.
  const campaign = await findCampaign({ shop, id: context.campaign.id });
  if (!campaign || campaign.status !== "running") return { done: false, cursor: null, waitMs: 0 };
  const now = Date.now();
  const status = campaign.bulkStatus;

  if (!campaign.bulkOperationId) {
    if (status === "WAITING" && campaign.bulkCheckedAt) {
      const wait = Math.min(SLOT_MAX_MS, SLOT_MIN_MS * 2 ** Math.max(0, state.slotWaits - 1));
      const due = campaign.bulkCheckedAt.getTime() + wait - now;
      if (due > 0) return { done: false, cursor: null, waitMs: due };
    }
    return startBulkQuery(context, campaign, state);
  }
  const operationId = campaign.bulkOperationId;

  if (status === "COMPLETED") return readBulkChunk(context, campaign, operationId, state);
  if (status && !(LIVE_BULK_STATUSES as readonly string[]).includes(status)) {
    // FAILED, EXPIRED, or CANCELED by someone else: run it again, from the start (recorded customers
    // stay; the unique (campaign, customer) key and the ledger's check keep them from being added twice).
    context.log?.warn(
      { operationId, status, errorCode: campaign.bulkErrorCode },
      "bulk query ended without a file",
    );
    return rerunOrFail(context, campaign, campaign.bulkErrorCode ?? status);
  }
  // Still running: the webhook says when it ends; without one, poll with a back-off.
  if (now < state.nextPollAt) return { done: false, cursor: null, waitMs: state.nextPollAt - now };
  const read = await paced(BULK_COST.status, () =>
    readBulkOperation({ graphql, id: operationId, timeoutMs }),
  );
  if (read.kind !== "answered" || read.data === undefined) return "retry";
  state.polls++;
  state.nextPollAt = Date.now() + Math.min(POLL_MAX_MS, POLL_MIN_MS * 2 ** state.polls);
  if (!read.data) {
    // Shopify does not know the operation (any more): start again.
    return rerunOrFail(context, campaign, "NOT_FOUND");
  }
  await updateBulkRead({
    shop,
    id: campaign.id,
    onlyOperation: operationId,
    data: { bulkStatus: read.data.status, bulkErrorCode: read.data.errorCode, bulkCheckedAt: new Date() },
  });
  return { done: false, cursor: null, waitMs: read.data.status === "COMPLETED" ? 0 : 250 };
}

async function startBulkQuery(
  context: TargetContext,
  campaign: CampaignRow,
  state: BulkReadState,
): Promise<TargetStep> {
  const { shop, graphql, paced, timeoutMs } = context;
  if (campaign.bulkRuns >= MAX_BULK_RUNS)
    return failBulkRead(context, campaign, campaign.bulkErrorCode ?? "RUNS_EXHAUSTED");
  const run = await paced(BULK_COST.run, () =>
    runCustomersBulkQuery({ graphql, search: campaign.query ?? "", timeoutMs }),
  );
  if (run.kind !== "answered" || !run.data) return "retry";
  const { operation, userErrors } = run.data;
  if (!operation) {
    if (userErrors.some((e) => e.code === "OPERATION_IN_PROGRESS")) {
      // Shopify's limit of concurrent operations for this app and shop is reached: the campaign waits
      // for a slot (the merchant sees "waiting for Shopify"), asking again with a back-off.
      state.slotWaits++;
      await updateBulkRead({
        shop,
        id: campaign.id,
        data: { bulkStatus: "WAITING", bulkCheckedAt: new Date() },
      });
      context.log?.info({ message: userErrors[0]?.message }, "bulk query slots all taken; waiting");
      return { done: false, cursor: null, waitMs: SLOT_MIN_MS };
    }
    const message = userErrors.map((e) => e.message).join(" ") || "no operation";
    context.log?.error({ userErrors }, "Shopify refused the bulk query");
    await failCampaign({
      shop,
      id: campaign.id,
      code: "BULK_READ_REFUSED",
      params: { shopifyMessage: message },
    });
    return { done: false, cursor: null, waitMs: 0 };
  }
  state.slotWaits = 0;
  state.resetPolls(Date.now());
  await updateBulkRead({
    shop,
    id: campaign.id,
    data: {
      bulkOperationId: operation.id,
      bulkStatus: operation.status,
      bulkErrorCode: null,
      bulkCheckedAt: new Date(),
      bulkRuns: { increment: 1 },
      bulkLine: 0,
      bulkOffset: 0,
    },
  });
  context.log?.info({ operationId: operation.id }, "bulk query started");
  return { done: false, cursor: null, waitMs: POLL_MIN_MS };
}

async function readBulkChunk(
  context: TargetContext,
  campaign: CampaignRow,
  operationId: string,
  state: BulkReadState,
): Promise<TargetStep> {
  const { shop, graphql, paced, timeoutMs } = context;
  if (!state.isOpen(operationId)) {
    // The webhook carries no URL: ask for it (1 point), also after a crash (the URL is not stored).
    const read = await paced(BULK_COST.status, () =>
      readBulkOperation({ graphql, id: operationId, timeoutMs }),
    );
    if (read.kind !== "answered" || read.data === undefined) return "retry";
    if (!read.data || read.data.status !== "COMPLETED") {
      await updateBulkRead({
        shop,
        id: campaign.id,
        onlyOperation: operationId,
        data: { bulkStatus: read.data?.status ?? "EXPIRED", bulkErrorCode: read.data?.errorCode ?? null },
      });
      return { done: false, cursor: null, waitMs: 0 };
    }
    if (!read.data.url) {
      // Nothing matched: Shopify gives no file.
      await recordQueryPage({ shop, campaignId: campaign.id, decisions: [], nextCursor: null, done: true });
      return { done: true, cursor: null };
    }
    state.open(operationId, read.data.url, campaign.bulkOffset);
  }
  const lines = state.open(operationId, "", campaign.bulkOffset);
  const customers: { id: string; snapshot: NonNullable<ReturnType<typeof snapshotOfLine>> }[] = [];
  let line = campaign.bulkLine;
  let offset = campaign.bulkOffset;
  let ended = false;
  try {
    while (customers.length < BULK_CHUNK) {
      const next = await lines.next();
      if (next.done) {
        ended = true;
        break;
      }
      line++;
      offset = next.value.endOffset;
      const snapshot = snapshotOfLine(next.value.line);
      if (snapshot) customers.push({ id: snapshot.id, snapshot });
    }
  } catch (error) {
    await state.close();
    if (!(error instanceof BulkResultUnavailable)) throw error;
    // An expired or refused URL (or a dropped download): run the query again rather than lose customers.
    context.log?.warn(
      { operationId, status: error.status, err: error.message },
      "bulk result file unavailable",
    );
    if (error.status === null) return "retry";
    return rerunOrFail(context, campaign, "RESULT_UNAVAILABLE");
  }
  const pass = await context.pass;
  if (!pass) {
    // Not recorded: the same lines are read again from the recorded position.
    await state.close();
    return "retry";
  }
  const decided = await decideCustomers(pass, customers);
  await recordQueryPage({
    shop,
    campaignId: campaign.id,
    decisions: decided.map(ledgerDecisionOf),
    nextCursor: null,
    done: ended,
    bulkPosition: { line, offset },
  });
  if (ended) await state.close();
  return { done: ended, cursor: null };
}

async function rerunOrFail(
  context: TargetContext,
  campaign: CampaignRow,
  reason: string,
): Promise<TargetStep> {
  await context.bulk?.close();
  if (campaign.bulkRuns >= MAX_BULK_RUNS) return failBulkRead(context, campaign, reason);
  await updateBulkRead({
    shop: context.shop,
    id: campaign.id,
    data: { bulkOperationId: null, bulkStatus: null, bulkErrorCode: reason, bulkLine: 0, bulkOffset: 0 },
  });
  return { done: false, cursor: null, waitMs: 0 };
}

async function failBulkRead(
  context: TargetContext,
  campaign: CampaignRow,
  reason: string,
): Promise<TargetStep> {
  context.log?.error({ reason, runs: campaign.bulkRuns }, "bulk query kept failing: campaign failed");
  await failCampaign({
    shop: context.shop,
    id: campaign.id,
    code: "BULK_READ_FAILED",
    params: { runs: campaign.bulkRuns, reason },
  });
  return { done: false, cursor: null, waitMs: 0 };
}

async function resolveSegmentPage(context: TargetContext, cursor: string | null) {
  const { shop, campaign, graphql, paced, timeoutMs } = context;
  const segmentId = campaign.segmentId ?? "";
  const members = await paced(SEGMENT_PAGE_COST, () =>
    readSegmentMembersPage({ graphql, segmentId, after: cursor, timeoutMs }),
  );
  if (segmentMissing(members)) {
    // Deleted since the campaign was recorded: nothing to resolve; the merchant sees why it stopped.
    await pauseCampaign({ shop, id: campaign.id, code: "SEGMENT_NOT_FOUND" });
    return "retry" as const;
  }
  if (members.kind !== "answered" || !members.data) return "retry" as const;
  const page = members.data;
  const done = !page.hasNextPage || !page.endCursor;
  let decisions: ReturnType<typeof ledgerDecisionOf>[] = [];
  if (page.customerIds.length > 0) {
    const ids = page.customerIds;
    const read = await paced(READ_COST.snapshots(ids.length), () =>
      readCustomerSnapshots({ graphql, ids, timeoutMs }),
    );
    if (read.kind !== "answered" || !read.data) return "retry" as const;
    const snapshots = read.data;
    const pass = await context.pass;
    if (!pass) return "retry" as const;
    const decided = await decideCustomers(
      pass,
      ids.map((id) => ({ id, snapshot: snapshots.get(id) ?? null })),
    );
    decisions = decided.map(ledgerDecisionOf);
  }
  await recordQueryPage({
    shop,
    campaignId: campaign.id,
    decisions,
    nextCursor: done ? null : page.endCursor,
    done,
  });
  return { done, cursor: done ? null : page.endCursor };
}
