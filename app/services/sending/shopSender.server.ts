import { randomUUID } from "node:crypto";
import {
  CANCELLABLE_BULK_STATUSES,
  INVITE_MUTATION_COST,
  SHOPIFY_PAGE_SIZE,
  type CustomerState,
} from "~/constants/invites";
import {
  completeCampaignIfDone,
  findCampaign,
  markCampaignRunning,
  updateBulkRead,
  type CampaignRow,
} from "~/models/Campaign.server";
import { emailOf, type CampaignEmail } from "~/models/campaignEmail";
import { LedgerConflict, markBatchSending, settleSending, type SendingOutcome } from "~/models/ledger.server";
import {
  findLatestSendingAt,
  findSendableRecipients,
  findStaleSending,
} from "~/models/recipientQueue.server";
import { renewShopLease } from "~/models/ShopPacer.server";
import { getAutomationSettings } from "~/models/AutomationSettings.server";
import { getShopSettings } from "~/models/ShopSettings.server";
import { passRulesFor, type PassContext } from "~/services/campaigns/eligibilityPass.server";
import {
  inviteBatchDocument,
  inviteBatchVariables,
  parseInviteBatchData,
} from "~/services/sending/inviteBatchDocument";
import type { Pacer } from "~/services/sending/pacing";
import { InFlightRequests } from "~/services/sending/inFlightRequests";
import { decideUncertain } from "~/services/sending/recovery";
import {
  BulkReadState,
  readsAreFree,
  resolveTargetsPage,
  type PacedRead,
} from "~/services/sending/targets.server";
import { BULK_COST, cancelBulkOperation } from "~/services/shopify/bulkOperations.server";
import { emitDueFlowTriggers, type EmitResult } from "~/services/flow/flowTriggers.server";
import { errorSummary, requestAdmin, type AdminOutcome } from "~/services/shopify/adminRequest.server";
import { READ_COST, readCustomerStates } from "~/services/shopify/customerReads.server";
import { shopAccountsRead } from "~/services/shopify/shopAccounts.server";
import type { AdminGraphql, CustomerAccountsMode } from "~/types/admin";
import { logger as rootLogger, type Logger } from "~/utils/logger.server";

// The sender: drives one campaign of one shop, for the worker holding that shop's lease.
//
// 1. Recipients left in `sending` (a crash, or a request without an answer) are settled first, from the
//    customer's state now compared with the state recorded when eligibility was decided (recovery.ts).
//    Nothing is ever re-sent on a guess.
// 2. Targets are resolved in pages of 250 by the campaign's source (targets.server.ts), each page's
//    decisions written in one transaction. The next page is read while the current one is being sent
//    (when fewer than two batches are queued), so a read's request time never stops the sending.
// 3. Eligible recipients go out in aliased batches sized and timed by the pacer. Each batch is marked
//    `sending` (lease and campaign status checked in the same transaction) before its request; each
//    alias's answer settles its recipient. THROTTLED puts the batch back in the queue; 5xx, timeouts and
//    network errors are settled through the customers' states like a crash, and requeued when Shopify
//    confirms nothing went out, until `maxAttempts`.

export interface SenderOptions {
  /** This worker's identity in the shop lease. */
  owner: string;
  leaseTtlMs: number;
  requestTimeoutMs: number;
  maxAttempts: number;
  /**
   * After a request timed out it may still run on Shopify's side: states are read only this long after
   * it was sent. Recipients another worker left in `sending` are also this old before they are settled.
   */
  uncertainGraceMs: number;
  /** Bounded back-off after failed requests: base × 2^failures, capped. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Failed requests in a row (no answer, errors instead of data) before the run backs off entirely. */
  maxFailuresInRow: number;
  /**
   * The ledger's time: when invites were sent, what is due, the re-invite window. Tests pass the
   * emulator's clock, so days can pass in a moment; pacing, timeouts and grace periods use the real time.
   */
  now?: () => Date;
}

export interface SenderStats {
  inviteRequests: number;
  readRequests: number;
  throttled: number;
  unanswered: number;
  sent: number;
  failed: number;
}

export function emptyStats(): SenderStats {
  return { inviteRequests: 0, readRequests: 0, throttled: 0, unanswered: 0, sent: 0, failed: 0 };
}

/**
 * How a run ended. "refused": Shopify refused a request before running it and waiting will not help
 * (`refusal` says which); "backing-off": errors without progress, try again later.
 */
export type RunResult = "completed" | "stopped" | "lease-lost" | "backing-off" | "refused";

/**
 * The shop's Admin API access. The worker gets its client through `unauthenticated.admin(shop)`, which
 * refreshes an expiring offline token; after a 401 the sender asks for a fresh one once. A 401 after a
 * refresh means the grant is gone (uninstalled, revoked).
 */
export interface AdminAccess {
  /** The client with the shop's current token. */
  graphql: AdminGraphql;
  /** Fetches a fresh token; false when there is none to be had. */
  renew(): Promise<boolean>;
}

/** Invites per request at most (the aliased batch). */
const MAX_BATCH = 100;

/** Sendable recipients looked at per step; fewer than this queued starts reading the next page of targets. */
const LOOKAHEAD = 2 * MAX_BATCH;

/** The most a batch is prepared ahead of its points (it then waits for them, marked `sending`). */
const MAX_LEAD_MS = 250;

/** Re-invites per request: a lost answer leaves at most this many customers in doubt. */
export const MAX_REINVITES_PER_REQUEST = 5;

/** Statuses that prove a request did not run, and that waiting will not change (README, guarantees). */
export const REFUSAL_STATUSES = [401, 402, 403, 404, 423] as const;

interface Recipientish {
  id: string;
  customerId: string;
  stateBefore: string | null;
  attempts: number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * One shop's sender. The worker creates one per shop lease and runs the shop's campaigns through it one
 * after another, so the pacer (the shop's bucket model) carries over between campaigns.
 */
export class ShopSender {
  readonly stats: SenderStats = emptyStats();
  private leaseLost = false;
  private stopRequested = false;
  private failures = 0;
  /** A refusal that renewing the token did not cure: the shop's campaigns stop with its reason. */
  refusal: { status: number } | null = null;
  /** An error inside a request's settlement: the run ends (the worker logs it and backs off). */
  private fatal: unknown = null;
  private renewing: Promise<boolean> | null = null;
  /** Requested cost of one invite, as Shopify priced the last batch (starts at the observed 10). */
  private inviteCost = INVITE_MUTATION_COST;
  /** Most invites per request; halved after MAX_COST_EXCEEDED. */
  private batchCap = Number.POSITIVE_INFINITY;
  private readonly inFlight = new InFlightRequests((error) => {
    this.fatal ??= error;
  });
  /** What one step of the loop takes before a request leaves (an average, at most MAX_LEAD_MS). */
  private leadMs = 20;
  /** The next page of targets being read and recorded, beside the requests in flight. */
  private resolving: Promise<void> | null = null;
  private readonly log: Logger;
  private readonly admin: AdminAccess;

  constructor(
    readonly shop: string,
    admin: AdminAccess | AdminGraphql,
    readonly pacer: Pacer,
    private readonly options: SenderOptions,
    logger: Logger = rootLogger,
  ) {
    this.log = logger.child({ shop, component: "sender" });
    this.admin = typeof admin === "function" ? { graphql: admin, renew: async () => false } : admin;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private get graphql(): AdminGraphql {
    return this.admin.graphql;
  }

  /** Something a run must stop for: a lost lease, a refusal, an error in a settlement. */
  private get halted(): RunResult | null {
    if (this.fatal) throw this.fatal;
    if (this.leaseLost) return "lease-lost";
    if (this.refusal) return "refused";
    return null;
  }

  /** A graceful stop: no new request starts; those in flight are answered and settled. */
  requestStop() {
    this.stopRequested = true;
  }

  /** Renews the lease (the worker calls it on a timer); a lost lease stops the sender before its next request. */
  async renewLease(): Promise<boolean> {
    const ours = await renewShopLease({
      shop: this.shop,
      owner: this.options.owner,
      ttlMs: this.options.leaseTtlMs,
    });
    if (!ours) this.leaseLost = true;
    return ours;
  }

  /**
   * Emits the shop's due "Account invite sent" events (the Flow trigger's outbox), paced like every other
   * request. The worker calls it after the shop's campaigns in each turn, so it never delays an invite.
   */
  async emitFlowTriggers(): Promise<EmitResult | null> {
    if (this.leaseLost || this.refusal || this.fatal || this.stopRequested) return null;
    return emitDueFlowTriggers({
      shop: this.shop,
      graphql: () => this.graphql,
      paced: this.pacedRead,
      timeoutMs: this.options.requestTimeoutMs,
      log: this.log,
      shouldStop: () => this.leaseLost || this.refusal !== null || this.stopRequested,
    });
  }

  async runCampaign(campaignId: string): Promise<RunResult> {
    const log = this.log.child({ campaignId });
    try {
      const initial = await findCampaign({ shop: this.shop, id: campaignId });
      if (!initial) return "stopped";
      if (
        (initial.status === "cancelled" || initial.status === "failed") &&
        (CANCELLABLE_BULK_STATUSES as readonly string[]).includes(initial.bulkStatus ?? "")
      ) {
        const cancelled = await this.cancelBulkRead(initial, log);
        if (!cancelled) return this.halted ?? "backing-off";
        if (initial.sendingCount === 0) return "stopped";
      }
      if (initial.sendingCount > 0) {
        const settled = await this.recoverSending(initial, log);
        if (!settled) return this.halted ?? "backing-off";
      }
      if (initial.status === "queued") await markCampaignRunning({ shop: this.shop, id: campaignId });
      const campaign = await findCampaign({ shop: this.shop, id: campaignId });
      if (!campaign || campaign.status !== "running") return "stopped";

      const settings = await getShopSettings({ shop: this.shop });
      const automation =
        campaign.origin === "automatic" ? await getAutomationSettings({ shop: this.shop }) : null;
      const rules = passRulesFor(campaign, {
        reinviteWindowHours: settings.reinviteWindowHours,
        autoInviteTags: automation?.autoInviteTags ?? [],
      });
      // The shop's accounts mode (legacy or new), once per run, read while the first page of targets is
      // read beside it: that page's decisions wait for it, and nothing is sent before it is known.
      const accounts = this.accountsModeForRun();
      const context: CampaignContext = {
        campaign,
        pass: accounts.then((read) =>
          "mode" in read ? { shop: this.shop, accountsMode: read.mode, now: this.now(), ...rules } : null,
        ),
        withTags: (rules.automatic?.requiredTags.length ?? 0) > 0,
        email: emailOf(campaign),
        log,
        bulk: new BulkReadState(),
      };
      // The bulk file's reader closes after the last background read has ended.
      const result = await this.drive(context, accounts).finally(async () => {
        await this.drain();
        await context.bulk.close();
      });
      await this.drain();
      const halted = this.halted;
      if (halted) return halted;
      if (result !== "completed") return result;
      // Requests that ended without an answer may have left recipients to settle or requeue.
      const after = await findCampaign({ shop: this.shop, id: campaignId });
      if (after && (after.sendingCount > 0 || after.queuedCount > 0)) return "backing-off";
      if (await completeCampaignIfDone({ shop: this.shop, id: campaignId })) {
        log.info({ stats: this.stats }, "campaign completed");
      }
      return "completed";
    } catch (error) {
      await this.drain();
      if (this.fatal && this.fatal !== error)
        log.error({ err: errorSummary(this.fatal) }, "a settlement failed");
      if (error instanceof LedgerConflict) {
        if (error.reason === "lease-lost") this.leaseLost = true;
        return error.reason === "lease-lost" ? "lease-lost" : "stopped";
      }
      throw error;
    }
  }

  private async drive(
    context: CampaignContext,
    accounts: Promise<{ mode: CustomerAccountsMode } | { result: RunResult }>,
  ): Promise<RunResult> {
    const { campaign } = context;
    const targets: Targets = {
      resolved: campaign.targetsResolved,
      cursor: campaign.targetCursor,
      notBefore: 0,
    };
    if (!targets.resolved) this.resolveAhead(context, targets);
    const read = await accounts;
    if ("result" in read) return read.result;
    const pass = (await context.pass)!;
    for (;;) {
      const stepStarted = Date.now();
      const halted = this.halted;
      if (halted) return halted;
      if (this.stopRequested) return "stopped";
      const current = await findCampaign({ shop: this.shop, id: campaign.id });
      if (!current || current.status !== "running") return "stopped";
      if (this.failures >= this.options.maxFailuresInRow) {
        context.log.warn({ failures: this.failures }, "requests keep failing without progress; backing off");
        return "backing-off";
      }
      if (this.failures > 0) await this.backOff();

      const queue = await findSendableRecipients({
        shop: this.shop,
        campaignId: campaign.id,
        take: LOOKAHEAD,
      });
      // A bulk query's file costs no points: it is read on while the bucket refills.
      if (
        !targets.resolved &&
        !this.resolving &&
        targets.notBefore <= Date.now() &&
        (queue.length < LOOKAHEAD || readsAreFree(campaign))
      )
        this.resolveAhead(context, targets);
      // A re-invite (the customer is INVITED already) cannot be proven sent from the state if its answer
      // is lost: such customers go in small batches of their own, so a lost answer leaves few in doubt.
      const reinvites = queue.filter((r) => r.stateBefore === "INVITED");
      const sendable =
        reinvites.length > 0 && reinvites.length === queue.length
          ? reinvites.slice(0, MAX_REINVITES_PER_REQUEST)
          : queue.filter((r) => r.stateBefore !== "INVITED").slice(0, MAX_BATCH);
      if (sendable.length > 0) {
        const plan = this.pacer.plan({
          remaining: Math.min(sendable.length, this.batchCap),
          cost: this.inviteCost,
          now: Date.now(),
          // How many invites are left, once that is known (every target resolved, or a selection, whose
          // unchecked rows are counted as queued: an upper bound): the last requests get smaller.
          left: targets.resolved || campaign.source === "selection" ? current.queuedCount : undefined,
        });
        if (plan.action === "await-response") {
          await this.awaitAnyResponse();
          continue;
        }
        if (plan.waitMs > this.leadMs) {
          // Waits are re-planned at least every second so pause, cancel and lost leases are noticed. The
          // loop wakes early by what one step takes (reading the queue, marking the batch `sending`), so
          // the request leaves when its points are there, not that much later.
          await sleep(Math.min(plan.waitMs - this.leadMs, 1_000));
          continue;
        }
        const candidates = sendable.slice(0, plan.size);
        // Checked again at send time: the re-invite window against every other row of the shop.
        const { sending } = await markBatchSending({
          shop: this.shop,
          campaignId: campaign.id,
          recipients: candidates,
          owner: this.options.owner,
          leaseTtlMs: this.options.leaseTtlMs,
          reinviteWindowHours: pass.reinviteWindowHours,
          now: this.now(),
        });
        const batch = candidates.filter((r) => sending.includes(r.id));
        this.leadMs = Math.min(MAX_LEAD_MS, 0.7 * this.leadMs + 0.3 * (Date.now() - stepStarted));
        if (batch.length > 0)
          this.track(
            this.sendBatch(
              context,
              batch.map((r) => ({ ...r, attempts: r.attempts + 1 })),
            ),
          );
        continue;
      }
      if (this.resolving) {
        await Promise.race([this.resolving, ...this.inFlight.list()]);
        continue;
      }
      if (!targets.resolved && targets.notBefore > Date.now()) {
        // Nothing to read yet (a bulk query still running at Shopify): wait, answering what is in flight.
        await Promise.race([sleep(Math.min(targets.notBefore - Date.now(), 1_000)), ...this.inFlight.list()]);
        continue;
      }
      if (!targets.resolved) continue;
      if (this.inFlight.size > 0) {
        await this.awaitAnyResponse();
        continue;
      }
      return "completed";
    }
  }

  private resolveStep(context: CampaignContext, cursor: string | null) {
    return resolveTargetsPage(
      {
        shop: this.shop,
        campaign: context.campaign,
        graphql: this.graphql,
        pass: context.pass,
        withTags: context.withTags,
        paced: this.pacedRead,
        timeoutMs: this.options.requestTimeoutMs,
        bulk: context.bulk,
        log: context.log,
      },
      cursor,
    );
  }

  /** A cancelled campaign's bulk query still reading at Shopify: cancel it (its slot is freed). */
  private async cancelBulkRead(campaign: CampaignRow, log: Logger): Promise<boolean> {
    const id = campaign.bulkOperationId;
    if (!id) return true;
    const outcome = await this.paced(BULK_COST.cancel, () =>
      cancelBulkOperation({ graphql: this.graphql, id, timeoutMs: this.options.requestTimeoutMs }),
    );
    if (outcome.kind !== "answered" || !outcome.data) return false;
    // CANCELING, or the status that made the cancel moot (completed meanwhile): either way, done here.
    await updateBulkRead({
      shop: this.shop,
      id: campaign.id,
      onlyOperation: id,
      data: { bulkStatus: outcome.data.status ?? "CANCELED", bulkCheckedAt: new Date() },
    });
    log.info(
      { operationId: id, status: outcome.data.status, userErrors: outcome.data.userErrors },
      "bulk query cancelled with its campaign",
    );
    return true;
  }

  /**
   * Reads and records the next page of targets without holding up the loop; one at a time, so pages
   * are recorded in order with their cursor. "retry" (no answer) leaves the cursor for the next try.
   */
  private resolveAhead(context: CampaignContext, targets: Targets) {
    const resolving = this.resolveStep(context, targets.cursor)
      .then((page) => {
        if (page === "retry") return;
        targets.resolved = page.done;
        targets.cursor = page.cursor;
        // Waiting on Shopify (a bulk query running, a slot): the campaign's row is looked at again at
        // least every 250 ms, so the finish webhook's status is seen at once (a database read, no points).
        if (page.waitMs) targets.notBefore = Date.now() + Math.min(page.waitMs, 250);
      })
      .catch((error: unknown) => {
        this.fatal ??= error;
      })
      .finally(() => {
        if (this.resolving === resolving) this.resolving = null;
      });
    this.resolving = resolving;
  }

  private track(promise: Promise<void>) {
    this.inFlight.track(promise);
  }

  private async awaitAnyResponse() {
    await this.inFlight.any();
  }

  private async drain() {
    await this.inFlight.all(() => this.resolving);
  }

  /** The back-off wait, cut short by a graceful stop (a deploy must not wait out a 30 s back-off). */
  private async backOff() {
    const until = Date.now() + this.backoffMs();
    while (Date.now() < until && !this.stopRequested) await sleep(Math.min(250, until - Date.now()));
  }

  /** Failed requests in a row so far (the worker carries them into the shop's cool-down). */
  get failuresInRow(): number {
    return this.failures;
  }

  private backoffMs() {
    return Math.min(
      this.options.backoffMaxMs,
      this.options.backoffBaseMs * 2 ** Math.max(0, this.failures - 1),
    );
  }

  /** Reads paced by this shop's bucket (target pages, and the worker's follow-ups in the same turn). */
  readonly pacedRead: PacedRead = (points, run) => this.paced(points, run);

  /** Why the run must stop, if it must (the worker's follow-ups check it between reads). */
  get stopReason(): RunResult | null {
    if (this.stopRequested) return "stopped";
    return this.halted;
  }

  /** The shop's current Admin client (renewed after a 401). */
  get adminGraphql(): AdminGraphql {
    return this.admin.graphql;
  }

  /** Waits until the pacer allows `points`, then runs the read with them reserved. */
  private async paced<T>(points: number, run: () => Promise<AdminOutcome<T>>): Promise<AdminOutcome<T>> {
    for (;;) {
      const wait = this.pacer.waitFor(points, Date.now());
      if (wait <= 0) break;
      await sleep(Math.min(wait, 1_000));
      if (this.leaseLost || this.refusal || this.stopRequested) break;
    }
    const id = randomUUID();
    this.pacer.reserve(id, points, Date.now(), { timed: false });
    this.stats.readRequests++;
    const outcome = await run();
    if (outcome.kind === "answered" && (outcome.requestedCost ?? 0) > points)
      // The pacer reserved less than Shopify took: a later request may be THROTTLED. A read's price in
      // the code (READ_COST, BULK_COST) is then below Shopify's.
      this.log.warn(
        { reserved: points, requested: outcome.requestedCost },
        "read priced above its reservation",
      );
    this.observe(id, outcome);
    if (outcome.kind === "refused") await this.onRefused(outcome.status);
    return outcome;
  }

  private observe(id: string, outcome: AdminOutcome<unknown>) {
    const status =
      outcome.kind === "answered" || outcome.kind === "throttled" ? outcome.throttleStatus : null;
    const expected = outcome.kind === "throttled" ? this.pacer.available(Date.now()) : 0;
    this.pacer.settle(id, status, Date.now());
    if (outcome.kind === "throttled") {
      this.stats.throttled++;
      // The model said the points were there: worth knowing why (another consumer, a transit longer
      // than ARRIVAL_MS, a clock jump).
      this.log.info(
        { expectedAvailable: Math.round(expected), reported: status, inFlight: this.pacer.requestsInFlight },
        "THROTTLED: Shopify's bucket held less than the pacer's model",
      );
    }
    if (outcome.kind === "unanswered") this.stats.unanswered++;
    // THROTTLED with a bucket status needs no back-off: the pacer now knows the exact wait. Without one
    // (HTTP 429), without an answer, or with GraphQL errors instead of data (HTTP 200), back off
    // (Shopify recommends one second to start) and count it as a failure without progress.
    const progressed =
      (outcome.kind === "answered" && (outcome.data !== undefined || outcome.partialData !== undefined)) ||
      (outcome.kind === "throttled" && status);
    if (progressed) this.failures = 0;
    else {
      this.failures++;
      if (outcome.kind === "answered")
        this.log.warn(
          { errors: outcome.errors.map((e) => ({ message: e.message, code: e.code })).slice(0, 3) },
          "Shopify answered with errors and no data",
        );
    }
  }

  /**
   * A request refused before it ran. A 401 asks for a fresh token once (an expiring offline token
   * lasts an hour; the library refreshes it); if that does not cure it, or for any other refusal, the
   * run stops with the refusal as its reason.
   */
  private async onRefused(status: number) {
    if (status === 401) {
      this.renewing ??= this.admin.renew().finally(() => {
        this.renewing = null;
      });
      if (await this.renewing) {
        this.log.info("access token renewed after a 401");
        return;
      }
    }
    this.refusal ??= { status };
  }

  /**
   * The accounts mode for a run: a failure right after a token renewal or a THROTTLED is retried here
   * rather than parking the whole shop for a cool-down; otherwise how the run must end.
   */
  private async accountsModeForRun(): Promise<{ mode: CustomerAccountsMode } | { result: RunResult }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0 && this.failures > 0) await this.backOff();
      const mode = await this.readAccountsMode();
      const halted = this.halted;
      if (halted) return { result: halted };
      if (this.stopRequested) return { result: "stopped" };
      if (mode) return { mode };
    }
    return { result: "backing-off" };
  }

  /** Legacy or new customer accounts, once per campaign run (paced, with a timeout, like every read). */
  private async readAccountsMode(): Promise<CustomerAccountsMode | null> {
    const read = await this.paced(2, () =>
      requestAdmin({ ...shopAccountsRead(this.graphql), timeoutMs: this.options.requestTimeoutMs }),
    );
    if (read.kind === "answered" && read.data) return read.data.accountsMode;
    this.log.warn({ outcome: read.kind }, "could not read the shop's customer accounts setting; will retry");
    return null;
  }

  private async sendBatch(context: CampaignContext, batch: Recipientish[]): Promise<void> {
    const { campaign, log } = context;
    const id = randomUUID();
    const points = batch.length * this.inviteCost;
    // Prepared up to MAX_LEAD_MS early: its points are reserved now, and it leaves when they are there.
    const reservedAt = Date.now();
    const wait = this.pacer.waitFor(points, reservedAt);
    this.pacer.reserve(id, points, reservedAt, { leavesAt: reservedAt + wait });
    if (wait > 0) await sleep(wait);
    // The model may have moved while this batch waited (an answer's lower figure): it leaves once its
    // points are there by the latest view (one point of margin, as the pacer keeps), within a minute.
    for (const until = Date.now() + 60_000; Date.now() < until;) {
      const short = 1 - this.pacer.availableThrough(id, Date.now());
      if (short <= 0) break;
      await sleep(Math.min(1_000, Math.ceil((short / this.pacer.model.restoreRate) * 1000)));
    }
    this.stats.inviteRequests++;
    const sentAt = Date.now();
    this.pacer.departed(id, sentAt);
    const outcome: AdminOutcome<Awaited<ReturnType<typeof parseInviteBatchData>>> = await requestAdmin({
      send: (signal) =>
        this.graphql(inviteBatchDocument(batch.length), {
          variables: inviteBatchVariables(
            batch.map((r) => r.customerId),
            context.email,
          ),
          signal,
        }),
      parse: (data) => parseInviteBatchData(data, batch.length),
      timeoutMs: this.options.requestTimeoutMs,
    }).catch((error: unknown) => {
      // Anything else (a refused request, an answer of the wrong shape) may still have sent invites.
      log.error(
        { err: errorSummary(error) },
        "invite request failed unexpectedly; settling by customer state",
      );
      const unanswered: AdminOutcome<never> = {
        kind: "unanswered",
        cause: "network",
        message: "unexpected failure",
      };
      return unanswered;
    });
    this.observe(id, outcome);

    if (outcome.kind === "refused") {
      // A refusal proves nothing ran: back to the queue, the attempt not counted.
      await settleSending({
        now: this.now(),
        shop: this.shop,
        campaignId: campaign.id,
        outcomes: batch.map((r) => ({ recipientId: r.id, to: "queued", refundAttempt: true })),
      });
      log.warn({ status: outcome.status, recipients: batch.length }, "invite request refused; requeued");
      await this.onRefused(outcome.status);
      return;
    }
    if (outcome.kind === "answered" && outcome.errors.some((e) => e.code === "MAX_COST_EXCEEDED")) {
      // Priced above Shopify's per-request limit: it did not run. Smaller batches from now on.
      this.batchCap = Math.max(1, Math.floor(batch.length / 2));
      this.failures = Math.max(0, this.failures - 1);
      log.warn({ recipients: batch.length, batchCap: this.batchCap }, "MAX_COST_EXCEEDED: halving the batch");
      await settleSending({
        now: this.now(),
        shop: this.shop,
        campaignId: campaign.id,
        outcomes: batch.map((r) => ({ recipientId: r.id, to: "queued", refundAttempt: true })),
      });
      return;
    }
    if (outcome.kind === "answered" && outcome.requestedCost) {
      // The next batch is sized from what Shopify reported this one cost (never below the observed 10).
      this.inviteCost = Math.max(INVITE_MUTATION_COST, Math.ceil(outcome.requestedCost / batch.length));
    }
    if (outcome.kind === "throttled") {
      await settleSending({
        now: this.now(),
        shop: this.shop,
        campaignId: campaign.id,
        outcomes: batch.map((r) => ({ recipientId: r.id, to: "queued", refundAttempt: true })),
      });
      return;
    }
    if (outcome.kind === "unanswered") {
      log.warn(
        { cause: outcome.cause, status: outcome.status, recipients: batch.length },
        "invite request got no answer; settling by customer state",
      );
      // Whatever the cause (a timeout, a 5xx, a dropped socket), the request may still be running at
      // Shopify: states are read only once it surely ended, measured from when it was sent.
      await sleep(this.options.uncertainGraceMs - (Date.now() - sentAt));
      await this.settleByState(campaign.id, batch, log);
      return;
    }

    const payloads =
      outcome.data ??
      (outcome.partialData === undefined ? null : safeParseBatch(outcome.partialData, batch.length));
    const outcomes: SendingOutcome[] = [];
    const uncertain: Recipientish[] = [];
    batch.forEach((recipient, index) => {
      const payload = payloads?.[index] ?? null;
      if (!payload) {
        uncertain.push(recipient);
        return;
      }
      if (payload.userErrors.length > 0) {
        // Every message is kept (not only the first), and logged with shop and customer.
        log.warn(
          { customerId: recipient.customerId, userErrors: payload.userErrors },
          "Shopify refused an invite",
        );
        outcomes.push({
          recipientId: recipient.id,
          to: "failed",
          reasonCode: "SHOPIFY_ERROR",
          // Shopify's own words (every message, not only the first), kept as the reason's parameter.
          reasonParams: { shopifyMessage: payload.userErrors.map((e) => e.message).join(" ") },
        });
        return;
      }
      outcomes.push({ recipientId: recipient.id, to: "sent" });
    });
    if (outcome.errors.length > 0)
      log.warn({ errors: outcome.errors.map((e) => e.message) }, "invite request answered with errors");
    await settleSending({ shop: this.shop, campaignId: campaign.id, outcomes, now: this.now() });
    this.count(outcomes);
    if (uncertain.length > 0) await this.settleByState(campaign.id, uncertain, log);
  }

  private count(outcomes: SendingOutcome[]) {
    for (const outcome of outcomes) {
      if (outcome.to === "sent") this.stats.sent++;
      if (outcome.to === "failed") this.stats.failed++;
    }
  }

  /**
   * Settles recipients whose send may or may not have happened, from the customers' states now. Returns
   * false when Shopify could not be asked (they stay `sending` and are settled on a later run).
   */
  private async settleByState(campaignId: string, recipients: Recipientish[], log: Logger): Promise<boolean> {
    for (let start = 0; start < recipients.length; start += SHOPIFY_PAGE_SIZE) {
      const chunk = recipients.slice(start, start + SHOPIFY_PAGE_SIZE);
      let states: Map<string, CustomerState | null> | null = null;
      for (let attempt = 0; attempt < 5 && !states && !this.leaseLost && !this.refusal; attempt++) {
        if (attempt > 0) await this.backOff();
        const read = await this.paced(READ_COST.states(chunk.length), () =>
          readCustomerStates({
            graphql: this.graphql,
            ids: chunk.map((r) => r.customerId),
            timeoutMs: this.options.requestTimeoutMs,
          }),
        );
        if (read.kind === "answered" && read.data) states = read.data;
      }
      if (!states) return false;
      const outcomes = chunk.map((recipient) => ({
        recipientId: recipient.id,
        ...decideUncertain({
          stateBefore: recipient.stateBefore,
          stateNow: states.get(recipient.customerId) ?? null,
          attempts: recipient.attempts,
          maxAttempts: this.options.maxAttempts,
        }),
      }));
      const counts = outcomes.reduce<Record<string, number>>(
        (acc, o) => ({ ...acc, [o.reasonCode ?? o.to]: (acc[o.reasonCode ?? o.to] ?? 0) + 1 }),
        {},
      );
      log.info({ recipients: chunk.length, outcomes: counts }, "settled recipients by customer state");
      await settleSending({ shop: this.shop, campaignId, outcomes, now: this.now() });
      this.count(outcomes);
    }
    return true;
  }

  /** Settles what a previous run left in `sending`, once it is older than the grace period. */
  private async recoverSending(campaign: CampaignRow, log: Logger): Promise<boolean> {
    const latest = await findLatestSendingAt({ shop: this.shop, campaignId: campaign.id });
    // A request sent just before a crash may still be running at Shopify: let it finish first. (This
    // worker holds the shop's lease and has nothing in flight, so no newer `sending` rows can appear.)
    if (latest) await sleep(latest.getTime() + this.options.uncertainGraceMs - Date.now());
    for (;;) {
      if (this.leaseLost) return false;
      const stale = await findStaleSending({
        shop: this.shop,
        campaignId: campaign.id,
        before: new Date(),
        take: SHOPIFY_PAGE_SIZE,
      });
      if (stale.length === 0) return true;
      log.warn(
        { recipients: stale.length },
        "recipients left in sending by an earlier run: settling by customer state",
      );
      if (!(await this.settleByState(campaign.id, stale, log))) return false;
    }
  }
}

/** Where target resolution stands in one drive: the next cursor, and when to read again (bulk waits). */
interface Targets {
  resolved: boolean;
  cursor: string | null;
  notBefore: number;
}

interface CampaignContext {
  campaign: CampaignRow;
  /** The eligibility pass's context once the run's accounts mode is read (null: it could not be). */
  pass: Promise<PassContext | null>;
  withTags: boolean;
  email: CampaignEmail | null;
  log: Logger;
  bulk: BulkReadState;
}

function safeParseBatch(data: unknown, size: number) {
  try {
    return parseInviteBatchData(data, size);
  } catch {
    return null;
  }
}
