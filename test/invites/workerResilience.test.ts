import { spawn } from "node:child_process";
import { resolve } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { createInviteWorker } from "~/jobs/inviteWorker.server";
import { resumeCampaign } from "~/models/Campaign.server";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { inviteCustomer } from "~/services/customers/singleInvite.server";
import { authenticate, unauthenticated } from "~/shopify.server";
import type { AdminGraphql } from "~/types/admin";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { embeddedDocumentRequest } from "../support/requests";
import {
  countBy,
  customers,
  expectedEligible,
  fastWorkerOptions,
  installShop,
  outbox,
  testWorker,
  waitFor,
} from "../support/invites";

// The worker through a long production run: tokens that expire, a shop that uninstalls mid-batch,
// refusals and errors without progress, a deploy's SIGTERM. Every campaign ends in a stated way, the
// process stays up (vitest fails the run on any unhandled rejection), nothing stays in `sending`.

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.close());

async function selectionOf(shop: string, count: number, key: string) {
  const eligible = expectedEligible(await customers(emulator, shop)).slice(0, count);
  const { campaign } = await createCampaign({
    shop,
    requestedBy: "7",
    input: { customerIds: eligible.map((c) => c.id), includeDeclined: false, idempotencyKey: key },
  });
  return { campaign, eligible };
}

const campaignRow = (id: string) => prisma.campaign.findUniqueOrThrow({ where: { id } });

describe("access tokens", () => {
  it("a campaign running past its access token's expiry completes without a merchant visit", async () => {
    const shop = "token-expiry.myshopify.com";
    await installShop(emulator, { domain: shop, customers: 300, seed: 21 });
    await emulator.control("POST", "faults", { shop, latencyMs: 40 });
    const { campaign, eligible } = await selectionOf(shop, 200, "expiry");
    const worker = testWorker({ maxBatch: 20 });
    worker.start();
    try {
      // WHEN every access token expires mid-campaign, twice (the session still thinks it is valid)
      for (let round = 0; round < 2; round++) {
        const before = (await outbox(emulator, shop)).length;
        await waitFor(async () => (await outbox(emulator, shop)).length > before + 20, { timeoutMs: 20_000 });
        await emulator.control("POST", `shops/${shop}/expire-tokens`);
      }
      await waitFor(async () => (await campaignRow(campaign.id)).status === "completed", {
        timeoutMs: 30_000,
      });
    } finally {
      await worker.stop();
    }
    // THEN every eligible customer got exactly one invite, and nothing is left in sending
    const perCustomer = countBy(await outbox(emulator, shop), (e) => e.customerId);
    expect(new Set(perCustomer.keys())).toEqual(new Set(eligible.map((c) => c.id)));
    expect([...perCustomer.values()].every((n) => n === 1)).toBe(true);
    expect(await campaignRow(campaign.id)).toMatchObject({ sentCount: 200, sendingCount: 0, queuedCount: 0 });
  });

  it("a shop that uninstalls mid-batch pauses with a reason, and resumes after a reinstall", async () => {
    const shop = "uninstall-mid-batch.myshopify.com";
    await installShop(emulator, { domain: shop, customers: 300, seed: 22 });
    await emulator.control("POST", "faults", { shop, latencyMs: 150 });
    const { campaign, eligible } = await selectionOf(shop, 200, "uninstall");
    const worker = testWorker({ maxBatch: 10 });
    worker.start();
    try {
      await waitFor(async () => (await outbox(emulator, shop)).length >= 20, { timeoutMs: 20_000 });
      // WHEN the merchant uninstalls while requests are in flight
      await emulator.control("POST", `shops/${shop}/uninstall`);
      // THEN the campaign pauses with the reason, its rows back in the queue (a 401 proves nothing ran)
      await waitFor(async () => (await campaignRow(campaign.id)).status === "paused", { timeoutMs: 20_000 });
      await waitFor(async () => (await campaignRow(campaign.id)).sendingCount === 0, { timeoutMs: 20_000 });
    } finally {
      await worker.stop();
    }
    const paused = await campaignRow(campaign.id);
    expect(paused).toMatchObject({ status: "paused", failureCode: "ACCESS_REVOKED", sendingCount: 0 });
    const refunded = await prisma.recipient.findMany({
      where: { campaignId: campaign.id, status: "queued" },
    });
    expect(refunded.length).toBeGreaterThan(0);

    // WHEN the merchant reinstalls (a new token exchange) and resumes
    // (app/uninstalled removes the sessions; opening the app again exchanges a new token)
    await prisma.session.deleteMany({ where: { shop } });
    await authenticate.admin(embeddedDocumentRequest("/app", { shop }));
    expect(await resumeCampaign({ shop, id: campaign.id })).toBe(true);
    const again = testWorker({ maxBatch: 50 });
    await again.runOnce();
    // THEN it completes, and nobody got a second invite
    expect(await campaignRow(campaign.id)).toMatchObject({
      status: "completed",
      failureCode: null,
      sendingCount: 0,
    });
    const perCustomer = countBy(await outbox(emulator, shop), (e) => e.customerId);
    expect([...perCustomer.values()].every((n) => n === 1)).toBe(true);
    expect(perCustomer.size).toBe(eligible.length);
  });
});

/** A graphql client that fails the way the library reports Shopify's answers (see adminRequest.server.ts). */
function failingGraphql(error: () => unknown): AdminGraphql {
  return (async () => {
    throw error();
  }) as unknown as AdminGraphql;
}

describe("a stated end for every campaign", () => {
  it.each([
    [402, "SHOP_FROZEN"],
    [423, "SHOP_LOCKED"],
    [403, "ACCESS_DENIED"],
  ])(
    "HTTP %i pauses the shop's campaigns (%s) and requeues without counting an attempt",
    async (status, code) => {
      const shop = `refused-${status}.myshopify.com`;
      await installShop(emulator, { domain: shop, customers: 30, seed: 23 });
      const { campaign } = await selectionOf(shop, 10, "refused");
      const real = (await unauthenticated.admin(shop)).admin.graphql;
      // The shop's reads work; its invites are refused (as a frozen shop's are).
      const graphql = (async (query: string, options?: unknown) => {
        if (query.includes("customerSendAccountInviteEmail")) throw { response: { code: status } };
        return (real as (q: string, o?: unknown) => Promise<unknown>)(query, options);
      }) as unknown as AdminGraphql;
      const worker = createInviteWorker({ options: fastWorkerOptions, getGraphql: async () => graphql });
      await worker.runOnce();
      expect(await campaignRow(campaign.id)).toMatchObject({
        status: "paused",
        failureCode: code,
        sendingCount: 0,
      });
      const rows = await prisma.recipient.findMany({ where: { campaignId: campaign.id, status: "queued" } });
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.attempts === 0)).toBe(true);
      expect(await outbox(emulator, shop)).toHaveLength(0);
    },
  );

  it("GraphQL errors answered with HTTP 200 back off, and after too long without progress the campaign pauses", async () => {
    const shop = "graphql-errors.myshopify.com";
    await installShop(emulator, { domain: shop, customers: 10, seed: 24 });
    const { campaign } = await selectionOf(shop, 5, "errors");
    const graphql = failingGraphql(() => ({
      body: {
        errors: {
          graphQLErrors: [{ message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
        },
      },
    }));
    const worker = createInviteWorker({
      options: {
        ...fastWorkerOptions,
        maxFailuresInRow: 2,
        backoffBaseMs: 1,
        backoffMaxMs: 5,
        maxCoolDownMs: 5,
        maxBackoffsWithoutProgress: 3,
      },
      getGraphql: async () => graphql,
    });
    for (let turn = 0; turn < 10 && (await campaignRow(campaign.id)).status !== "paused"; turn++) {
      await worker.runOnce();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await campaignRow(campaign.id)).toMatchObject({ status: "paused", failureCode: "NO_PROGRESS" });
    expect(worker.stats.readRequests).toBeLessThan(40);
  });

  it("a shop without a stored session pauses with NO_SESSION instead of retrying for days", async () => {
    const shop = "no-session.myshopify.com";
    await installShop(emulator, { domain: shop, customers: 10, seed: 25 });
    const { campaign } = await selectionOf(shop, 5, "no-session");
    await prisma.session.deleteMany({ where: { shop } });
    await testWorker().runOnce();
    expect(await campaignRow(campaign.id)).toMatchObject({ status: "paused", failureCode: "NO_SESSION" });
  });
});

describe("the single invite", () => {
  it("is idempotent on the extension's key, and two requests at once send one email", async () => {
    const shop = "single-race.myshopify.com";
    const graphql = await installShop(emulator, { domain: shop, customers: 20, seed: 27 });
    const [first, second] = expectedEligible(await customers(emulator, shop));
    // WHEN the same dialog's request is retried with its key
    const once = await inviteCustomer({
      graphql,
      shop,
      customerId: first!.id,
      requestedBy: "7",
      idempotencyKey: "dialog-1",
    });
    const retried = await inviteCustomer({
      graphql,
      shop,
      customerId: first!.id,
      requestedBy: "7",
      idempotencyKey: "dialog-1",
    });
    expect(once).toEqual({ status: "sent" });
    expect(retried).toEqual({ status: "sent" });
    // AND two staff members press the button for another customer at the same moment
    const both = await Promise.all([
      inviteCustomer({ graphql, shop, customerId: second!.id, requestedBy: "7", idempotencyKey: "a" }),
      inviteCustomer({ graphql, shop, customerId: second!.id, requestedBy: "8", idempotencyKey: "b" }),
    ]);
    // THEN each customer got one email; the second press is skipped by the re-invite window
    const perCustomer = countBy(await outbox(emulator, shop), (e) => e.customerId);
    expect(perCustomer.get(first!.id)).toBe(1);
    expect(perCustomer.get(second!.id)).toBe(1);
    expect(both.map((r) => r.status).sort()).toEqual(["sent", "skipped"]);
  });

  it("cannot race a campaign into a second email for the same customer", async () => {
    const shop = "single-vs-campaign.myshopify.com";
    const graphql = await installShop(emulator, { domain: shop, customers: 40, seed: 28 });
    const { campaign, eligible } = await selectionOf(shop, 10, "race");
    // GIVEN the campaign decided its targets eligible, then a staff member invites one of them by hand
    const worker = testWorker();
    await prisma.campaign.update({ where: { id: campaign.id }, data: { status: "running" } });
    await inviteCustomer({ graphql, shop, customerId: eligible[0]!.id, requestedBy: "9" });
    await worker.runOnce();
    // THEN the campaign skips that customer at send time
    const perCustomer = countBy(await outbox(emulator, shop), (e) => e.customerId);
    expect(perCustomer.get(eligible[0]!.id)).toBe(1);
    expect([...perCustomer.values()].every((n) => n === 1)).toBe(true);
    const row = await prisma.recipient.findFirstOrThrow({
      where: { campaignId: campaign.id, customerId: eligible[0]!.id },
    });
    expect(row).toMatchObject({ status: "skipped", reasonCode: "INVITED_RECENTLY" });
  });
});

describe("fair shops", () => {
  it(
    "every shop with work gets a turn while the largest shops are still sending",
    { timeout: 120_000 },
    async () => {
      // GIVEN 20 shops: 2 large, 18 small, and a worker with 2 slots and short turns
      const shops = Array.from({ length: 20 }, (_, i) => ({
        domain: `fair-${i}.myshopify.com`,
        size: i < 2 ? 250 : 8,
      }));
      const campaigns = new Map<string, string>();
      for (const { domain, size } of shops) {
        await installShop(emulator, {
          domain,
          customers: Math.ceil(size * 1.6) + 5,
          seed: 30,
          custom: { maximumAvailable: 1_000, restoreRate: 1_000 },
        });
        await emulator.control("POST", "faults", { shop: domain, latencyMs: 30 });
        campaigns.set(domain, (await selectionOf(domain, size, "fair")).campaign.id);
      }
      const worker = testWorker({ maxShops: 2, sliceMs: 300, maxBatch: 10 });
      worker.start();
      try {
        await waitFor(
          async () => {
            const rows = await prisma.campaign.findMany({ where: { id: { in: [...campaigns.values()] } } });
            return rows.every((r) => r.status === "completed");
          },
          { timeoutMs: 110_000 },
        );
      } finally {
        await worker.stop();
      }
      // THEN every small shop finished before either large shop did: no shop waited for the large ones
      const finished = new Map(
        (await prisma.campaign.findMany({ where: { id: { in: [...campaigns.values()] } } })).map((c) => [
          c.shop,
          c.finishedAt!.getTime(),
        ]),
      );
      const largeDone = Math.min(
        finished.get("fair-0.myshopify.com")!,
        finished.get("fair-1.myshopify.com")!,
      );
      for (const { domain } of shops.slice(2)) expect(finished.get(domain)!, domain).toBeLessThan(largeDone);
    },
  );
});

describe("a shop alone on a worker", () => {
  it("keeps its turn past the slice while the worker has a free slot: no pause, no handoff", async () => {
    // GIVEN one shop whose campaign takes many slices of 150 ms (200 invites, 10 a request, 30 ms each)
    const shop = "alone.myshopify.com";
    await installShop(emulator, {
      domain: shop,
      customers: 400,
      seed: 31,
      custom: { maximumAvailable: 1_000, restoreRate: 1_000 },
    });
    await emulator.control("POST", "faults", { shop, latencyMs: 30 });
    const { campaign } = await selectionOf(shop, 200, "alone");
    const lines: string[] = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(line) });
    const worker = createInviteWorker({
      options: { ...fastWorkerOptions, maxShops: 2, sliceMs: 150, maxBatch: 10 },
      getGraphql: async (domain) => (await unauthenticated.admin(domain)).admin.graphql,
      logger,
    });
    // WHEN the worker runs it
    const started = Date.now();
    worker.start();
    try {
      await waitFor(async () => (await campaignRow(campaign.id)).status === "completed", {
        timeoutMs: 60_000,
      });
    } finally {
      await worker.stop();
    }
    // THEN it ran in one turn, although it lasted several slices
    expect(Date.now() - started).toBeGreaterThan(3 * 150);
    const turns = lines.filter((line) => line.includes('"shop turn started"') && line.includes(shop));
    expect(turns).toHaveLength(1);
    expect((await campaignRow(campaign.id)).sentCount).toBe(200);
  });
});

describe("a graceful stop", () => {
  it(
    "SIGTERM lets requests in flight be answered and settled: nothing is left in sending",
    { timeout: 60_000 },
    async () => {
      const shop = "sigterm.myshopify.com";
      await installShop(emulator, { domain: shop, customers: 400, seed: 26 });
      await emulator.control("POST", "faults", { shop, latencyMs: 400 });
      const { campaign } = await selectionOf(shop, 250, "sigterm");
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--import", resolve("emulator/preload.mjs"), "app/jobs/main.ts"],
        {
          env: {
            ...process.env,
            NODE_OPTIONS: "",
            SHOPIFY_EMULATOR_URL: emulator.url,
            WORKER_POLL_MS: "50",
            WORKER_LEASE_MS: "3000",
            INVITE_REQUEST_TIMEOUT_MS: "2000",
            LOG_LEVEL: "silent",
          },
          stdio: ["ignore", "ignore", "inherit"],
        },
      );
      const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
      try {
        // WHEN a deploy sends SIGTERM while a batch is out
        await waitFor(async () => (await campaignRow(campaign.id)).sendingCount > 0, { timeoutMs: 30_000 });
        child.kill("SIGTERM");
        // THEN the worker exits by itself, cleanly, with nothing in sending
        expect(await exited).toBe(0);
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      const row = await campaignRow(campaign.id);
      expect(row.sendingCount).toBe(0);
      expect(await prisma.recipient.count({ where: { campaignId: campaign.id, status: "sending" } })).toBe(0);
      expect(await prisma.shopPacer.findUniqueOrThrow({ where: { shop } })).toMatchObject({ owner: null });
    },
  );
});

describe("batch size from what Shopify reports", () => {
  it("MAX_COST_EXCEEDED halves the batch and goes on, failing no recipient", async () => {
    const shop = "max-cost.myshopify.com";
    await installShop(emulator, { domain: shop, customers: 160, seed: 29 });
    const eligible = (await customers(emulator, shop))
      .filter((c) => c.state === "DISABLED" && c.email)
      .slice(0, 60);
    const { campaign } = await createCampaign({
      shop,
      requestedBy: "7",
      input: { customerIds: eligible.map((c) => c.id), includeDeclined: false, idempotencyKey: "max-cost" },
    });
    const real = (await unauthenticated.admin(shop)).admin.graphql as unknown as (
      q: string,
      o?: unknown,
    ) => Promise<unknown>;
    const sizes: number[] = [];
    // Shopify prices anything above 10 aliases over its limit here (as a costlier mutation would be).
    // Only this shop's batches are counted: a campaign an earlier test left running (the graceful stop)
    // is sent by the same worker, at the same time.
    const ours = new Set(eligible.map((c) => c.id));
    const graphql = (async (query: string, options?: unknown) => {
      const aliases = (query.match(/customerSendAccountInviteEmail\(/g) ?? []).length;
      const mine = [...JSON.stringify(options ?? {}).matchAll(/gid:\/\/shopify\/Customer\/\d+/g)].some(
        ([id]) => ours.has(id),
      );
      if (aliases > 0 && mine) sizes.push(aliases);
      if (aliases > 10)
        throw {
          body: {
            errors: {
              graphQLErrors: [
                {
                  message: "Query cost is 1100, which exceeds the single query max cost limit (1000).",
                  extensions: { code: "MAX_COST_EXCEEDED", cost: 1100, maxCost: 1000 },
                },
              ],
            },
          },
        };
      return real(query, options);
    }) as unknown as AdminGraphql;
    const worker = createInviteWorker({
      // One request at a time, so the sizes are in the order Shopify saw them.
      options: { ...fastWorkerOptions, maxBatch: 40, maxInFlight: 1 },
      getGraphql: async () => graphql,
    });
    await worker.runOnce();
    expect(await campaignRow(campaign.id)).toMatchObject({
      status: "completed",
      failedCount: 0,
      sentCount: 60,
    });
    // THEN each refused batch was followed by one at most half its size, and the rest fit
    const refused = sizes.map((n, i) => ({ n, i })).filter(({ n }) => n > 10);
    expect(refused.length).toBeGreaterThan(0);
    for (const { n, i } of refused) expect(sizes[i + 1]!).toBeLessThanOrEqual(Math.floor(n / 2));
    expect(sizes.slice(refused.at(-1)!.i + 1).every((n) => n <= 10)).toBe(true);
    const perCustomer = countBy(await outbox(emulator, shop), (e) => e.customerId);
    expect(perCustomer.size).toBe(eligible.length);
  });
});
