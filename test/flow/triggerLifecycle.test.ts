import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { FLOW_LIFECYCLE_PATH, FLOW_TRIGGER_HANDLE } from "~/constants/flow";
import { startAppServer, type TestAppServer } from "../support/appServer";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, expectedEligible, installShop, testWorker } from "../support/invites";
import { TEST_API_SECRET } from "../testEnv";

// Flow's trigger lifecycle callback end to end: the emulator's merchant enables and disables a workflow
// using "Account invite sent", Flow calls the app (signed with the app secret), and the app emits the
// trigger only while a workflow uses it.

const shop = "flow-lifecycle.myshopify.com";
let app: TestAppServer;
let emulator: TestEmulator;
let eligible: { id: string }[];
let next = 0;

const numericId = (gid: string) => gid.replace("gid://shopify/Customer/", "");
const triggerCalls = async () =>
  (await emulator.control<{ calls: unknown[] }>("GET", `flow/triggers?shop=${shop}`)).calls.length;
const events = () => prisma.flowTriggerEvent.count({ where: { shop } });
const setWorkflow = (enabled: boolean, secret?: string) =>
  emulator.control<{ enabled: boolean; callback: { status: number | null } | null }>(
    "POST",
    "flow/workflows",
    {
      shop,
      trigger: FLOW_TRIGGER_HANDLE,
      enabled,
      ...(secret ? { secret } : {}),
    },
  );

/** Flow's action sends one invite; `run` lets the worker send it (and emit due events). */
async function inviteOne({ run = true } = {}) {
  const customer = eligible[next++]!;
  const result = await emulator.control<{ run: { status: string } }>("POST", "flow/actions/run", {
    shop,
    actionRunId: `lifecycle-${next}`,
    properties: { customer_id: numericId(customer.id) },
    retry: { baseDelayMs: 10, timeoutMs: 30_000, maxAttempts: 3 },
  });
  expect(result.run.status).toBe("succeeded");
  if (run) await testWorker().runOnce();
}

async function postCallback(body: Record<string, unknown>, secret = TEST_API_SECRET) {
  const raw = JSON.stringify(body);
  return fetch(new URL(FLOW_LIFECYCLE_PATH, app.url), {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-SHA256": createHmac("sha256", secret).update(raw).digest("base64"),
    },
    body: raw,
  });
}

beforeAll(async () => {
  app = await startAppServer();
  emulator = await startTestEmulator({ appUrl: app.url });
  await installShop(emulator, { domain: shop, customers: 40, seed: 23 });
  eligible = expectedEligible(await customers(emulator, shop)).filter((c) => c.state === "DISABLED");
  expect(eligible.length).toBeGreaterThan(5);
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

describe("the Flow trigger lifecycle callback", () => {
  it("with no workflow ever enabled, sends invites without any flowTriggerReceive or event", async () => {
    await inviteOne();
    expect(await prisma.recipient.count({ where: { shop, status: "sent" } })).toBe(1);
    expect(await triggerCalls()).toBe(0);
    expect(await events()).toBe(0);
  });

  it("once a workflow is enabled, emits Account invite sent for each invite", async () => {
    const answer = await setWorkflow(true);
    expect(answer).toMatchObject({ enabled: true, callback: { status: 200 } });
    expect(await prisma.flowTriggerUse.findFirst({ where: { shop } })).toMatchObject({
      handle: FLOW_TRIGGER_HANDLE,
      enabled: true,
    });
    await inviteOne();
    expect(await triggerCalls()).toBe(1);
    expect(await prisma.flowTriggerEvent.count({ where: { shop, status: "emitted" } })).toBe(1);
  });

  it("when the last workflow is disabled, drops pending events and writes no more", async () => {
    // GIVEN an event still pending (as after a failed flowTriggerReceive, awaiting its retry)
    const emitted = await prisma.flowTriggerEvent.findFirstOrThrow({ where: { shop, status: "emitted" } });
    await prisma.flowTriggerEvent.update({ where: { id: emitted.id }, data: { status: "pending" } });
    const before = await triggerCalls();
    // WHEN the merchant disables the workflow
    const answer = await setWorkflow(false);
    expect(answer).toMatchObject({ enabled: false, callback: { status: 200 } });
    // THEN the pending event is dropped, and the next invite writes none and emits nothing
    expect(await prisma.flowTriggerEvent.count({ where: { shop, status: "pending" } })).toBe(0);
    await inviteOne();
    expect(await prisma.recipient.count({ where: { shop, status: "sent" } })).toBe(3);
    expect(await triggerCalls()).toBe(before);
    expect(await events()).toBe(0);
  });

  it("ignores a callback older than the one recorded", async () => {
    const stored = await prisma.flowTriggerUse.findFirstOrThrow({ where: { shop } });
    expect(stored.enabled).toBe(false);
    const response = await postCallback({
      flow_trigger_definition_id: FLOW_TRIGGER_HANDLE,
      has_enabled_flow: true,
      shop_id: 1,
      shopify_domain: shop,
      timestamp: new Date(stored.changedAt.getTime() - 60_000).toISOString(),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, recorded: false });
    expect(await prisma.flowTriggerUse.findFirstOrThrow({ where: { shop } })).toMatchObject({
      enabled: false,
      changedAt: stored.changedAt,
    });
  });

  it("refuses a forged callback, and Flow then cannot enable the workflow", async () => {
    const response = await postCallback(
      {
        flow_trigger_definition_id: FLOW_TRIGGER_HANDLE,
        has_enabled_flow: true,
        shop_id: 1,
        shopify_domain: shop,
        timestamp: new Date(Date.now() + 60_000).toISOString(),
      },
      "not-the-app-secret",
    );
    expect(response.status).toBe(400);
    const answer = await setWorkflow(true, "not-the-app-secret");
    expect(answer).toMatchObject({ enabled: false, callback: { status: 400 } });
    expect(await prisma.flowTriggerUse.findFirstOrThrow({ where: { shop } })).toMatchObject({
      enabled: false,
    });
  });
});
