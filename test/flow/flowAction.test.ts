import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { FLOW_TRIGGER_HANDLE } from "~/constants/flow";
import { startAppServer, type TestAppServer } from "../support/appServer";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, expectedEligible, installShop, outbox, testWorker, waitFor } from "../support/invites";

// Shopify Flow end to end over HTTP: the emulator runs the app's action "Send account invite" the way
// Flow does (Flow's payload, signed with the app secret, resent with the same action_run_id), the app
// answers through authenticate.flow, the worker sends, and emits "Account invite sent" with
// flowTriggerReceive, which the emulator validates as the captures show.

const shop = "flow-action.myshopify.com";
let app: TestAppServer;
let emulator: TestEmulator;
let eligible: { id: string }[];

interface Attempt {
  status: number | null;
  body: string | null;
}
interface Run {
  actionRunId: string;
  status: "succeeded" | "failed" | "gave-up";
  attempts: Attempt[];
}
interface TriggerCall {
  handle: string | null;
  properties: Record<string, unknown>;
  bytes: number;
  errors: string[];
  accepted: boolean;
}

async function runAction(body: Record<string, unknown>) {
  return (
    await emulator.control<{ run: Run }>("POST", "flow/actions/run", {
      shop,
      retry: { baseDelayMs: 10, timeoutMs: 30_000, maxAttempts: 3 },
      ...body,
    })
  ).run;
}

const numericId = (gid: string) => gid.replace("gid://shopify/Customer/", "");

beforeAll(async () => {
  app = await startAppServer();
  emulator = await startTestEmulator({ appUrl: app.url });
  await installShop(emulator, { domain: shop, customers: 30, seed: 11 });
  // The merchant enables a workflow using "Account invite sent": Flow's lifecycle callback reaches the app.
  const workflow = await emulator.control<{ enabled: boolean }>("POST", "flow/workflows", {
    shop,
    trigger: FLOW_TRIGGER_HANDLE,
    enabled: true,
  });
  expect(workflow.enabled).toBe(true);
  eligible = expectedEligible(await customers(emulator, shop)).filter((c) => c.state === "DISABLED");
  expect(eligible.length).toBeGreaterThan(4);
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

describe("the Flow action Send account invite", () => {
  it("records one invite for an action_run_id Flow sends twice, and the worker sends it once", async () => {
    const customer = eligible[0]!;
    // GIVEN Flow runs the step, the app records it, but Flow loses the answer and resends the same run
    const run = await runAction({
      actionRunId: "run-twice",
      properties: { customer_id: numericId(customer.id), subject: "Welcome to our new store", message: "" },
      loseAnswers: 1,
    });
    expect(run.status).toBe("succeeded");
    expect(run.attempts).toHaveLength(2);
    // AND later Flow sends the same run once more
    const again = await runAction({
      actionRunId: "run-twice",
      properties: { customer_id: numericId(customer.id), subject: "Welcome to our new store" },
    });
    expect(again.status).toBe("succeeded");
    const answers = [run.attempts[1]!, again.attempts[0]!].map((a) => JSON.parse(a.body ?? "{}"));
    expect(answers[0].campaignId).toBe(answers[1].campaignId);

    // THEN the app holds one campaign of one customer, from Flow
    const campaigns = await prisma.campaign.findMany({ where: { shop, idempotencyKey: "flow:run-twice" } });
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]).toMatchObject({ origin: "flow", source: "selection", total: 1 });
    expect(campaigns[0]!.emailSubject).toBe("Welcome to our new store");

    // AND the worker sends exactly one invite, with the step's subject
    await testWorker().runOnce();
    const emails = (await outbox(emulator, shop)).filter((e) => e.customerId === customer.id);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe("Welcome to our new store");
  });

  it("emits Account invite sent after the send, with a valid payload that holds no link or token", async () => {
    const calls = await waitFor(async () => {
      const { calls } = await emulator.control<{ calls: TriggerCall[] }>("GET", `flow/triggers?shop=${shop}`);
      return calls.length > 0 ? calls : null;
    });
    const campaign = await prisma.campaign.findFirstOrThrow({
      where: { shop, idempotencyKey: "flow:run-twice" },
    });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call).toMatchObject({ handle: FLOW_TRIGGER_HANDLE, accepted: true, errors: [] });
    expect(call!.properties).toEqual({
      customer_id: Number(numericId(eligible[0]!.id)),
      "Invite source": "flow",
      "Campaign ID": campaign.id,
      "Attempt number": 1,
    });
    // Keys letters and spaces (and Flow's customer_id), within the limit, no secret of any kind.
    for (const key of Object.keys(call!.properties)) expect(key).toMatch(/^(customer_id|[A-Za-z ]+)$/);
    expect(call!.bytes).toBeLessThanOrEqual(50_000);
    const text = JSON.stringify(call!.properties);
    expect(text).not.toMatch(/https?:|\/account\/activate|token|@/i);
    const event = await prisma.flowTriggerEvent.findFirstOrThrow({
      where: { shop, campaignId: campaign.id },
    });
    expect(event).toMatchObject({ status: "emitted", tries: 1, origin: "flow", attempt: 1 });
  });

  it("accepts a numeric customer id and a GID", async () => {
    const [, byNumber, byGid] = eligible;
    const first = await runAction({
      actionRunId: "run-number",
      properties: { customer_id: Number(numericId(byNumber!.id)) },
    });
    const second = await runAction({ actionRunId: "run-gid", properties: { customer_id: byGid!.id } });
    expect([first.status, second.status]).toEqual(["succeeded", "succeeded"]);
    const recipients = await prisma.recipient.findMany({
      where: { shop, campaign: { idempotencyKey: { in: ["flow:run-number", "flow:run-gid"] } } },
      select: { customerId: true },
    });
    expect(recipients.map((r) => r.customerId).sort()).toEqual([byNumber!.id, byGid!.id].sort());
  });

  it("refuses a forged request (wrong HMAC) without recording anything", async () => {
    const run = await runAction({
      actionRunId: "run-forged",
      properties: { customer_id: numericId(eligible[3]!.id) },
      secret: "not-the-app-secret",
    });
    // authenticate.flow answers 400: Flow does not resend another 4xx
    expect(run).toMatchObject({ status: "failed", attempts: [{ status: 400 }] });
    expect(await prisma.campaign.count({ where: { shop, idempotencyKey: "flow:run-forged" } })).toBe(0);
  });

  it.each([
    ["a missing customer", { customer_id: null }, "Customer: required"],
    ["a customer id that is not one", { customer_id: "abc" }, "Customer: use a customer id such as 123"],
    [
      "a customer of no customer in the store",
      { customer_id: "999999999" },
      "Customer: no customer with id 999999999 in this store",
    ],
    ["a subject over 255 characters", { subject: "s".repeat(256) }, "Subject: at most 255 characters"],
    ["HTML in the message", { message: "<b>Hello</b>" }, "Message: plain text only"],
  ])("refuses %s with a message Flow shows on the step", async (_case, properties, expected) => {
    const runId = `run-bad-${Math.random().toString(36).slice(2, 8)}`;
    const run = await runAction({
      actionRunId: runId,
      properties: { customer_id: numericId(eligible[4]!.id), ...properties },
    });
    expect(run.status).toBe("failed");
    expect(run.attempts).toHaveLength(1);
    expect(run.attempts[0]!.status).toBe(400);
    const body = JSON.parse(run.attempts[0]!.body ?? "{}") as { message: string };
    expect(body.message).toContain("The “Send account invite” step was not run.");
    expect(body.message).toContain(expected);
    expect(await prisma.campaign.count({ where: { shop, idempotencyKey: `flow:${runId}` } })).toBe(0);
  });
});
