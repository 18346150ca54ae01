import { randomUUID } from "node:crypto";
import { SHOPIFY_PAGE_SIZE } from "~/constants/invites";
import { LINK_MUTATION_COST, MAX_LINKS_PER_EXPORT } from "~/constants/linkExports";
import { CustomerGenerateAccountActivationUrlMutation } from "~/graphql/CustomerGenerateAccountActivationUrlMutation";
import { findLiveActivationLink } from "~/models/ActivationLink.server";
import { LedgerConflict } from "~/models/ledger.server";
import {
  completeLinkExportIfDone,
  expireLinkExports,
  failQueuedLinkItems,
  findLatestIssuingAt,
  findNextLinkExportWithWork,
  findQueuedLinkItems,
  findStaleIssuingItems,
  markLinkExportRunning,
  markLinkItemIssuing,
  recordLinkExportTargets,
  settleLinkItem,
  type LinkItemOutcome,
} from "~/models/LinkExport.server";
import { renewShopLease } from "~/models/ShopPacer.server";
import {
  activationLinkExpiry,
  fingerprintActivationUrl,
  isProtected,
} from "~/services/activationLinks/activationLinks.server";
import { sealLink } from "~/services/activationLinks/linkSealing.server";
import type { Pacer } from "~/services/sending/pacing";
import { InFlightRequests } from "~/services/sending/inFlightRequests";
import type { AdminAccess, RunResult, SenderOptions } from "~/services/sending/shopSender.server";
import { errorSummary, requestAdmin, type AdminOutcome } from "~/services/shopify/adminRequest.server";
import { READ_COST, readCustomersPage } from "~/services/shopify/customerReads.server";
import { appClock } from "~/utils/clock";
import { closeCustomerInvites } from "~/models/ledger.server";
import { logger as rootLogger, type Logger } from "~/utils/logger.server";

// The link issuer: the worker's unit for activation-link exports, beside the invite sender (ShopSender).
// It runs in the shop's turn, holding the shop's lease, and spends the same pacer (the shop's bucket
// model) as the shop's campaigns: a link costs 10 points like an invite, and both come out of one bucket.
//
// One link per request (a lost answer leaves one customer in doubt), up to the pacer's in-flight window:
// 1. An item is marked `issuing` (lease and export checked in the same transaction) just before its
//    request, and settled after: issued (the link sealed, its fingerprint in the ledger, in one
//    transaction), skipped by the 30-day guard, failed with Shopify's userErrors.
// 2. THROTTLED and refusals put the item back without counting an attempt. No answer (timeout, 5xx,
//    dropped connection): once the request can no longer be running (`uncertainGraceMs` after it was
//    sent) the item is queued again and re-issued, up to `maxAttempts`.
// 3. After a crash, items left `issuing` are settled the same way once that grace has passed since the
//    latest of them was sent: re-issued. The lost link was never seen by anyone (its answer never
//    arrived) and the new one invalidates it (docs/decisions/011-activation-link-exports.md). Issuing
//    twice is impossible otherwise: a settled item is never sent again.
// 4. An export's hour is a hard end: nothing is issued after `expiresAt`, and its links are deleted.
// Tested in test/links/linkExports.test.ts.

/** The issuer's clock for expiry is SenderOptions.now (tests move it); pacing keeps real time. */
export type LinkIssuerOptions = SenderOptions;

export interface LinkIssuerStats {
  linkRequests: number;
  issued: number;
  failed: number;
  throttled: number;
  unanswered: number;
}

interface ExportRun {
  id: string;
  replace: boolean;
  requestedBy: string;
  expiresAt: Date;
  log: Logger;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export class LinkIssuer {
  readonly stats: LinkIssuerStats = { linkRequests: 0, issued: 0, failed: 0, throttled: 0, unanswered: 0 };
  refusal: { status: number } | null = null;
  private leaseLost = false;
  private stopRequested = false;
  private failures = 0;
  private fatal: unknown = null;
  private renewing: Promise<boolean> | null = null;
  private linkCost = LINK_MUTATION_COST;
  private readonly inFlight = new InFlightRequests((error) => {
    this.fatal ??= error;
  });
  private readonly log: Logger;
  private readonly clock: () => number;

  constructor(
    private readonly shop: string,
    private readonly admin: AdminAccess,
    readonly pacer: Pacer,
    private readonly options: LinkIssuerOptions,
    logger: Logger = rootLogger,
  ) {
    this.log = logger.child({ shop, component: "link-issuer" });
    const now = options.now ?? (() => appClock.now());
    this.clock = () => now().getTime();
  }

  private now(): Date {
    return new Date(this.clock());
  }

  private get halted(): RunResult | null {
    if (this.fatal) throw this.fatal;
    if (this.leaseLost) return "lease-lost";
    if (this.refusal) return "refused";
    return null;
  }

  get failuresInRow(): number {
    return this.failures;
  }

  requestStop() {
    this.stopRequested = true;
  }

  async renewLease(): Promise<boolean> {
    const ours = await renewShopLease({
      shop: this.shop,
      owner: this.options.owner,
      ttlMs: this.options.leaseTtlMs,
    });
    if (!ours) this.leaseLost = true;
    return ours;
  }

  /** Issues the links of the shop's exports, oldest first, until none is left or the turn ends. */
  async run(): Promise<RunResult> {
    try {
      for (;;) {
        const halted = this.halted;
        if (halted) return halted;
        if (this.stopRequested) return "stopped";
        await expireLinkExports({ now: this.now(), shop: this.shop });
        const next = await findNextLinkExportWithWork({ shop: this.shop, now: this.now() });
        if (!next) return "completed";
        const result = await this.runExport({
          id: next.id,
          replace: next.replace,
          requestedBy: next.requestedBy,
          expiresAt: next.expiresAt,
          log: this.log.child({ linkExportId: next.id }),
        });
        if (result !== "completed") return result;
      }
    } catch (error) {
      await this.drain();
      if (error instanceof LedgerConflict && error.reason === "lease-lost") {
        this.leaseLost = true;
        return "lease-lost";
      }
      throw error;
    }
  }

  private async runExport(run: ExportRun): Promise<RunResult> {
    await markLinkExportRunning({ shop: this.shop, id: run.id });
    if (!(await this.recoverIssuing(run))) return this.halted ?? "stopped";
    const result = await this.drive(run);
    await this.drain();
    const halted = this.halted;
    if (halted === "refused") {
      // Shopify refuses this shop's requests: what was not issued fails with that reason, and the links
      // already issued stay downloadable for the rest of the hour.
      await failQueuedLinkItems({ shop: this.shop, exportId: run.id, reasonCode: "REFUSED" });
      await completeLinkExportIfDone({ shop: this.shop, id: run.id, now: this.now() });
      return halted;
    }
    if (halted) return halted;
    if (result !== "completed") return result;
    if (await completeLinkExportIfDone({ shop: this.shop, id: run.id, now: this.now() })) {
      run.log.info({ stats: this.stats }, "link export ready");
      return "completed";
    }
    // Items went back to the queue after a lost answer (and the export has not expired): later.
    return this.clock() < run.expiresAt.getTime() ? "backing-off" : "completed";
  }

  private async drive(run: ExportRun): Promise<RunResult> {
    let queue: { id: string; customerId: string; attempts: number }[] = [];
    for (;;) {
      const halted = this.halted;
      if (halted) return halted;
      if (this.stopRequested) return "stopped";
      if (this.clock() >= run.expiresAt.getTime()) {
        // The hour is over: nothing more is issued; what is out is settled, then everything is deleted.
        await this.drain();
        await expireLinkExports({ now: this.now(), shop: this.shop });
        run.log.warn("link export expired before every link was issued");
        return "completed";
      }
      if (this.failures >= this.options.maxFailuresInRow) {
        run.log.warn({ failures: this.failures }, "link requests keep failing; backing off");
        return "backing-off";
      }
      if (this.failures > 0) await this.backOff();

      if (queue.length === 0)
        queue = await findQueuedLinkItems({ shop: this.shop, exportId: run.id, take: 50 });
      const item = queue[0];
      if (item) {
        const now = this.now();
        const live = await findLiveActivationLink({ shop: this.shop, customerId: item.customerId, now });
        if (live && isProtected(live, now) && !run.replace) {
          queue.shift();
          await settleLinkItem({
            shop: this.shop,
            exportId: run.id,
            itemId: item.id,
            from: "queued",
            outcome: { to: "skipped", reasonCode: "LINK_EXISTS" },
          });
          continue;
        }
        const plan = this.pacer.plan({ remaining: 1, cost: this.linkCost, now: Date.now() });
        if (plan.action === "await-response") {
          await this.awaitAnyResponse();
          continue;
        }
        if (plan.waitMs > 0) {
          await sleep(Math.min(plan.waitMs, 1_000));
          continue;
        }
        queue.shift();
        const marked = await markLinkItemIssuing({
          shop: this.shop,
          exportId: run.id,
          itemId: item.id,
          owner: this.options.owner,
          leaseTtlMs: this.options.leaseTtlMs,
          now: this.now(),
        });
        if (marked)
          this.track(this.issue(run, { ...item, attempts: item.attempts + 1 }, { replaced: Boolean(live) }));
        continue;
      }
      const current = await findNextLinkExportWithWork({ shop: this.shop, now: this.now() });
      if (!current || current.id !== run.id) return "completed";
      if (!current.targetsResolved) {
        if (!(await this.resolveTargets(run, current))) continue;
        continue;
      }
      if (this.inFlight.size > 0) {
        await this.awaitAnyResponse();
        continue;
      }
      return "completed";
    }
  }

  /** One page of a query export's matches becomes items (the first MAX_LINKS_PER_EXPORT in all). */
  private async resolveTargets(
    run: ExportRun,
    current: { query: string | null; total: number; targetCursor: string | null },
  ): Promise<boolean> {
    const read = await this.paced(READ_COST.customersPage(), () =>
      readCustomersPage({
        graphql: this.admin.graphql,
        query: current.query ?? "",
        after: current.targetCursor,
        timeoutMs: this.options.requestTimeoutMs,
      }),
    );
    if (read.kind !== "answered" || !read.data) return false;
    const room = Math.max(0, MAX_LINKS_PER_EXPORT - current.total);
    const ids = read.data.snapshots.map((s) => s.id);
    const taken = ids.slice(0, Math.min(room, SHOPIFY_PAGE_SIZE));
    const full = current.total + taken.length >= MAX_LINKS_PER_EXPORT;
    const truncated = taken.length < ids.length || (full && read.data.hasNextPage);
    await recordLinkExportTargets({
      shop: this.shop,
      exportId: run.id,
      customerIds: taken,
      nextCursor: read.data.endCursor,
      done: !read.data.hasNextPage || full,
      truncated,
    });
    return true;
  }

  /**
   * Items a stopped worker left `issuing`: once the latest of those requests can no longer be running,
   * each is queued again (its attempt counted) or, out of attempts, fails. False when the lease went.
   */
  private async recoverIssuing(run: ExportRun): Promise<boolean> {
    const latest = await findLatestIssuingAt({ shop: this.shop, exportId: run.id });
    if (!latest) return true;
    // This worker holds the lease and has nothing in flight: no newer `issuing` row can appear. The
    // clock is the one that stamped `issuingAt`.
    const until = latest.getTime() + this.options.uncertainGraceMs;
    while (this.clock() < until && !this.stopRequested && !this.leaseLost)
      await sleep(Math.min(250, until - this.clock()));
    if (this.stopRequested || this.leaseLost) return false;
    const stale = await findStaleIssuingItems({
      shop: this.shop,
      exportId: run.id,
      before: new Date(this.clock() + 1),
    });
    if (stale.length > 0)
      run.log.warn(
        { items: stale.length },
        "links left issuing by an earlier run: issuing them again (their answers were never seen)",
      );
    for (const item of stale) {
      await settleLinkItem({
        shop: this.shop,
        exportId: run.id,
        itemId: item.id,
        from: "issuing",
        outcome: this.afterLostAnswer(item.attempts),
      });
    }
    return true;
  }

  private afterLostAnswer(attempts: number): LinkItemOutcome {
    return attempts >= this.options.maxAttempts
      ? { to: "failed", reasonCode: "RETRIES_EXHAUSTED" }
      : { to: "queued", refundAttempt: false };
  }

  private async issue(
    run: ExportRun,
    item: { id: string; customerId: string; attempts: number },
    { replaced }: { replaced: boolean },
  ): Promise<void> {
    const requestId = randomUUID();
    this.pacer.reserve(requestId, this.linkCost, Date.now());
    this.stats.linkRequests++;
    const sentAt = this.clock();
    const outcome = await requestAdmin({
      send: (signal) =>
        this.admin.graphql(CustomerGenerateAccountActivationUrlMutation, {
          variables: { customerId: item.customerId },
          signal,
        }),
      parse: (data) => data.customerGenerateAccountActivationUrl ?? null,
      timeoutMs: this.options.requestTimeoutMs,
    }).catch((error: unknown): AdminOutcome<never> => {
      run.log.error({ err: errorSummary(error) }, "link request failed unexpectedly; treated as unanswered");
      return { kind: "unanswered", cause: "network", message: "unexpected failure" };
    });
    this.observe(requestId, outcome);
    const settle = (outcome: LinkItemOutcome) =>
      settleLinkItem({ shop: this.shop, exportId: run.id, itemId: item.id, from: "issuing", outcome });

    if (outcome.kind === "refused") {
      await settle({ to: "queued", refundAttempt: true });
      await this.onRefused(outcome.status);
      return;
    }
    if (outcome.kind === "throttled") {
      await settle({ to: "queued", refundAttempt: true });
      return;
    }
    if (outcome.kind === "answered" && outcome.requestedCost)
      this.linkCost = Math.max(LINK_MUTATION_COST, outcome.requestedCost);
    if (outcome.kind === "unanswered" || (outcome.kind === "answered" && outcome.data === undefined)) {
      // The request may still be running at Shopify: only once it surely ended may the link be asked for
      // again, or a late answer would invalidate the link handed to the merchant.
      run.log.warn(
        { customerId: item.customerId, outcome: outcome.kind },
        "link request got no usable answer; issuing again once it has surely ended",
      );
      this.stats.unanswered++;
      const until = sentAt + this.options.uncertainGraceMs;
      while (this.clock() < until && !this.stopRequested) await sleep(Math.min(250, until - this.clock()));
      if (this.clock() < until) return; // a graceful stop: the item stays `issuing`; recovery settles it
      await settle(this.afterLostAnswer(item.attempts));
      return;
    }
    const payload = outcome.data ?? null;
    const url = payload?.accountActivationUrl ?? null;
    if (!payload || payload.userErrors.length > 0 || !url) {
      const messages = payload?.userErrors.map((e) => e.message) ?? [];
      run.log.warn(
        { customerId: item.customerId, userErrors: messages },
        "Shopify refused an activation link",
      );
      this.stats.failed++;
      await settle({
        to: "failed",
        reasonCode: "SHOPIFY_ERROR",
        reasonParams: messages.length > 0 ? { shopifyMessage: messages.join(" ") } : undefined,
      });
      return;
    }
    const issuedAt = this.now();
    await settle({
      to: "issued",
      sealedUrl: sealLink(url, { shop: this.shop, exportId: run.id, customerId: item.customerId }),
      linkExpiresAt: activationLinkExpiry(issuedAt),
      replaced,
      record: {
        customerId: item.customerId,
        issuedAt,
        issuedBy: run.requestedBy,
        fingerprint: fingerprintActivationUrl(url),
      },
    });
    // The new link replaces the invite's link: an invite still open ends superseded.
    await closeCustomerInvites({
      shop: this.shop,
      customerId: item.customerId,
      outcome: "expired",
      reason: "SUPERSEDED",
      at: issuedAt,
    });
    this.stats.issued++;
  }

  private track(promise: Promise<void>) {
    this.inFlight.track(promise);
  }

  private async awaitAnyResponse() {
    await this.inFlight.any();
  }

  private async drain() {
    await this.inFlight.all();
  }

  private async backOff() {
    const wait = Math.min(
      this.options.backoffMaxMs,
      this.options.backoffBaseMs * 2 ** Math.max(0, this.failures - 1),
    );
    const until = Date.now() + wait;
    while (Date.now() < until && !this.stopRequested) await sleep(Math.min(250, until - Date.now()));
  }

  private async paced<T>(points: number, run: () => Promise<AdminOutcome<T>>): Promise<AdminOutcome<T>> {
    for (;;) {
      const wait = this.pacer.waitFor(points, Date.now());
      if (wait <= 0) break;
      await sleep(Math.min(wait, 1_000));
      if (this.leaseLost || this.refusal || this.stopRequested) break;
    }
    const id = randomUUID();
    this.pacer.reserve(id, points, Date.now());
    const outcome = await run();
    this.observe(id, outcome);
    if (outcome.kind === "refused") await this.onRefused(outcome.status);
    return outcome;
  }

  /** The bucket as Shopify reported it, and failures without progress (the same rule as the sender). */
  private observe(id: string, outcome: AdminOutcome<unknown>) {
    const status =
      outcome.kind === "answered" || outcome.kind === "throttled" ? outcome.throttleStatus : null;
    this.pacer.settle(id, status, Date.now());
    if (outcome.kind === "throttled") this.stats.throttled++;
    const progressed =
      (outcome.kind === "answered" && outcome.data !== undefined) || (outcome.kind === "throttled" && status);
    if (progressed) this.failures = 0;
    else this.failures++;
  }

  private async onRefused(status: number) {
    if (status === 401) {
      this.renewing ??= this.admin.renew().finally(() => {
        this.renewing = null;
      });
      if (await this.renewing) return;
    }
    this.refusal ??= { status };
  }
}
