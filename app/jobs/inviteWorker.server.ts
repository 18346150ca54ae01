import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { findNextCampaignWithWork, listShopsWithWork } from "~/models/Campaign.server";
import { acquireShopLease, findLastThrottle, releaseShopLease } from "~/models/ShopPacer.server";
import { Pacer } from "~/services/sending/pacing";
import { errorSummary } from "~/services/shopify/adminRequest.server";
import {
  ShopSender,
  sleep,
  type SenderOptions,
  type SenderStats,
} from "~/services/sending/shopSender.server";
import type { AdminGraphql } from "~/types/admin";
import { logger as rootLogger, type Logger } from "~/utils/logger.server";

// The worker loop: finds shops with campaign work, takes each shop's lease (one pacer per shop), and
// runs that shop's campaigns one after another through a ShopSender. Runs inside the app process by
// default (inProcessWorker.server.ts) or on its own (`npm run worker`, app/jobs/main.ts). Several
// workers may share one database: the lease decides who paces which shop.

export interface WorkerOptions extends Omit<SenderOptions, "owner"> {
  owner?: string;
  pollMs: number;
  maxShops: number;
  maxInFlight: number;
  /** Largest number of invites per request (≤ 100 at 10 points within Shopify's 1,000-point cap). */
  maxBatch?: number;
}

export interface InviteWorker {
  readonly owner: string;
  start(): void;
  /** Stops polling and waits for the shops in progress to reach a safe point. */
  stop(): Promise<void>;
  /** One poll: claims shops with work and runs them; resolves when those runs end (tests, bench). */
  runOnce(): Promise<void>;
  readonly stats: SenderStats;
}

export function createInviteWorker({
  options,
  getGraphql,
  logger = rootLogger,
}: {
  options: WorkerOptions;
  /** The Admin client for a shop: `unauthenticated.admin(shop)` in the app (it refreshes expiring tokens). */
  getGraphql: (shop: string) => Promise<AdminGraphql>;
  logger?: Logger;
}): InviteWorker {
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const log = logger.child({ component: "invite-worker", owner });
  const active = new Map<string, Promise<void>>();
  const senders = new Set<ShopSender>();
  /** Shops whose last run failed: not retried before this time. */
  const coolDown = new Map<string, number>();
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

  async function runShop(shop: string) {
    if (!(await acquireShopLease({ shop, owner, ttlMs: options.leaseTtlMs }))) return;
    const shopLog = log.child({ shop });
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
    const renew = setInterval(
      () => {
        void sender
          ?.renewLease()
          .catch((error: unknown) => shopLog.warn({ err: errorSummary(error) }, "lease renewal failed"));
      },
      Math.max(100, Math.floor(options.leaseTtlMs / 3)),
    );
    try {
      const graphql = await getGraphql(shop);
      sender = new ShopSender(shop, graphql, pacer, { ...options, owner }, logger);
      senders.add(sender);
      for (;;) {
        if (stopping) break;
        const campaign = await findNextCampaignWithWork({ shop });
        if (!campaign) break;
        const result = await sender.runCampaign(campaign.id);
        if (result === "lease-lost") {
          shopLog.warn({ campaignId: campaign.id }, "lost the shop lease; another worker continues");
          break;
        }
        if (result === "backing-off") {
          coolDown.set(shop, Date.now() + options.backoffMaxMs);
          break;
        }
        // "stopped" (paused, cancelled, a graceful stop) and "completed": on to the next campaign. A
        // campaign that stopped while still "with work" (a conflict in the ledger) is retried later,
        // so the loop never spins on it.
        if (result === "stopped") {
          const next = await findNextCampaignWithWork({ shop });
          if (next?.id === campaign.id) {
            coolDown.set(shop, Date.now() + options.backoffMaxMs);
            break;
          }
        }
      }
    } catch (error) {
      shopLog.error({ err: errorSummary(error) }, "shop run failed; will retry");
      coolDown.set(shop, Date.now() + options.backoffMaxMs);
    } finally {
      clearInterval(renew);
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

  async function poll(): Promise<Promise<void>[]> {
    const shops = await listShopsWithWork({ take: options.maxShops * 4 });
    const started: Promise<void>[] = [];
    for (const shop of shops) {
      if (active.size >= options.maxShops) break;
      if (active.has(shop) || (coolDown.get(shop) ?? 0) > Date.now()) continue;
      const run = runShop(shop).finally(() => active.delete(shop));
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
