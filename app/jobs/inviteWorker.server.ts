import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import {
  findNextCampaignWithWork,
  listShopsWithWork,
  pauseCampaign,
  pauseShopCampaigns,
} from "~/models/Campaign.server";
import { listShopsWithDueFlowEvents } from "~/models/FlowTriggerEvent.server";
import {
  completeLinkExportIfDone,
  expireLinkExports,
  failQueuedLinkItems,
  findNextLinkExportWithWork,
  listShopsWithLinkWork,
} from "~/models/LinkExport.server";
import {
  acquireShopLease,
  findLastThrottle,
  findShopFollowUpAt,
  listShopsWithFollowUpsDue,
  listShopTurns,
  postponeShopFollowUp,
  releaseShopLease,
} from "~/models/ShopPacer.server";
import { runShopFollowUps } from "~/services/automation/followUps.server";
import { LinkIssuer } from "~/services/sending/linkIssuer.server";
import { Pacer } from "~/services/sending/pacing";
import { errorSummary } from "~/services/shopify/adminRequest.server";
import {
  ShopSender,
  sleep,
  type AdminAccess,
  type SenderOptions,
  type SenderStats,
} from "~/services/sending/shopSender.server";
import type { AdminGraphql } from "~/types/admin";
import { appClock } from "~/utils/clock";
import { logger as rootLogger, type Logger } from "~/utils/logger.server";

// The worker loop: finds shops with work, gives each a turn (a time slice holding the shop's lease: one
// pacer per shop), and in it runs the shop's activation-link exports through a LinkIssuer (a staff member
// waits on the page for them, and an export holds at most 1,000 links), then its campaigns one after
// another through a ShopSender. Both units spend the same pacer: one shop, one bucket. Each poll also
// deletes the links of exports whose hour is over.
// Runs inside the app process by default (inProcessWorker.server.ts) or on its own (`npm run worker`,
// app/jobs/main.ts). Several workers may share one database: the lease decides who paces which shop.
//
// Every shop with work gets a turn within a bounded time: shops are taken least recently served first,
// a turn lasts at most `sliceMs` while every slot of the worker is taken (then the lease is released with
// the bucket's state, and the next shop goes; with a slot free, nobody waits and the turn goes on), and
// shops backing off hold no slot. Bound: ⌈shops with work ÷ maxShops⌉ × sliceMs, plus one
// request's time (test/invites/fairness.test.ts).
//
// Every run ends in a stated way: a refusal (uninstalled, frozen, locked, missing scope, no session)
// pauses the shop's campaigns with its reason; errors without progress back off exponentially, and after
// `maxBackoffsWithoutProgress` turns without progress the campaign pauses (NO_PROGRESS).

export interface WorkerOptions extends Omit<SenderOptions, "owner"> {
  owner?: string;
  pollMs: number;
  maxShops: number;
  maxInFlight: number;
  /** Largest number of invites per request (≤ 100 at 10 points within Shopify's 1,000-point cap). */
  maxBatch?: number;
  /** Longest turn of one shop before the next shop with work gets the slot. */
  sliceMs: number;
  /** Longest cool-down of a shop whose runs make no progress (the back-off doubles up to it). */
  maxCoolDownMs: number;
  /** Turns in a row that back off without any progress before the campaign is paused (NO_PROGRESS). */
  maxBackoffsWithoutProgress: number;
}

export interface InviteWorker {
  readonly owner: string;
  start(): void;
  /** Stops taking work, lets requests in flight be answered and settled, and releases the leases. */
  stop(): Promise<void>;
  /** One poll: claims shops with work and runs them; resolves when those runs end (tests, bench). */
  runOnce(): Promise<void>;
  readonly stats: SenderStats;
}

/** Why a shop's campaigns stopped, by Shopify's refusal (translated as `campaignStops.<code>`). */
export const STOP_CODES: Record<number, string> = {
  401: "ACCESS_REVOKED",
  402: "SHOP_FROZEN",
  403: "ACCESS_DENIED",
  404: "SHOP_NOT_FOUND",
  423: "SHOP_LOCKED",
};

export function createInviteWorker({
  options,
  getGraphql,
  renewAccess,
  logger = rootLogger,
}: {
  options: WorkerOptions;
  /** The Admin client for a shop: `unauthenticated.admin(shop)` in the app (it refreshes expiring tokens). */
  getGraphql: (shop: string) => Promise<AdminGraphql>;
  /** After a 401: make the next getGraphql fetch a fresh token (the app expires the stored session). */
  renewAccess?: (shop: string) => Promise<void>;
  logger?: Logger;
}): InviteWorker {
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const log = logger.child({ component: "invite-worker", owner });
  const active = new Map<string, Promise<void>>();
  const senders = new Set<ShopSender | LinkIssuer>();
  /** Shops whose last turn backed off: not taken again before this time. */
  const coolDown = new Map<string, number>();
  /** Turns in a row that backed off without progress, per shop. */
  const backoffs = new Map<string, number>();
  const stats: SenderStats = {
    inviteRequests: 0,
    readRequests: 0,
    throttled: 0,
    unanswered: 0,
    sent: 0,
    failed: 0,
  };
  let timer: NodeJS.Timeout | null = null;
  let stopping = false;
  // The ledger's time (SenderOptions.now): what is due, follow-ups, link exports' expiry; tests move it.
  const clock = options.now ?? (() => appClock.now());

  function backOff(shop: string, progressed: boolean) {
    const count = progressed ? 1 : (backoffs.get(shop) ?? 0) + 1;
    backoffs.set(shop, count);
    const wait = Math.min(options.maxCoolDownMs, options.backoffMaxMs * 2 ** (count - 1));
    coolDown.set(shop, Date.now() + wait);
    return count;
  }

  async function accessFor(shop: string): Promise<AdminAccess> {
    const access: AdminAccess = {
      graphql: await getGraphql(shop),
      async renew() {
        if (!renewAccess) return false;
        try {
          await renewAccess(shop);
          access.graphql = await getGraphql(shop);
          return true;
        } catch (error) {
          log.warn({ shop, err: errorSummary(error) }, "could not renew the shop's access token");
          return false;
        }
      },
    };
    return access;
  }

  async function stopShop(shop: string, code: string, shopLog: Logger) {
    const paused = await pauseShopCampaigns({ shop, code });
    shopLog.warn({ code, paused }, "Shopify refuses this shop's requests: its campaigns are paused");
  }

  /** Emits the shop's due Flow trigger events; false when Shopify refused the shop (campaigns stopped). */
  async function emitFlowTriggers(sender: ShopSender): Promise<boolean> {
    const shop = sender.shop;
    // A failed emission postpones its events (their own back-off), never the shop's invites.
    await sender.emitFlowTriggers();
    if (sender.refusal) {
      await stopShop(shop, STOP_CODES[sender.refusal.status] ?? "ACCESS_DENIED", log.child({ shop }));
      backOff(shop, true);
      return false;
    }
    return true;
  }

  async function runShop(shop: string) {
    if (!(await acquireShopLease({ shop, owner, ttlMs: options.leaseTtlMs }))) return;
    const shopLog = log.child({ shop });
    shopLog.debug("shop turn started");
    const last = await findLastThrottle({ shop });
    const now = Date.now();
    const pacerOptions = { maxInFlight: options.maxInFlight, maxBatch: options.maxBatch };
    const pacer = last
      ? new Pacer(
          {
            maximumAvailable: last.status.maximumAvailable,
            restoreRate: last.status.restoreRate,
            level: last.status.currentlyAvailable,
            at: last.observedAt.getTime(),
          },
          pacerOptions,
        )
      : Pacer.unknown(now, pacerOptions);
    let sender: ShopSender | null = null;
    let issuer: LinkIssuer | null = null;
    let sliceOver = false;
    const renew = setInterval(
      () => {
        void (sender ?? issuer)
          ?.renewLease()
          .catch((error: unknown) => shopLog.warn({ err: errorSummary(error) }, "lease renewal failed"));
      },
      Math.max(100, Math.floor(options.leaseTtlMs / 3)),
    );
    // The end of this shop's turn: no new request; those in flight are answered and settled first. While
    // this worker has a free slot no shop waits for this one's (the next poll starts waiting shops in
    // free slots), so the turn goes on for another slice instead of pausing a sending shop for nothing.
    let slice: NodeJS.Timeout;
    const armSlice = () => {
      slice = setTimeout(() => {
        if (!stopping && active.size < options.maxShops) {
          armSlice();
          return;
        }
        sliceOver = true;
        sender?.requestStop();
        issuer?.requestStop();
      }, options.sliceMs);
    };
    armSlice();
    try {
      let access: AdminAccess;
      try {
        access = await accessFor(shop);
      } catch (error) {
        // No stored session (never installed, or uninstalled): nothing can be sent until a merchant
        // opens the app again, which stores a new one; the campaigns say so.
        if (error instanceof SessionNotFoundError) {
          await stopShop(shop, "NO_SESSION", shopLog);
          // Follow-ups wait too (an hour at a time), instead of bringing the shop back at every poll.
          await postponeShopFollowUp({ shop, until: new Date(clock().getTime() + 3_600_000) });
          backOff(shop, true);
          return;
        }
        throw error;
      }
      issuer = new LinkIssuer(shop, access, pacer, { ...options, owner }, logger);
      senders.add(issuer);
      if (stopping) issuer.requestStop();
      const links = await runLinkExports(shop, issuer, shopLog, () => sliceOver);
      senders.delete(issuer);
      issuer = null;
      if (links === "end-turn") return;
      sender = new ShopSender(shop, access, pacer, { ...options, owner }, logger);
      senders.add(sender);
      if (stopping) sender.requestStop();
      // The Flow trigger "Account invite sent": events left from earlier turns go first (a few small
      // requests, bounded), so a campaign longer than one turn does not hold its events back.
      if (!(await emitFlowTriggers(sender))) return;
      // Follow-ups of sent invites first (reads only): the reminders they queue go out in this turn.
      const followUpAt = await findShopFollowUpAt({ shop });
      if (followUpAt && followUpAt <= clock()) {
        const current = sender;
        await runShopFollowUps({
          shop,
          graphql: current.adminGraphql,
          paced: current.pacedRead,
          timeoutMs: options.requestTimeoutMs,
          now: clock,
          shouldStop: () => stopping || sliceOver || current.stopReason !== null,
          log: shopLog,
        });
        if (current.refusal) {
          await stopShop(shop, STOP_CODES[current.refusal.status] ?? "ACCESS_DENIED", shopLog);
          backOff(shop, true);
          return;
        }
      }
      for (;;) {
        if (stopping || sliceOver) break;
        const campaign = await findNextCampaignWithWork({ shop, now: clock() });
        if (!campaign) break;
        const before = sender.stats.sent + sender.stats.failed;
        const result = await sender.runCampaign(campaign.id);
        const progressed = sender.stats.sent + sender.stats.failed > before;
        if (result === "refused") {
          await stopShop(shop, STOP_CODES[sender.refusal?.status ?? 0] ?? "ACCESS_DENIED", shopLog);
          backOff(shop, true);
          break;
        }
        if (result === "lease-lost") {
          shopLog.warn({ campaignId: campaign.id }, "lost the shop lease; another worker continues");
          break;
        }
        if (result === "backing-off") {
          const turns = backOff(shop, progressed);
          if (turns >= options.maxBackoffsWithoutProgress) {
            await pauseCampaign({ shop, id: campaign.id, code: "NO_PROGRESS" });
            backoffs.delete(shop);
            shopLog.error({ campaignId: campaign.id, turns }, "no progress for too long: campaign paused");
          } else {
            shopLog.warn({ campaignId: campaign.id, turns }, "backing off");
          }
          break;
        }
        if (sliceOver && !progressed && sender.failuresInRow > 0) {
          // The turn ended while requests kept failing: the failures carry into the shop's cool-down, so
          // errors without progress escalate across turns (and end in NO_PROGRESS) instead of restarting.
          const turns = backOff(shop, false);
          if (turns >= options.maxBackoffsWithoutProgress) {
            await pauseCampaign({ shop, id: campaign.id, code: "NO_PROGRESS" });
            backoffs.delete(shop);
          }
          break;
        }
        backoffs.delete(shop);
        if (stopping || sliceOver) break;
        // "stopped" (paused, cancelled) and "completed": on to the next campaign. A campaign that
        // stopped while still "with work" (a conflict in the ledger) is retried later, so the loop never
        // spins on it.
        if (result === "stopped") {
          const next = await findNextCampaignWithWork({ shop, now: clock() });
          if (next?.id === campaign.id) {
            backOff(shop, true);
            break;
          }
        }
      }
      // Then the events of what this turn sent (unless the turn was cut short).
      await emitFlowTriggers(sender);
    } catch (error) {
      shopLog.error({ err: errorSummary(error) }, "shop run failed; will retry");
      backOff(shop, false);
    } finally {
      clearInterval(renew);
      clearTimeout(slice!);
      if (issuer) senders.delete(issuer);
      if (sender) {
        senders.delete(sender);
        addStats(stats, sender.stats);
      }
      const model = pacer.model;
      await releaseShopLease({
        shop,
        owner,
        throttle: {
          status: {
            maximumAvailable: model.maximumAvailable,
            restoreRate: model.restoreRate,
            currentlyAvailable: Math.max(0, Math.min(model.maximumAvailable, model.level)),
          },
          observedAt: new Date(model.at),
        },
      }).catch((error: unknown) =>
        shopLog.warn({ err: errorSummary(error) }, "could not release the shop lease"),
      );
    }
  }

  /**
   * The shop's link exports, first in its turn. "end-turn" when the turn must end here (a refusal, a lost
   * lease, a back-off, the end of the slice); the campaigns come next otherwise.
   */
  async function runLinkExports(
    shop: string,
    issuer: LinkIssuer,
    shopLog: Logger,
    turnOver: () => boolean,
  ): Promise<"next" | "end-turn"> {
    const before = issuer.stats.issued + issuer.stats.failed;
    const result = await issuer.run();
    const progressed = issuer.stats.issued + issuer.stats.failed > before;
    if (result === "refused") {
      await stopShop(shop, STOP_CODES[issuer.refusal?.status ?? 0] ?? "ACCESS_DENIED", shopLog);
      backOff(shop, true);
      return "end-turn";
    }
    if (result === "lease-lost") return "end-turn";
    if (result === "backing-off") {
      const turns = backOff(shop, progressed);
      if (turns >= options.maxBackoffsWithoutProgress) {
        // No progress for too long: what is left fails, and what was issued is ready to download.
        const stuck = await findNextLinkExportWithWork({ shop, now: clock() });
        if (stuck) {
          await failQueuedLinkItems({ shop, exportId: stuck.id, reasonCode: "RETRIES_EXHAUSTED" });
          await completeLinkExportIfDone({ shop, id: stuck.id, now: clock() });
          shopLog.error({ linkExportId: stuck.id, turns }, "no progress for too long: link export ended");
        }
        backoffs.delete(shop);
      }
      return "end-turn";
    }
    if (progressed) backoffs.delete(shop);
    return stopping || turnOver() || result === "stopped" ? "end-turn" : "next";
  }

  async function poll(): Promise<Promise<void>[]> {
    if (stopping) return [];
    // Links whose export's hour is over are deleted here too, not only in the shop's turn.
    await expireLinkExports({ now: clock() }).catch((error: unknown) =>
      log.warn({ err: errorSummary(error) }, "could not expire link exports"),
    );
    // Shops with campaign work, follow-ups of sent invites due, link exports to issue, or Flow trigger
    // events due.
    const withWork = [
      ...new Set([
        ...(await listShopsWithWork({ take: 10_000, now: clock() })),
        ...(await listShopsWithFollowUpsDue({ now: clock() })),
        ...(await listShopsWithLinkWork({ now: clock() })),
        ...(await listShopsWithDueFlowEvents({ take: 10_000 })),
      ]),
    ];
    // Least recently served first; shops cooling down or already running hold no slot.
    const turns = await listShopTurns({ shops: withWork });
    const realNow = Date.now();
    const waiting = withWork
      .filter((shop) => !active.has(shop) && (coolDown.get(shop) ?? 0) <= realNow)
      .sort((a, b) => (turns.get(a) ?? 0) - (turns.get(b) ?? 0) || (a < b ? -1 : 1));
    const started: Promise<void>[] = [];
    for (const shop of waiting) {
      if (active.size >= options.maxShops) break;
      const run = runShop(shop)
        .catch((error: unknown) => log.error({ shop, err: errorSummary(error) }, "shop turn failed"))
        .finally(() => active.delete(shop));
      active.set(shop, run);
      started.push(run);
    }
    return started;
  }

  async function tick() {
    if (stopping) return;
    try {
      await poll();
    } catch (error) {
      log.error({ err: errorSummary(error) }, "worker poll failed");
    }
    if (!stopping) timer = setTimeout(() => void tick(), options.pollMs);
  }

  return {
    owner,
    stats,
    start() {
      if (timer || stopping) return;
      log.info("invite worker started");
      timer = setTimeout(() => void tick(), 0);
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      for (const sender of senders) sender.requestStop();
      await Promise.allSettled([...active.values()]);
      log.info("invite worker stopped: requests answered and settled, leases released");
    },
    async runOnce() {
      await Promise.allSettled(await poll());
    },
  };
}

function addStats(total: SenderStats, add: SenderStats) {
  for (const key of Object.keys(total) as (keyof SenderStats)[]) total[key] += add[key];
}

export { sleep };
