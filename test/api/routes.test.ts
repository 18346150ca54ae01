import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { saveShopSettings } from "~/models/ShopSettings.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { callApi, emulatorLinks, outboxSize, storedCounts, type ApiAnswer } from "../support/api";
import { customers, expectedEligible, installShop, outbox, type EmulatorCustomer } from "../support/invites";

// The JSON API's happy paths, route module by route module, against the local Shopify: Bearer session
// tokens, the library's token exchange, admin.graphql, the emulator's outbox and links.

const shop = "api-routes.myshopify.com";
const token = () => ({ shop });
let emulator: TestEmulator;
let all: EmulatorCustomer[];

beforeAll(async () => {
  emulator = await startTestEmulator();
  await installShop(emulator, { domain: shop, customers: 40, seed: 11 });
  all = await customers(emulator, shop);
});
afterAll(() => emulator?.close());

function expectCors(answer: ApiAnswer) {
  expect(answer.headers.get("Access-Control-Allow-Origin")).toBe("*");
}

function body(answer: ApiAnswer) {
  return answer.json as Record<string, unknown>;
}

/** Customers nobody has touched yet in this file, by state (the first 10 go into a campaign). */
const used = new Set<string>();
function fresh(state: EmulatorCustomer["state"]) {
  const customer = all.slice(10).find((c) => c.state === state && c.email && !used.has(c.id));
  if (!customer) throw new Error(`no fresh ${state} customer with an email`);
  used.add(customer.id);
  return customer;
}

describe("POST /api/invites/preview", () => {
  it("answers eligibility per customer, in the order asked, and sends or stores nothing", async () => {
    const before = await storedCounts(shop);
    const answer = await callApi("preview", {
      method: "POST",
      token: token(),
      body: { customerIds: all.map((c) => c.id) },
    });
    expect(answer.status).toBe(200);
    expectCors(answer);
    const result = body(answer) as {
      customers: { customerId: string; eligible: boolean; reason?: string }[];
      summary: { eligible: number; skipped: number; byReason: Record<string, number> };
      emailDefaults: unknown;
    };
    expect(result.customers.map((c) => c.customerId)).toEqual(all.map((c) => c.id));
    const eligible = new Set(expectedEligible(all).map((c) => c.id));
    for (const customer of result.customers) {
      expect(customer.eligible, customer.customerId).toBe(eligible.has(customer.customerId));
      if (!customer.eligible) expect(customer.reason).toEqual(expect.any(String));
    }
    expect(result.summary.eligible).toBe(eligible.size);
    expect(result.summary.skipped).toBe(all.length - eligible.size);
    expect(Object.values(result.summary.byReason).reduce((a, b) => a + b, 0)).toBe(result.summary.skipped);
    expect(result.emailDefaults).toEqual({ subject: null, customMessage: null });

    expect(await storedCounts(shop)).toEqual(before);
    expect(await outboxSize(emulator, shop)).toBe(0);
  });
});

describe("campaigns", () => {
  let campaignId: string;

  it("POST /api/campaigns records the campaign (202); the same key again answers 200 with the same one", async () => {
    const ids = all.slice(0, 10).map((c) => c.id);
    const before = await storedCounts(shop);
    const first = await callApi("campaigns", {
      method: "POST",
      token: token(),
      body: { customerIds: ids, email: { subject: "Welcome" }, idempotencyKey: "routes-1" },
    });
    expect(first.status).toBe(202);
    expectCors(first);
    const campaign = body(first).campaign as Record<string, unknown>;
    expect(campaign).toMatchObject({
      status: "queued",
      source: "selection",
      total: 10,
      counts: { queued: 10, sending: 0, sent: 0, skipped: 0, failed: 0 },
    });
    campaignId = campaign.id as string;
    const afterFirst = await storedCounts(shop);
    expect(afterFirst).toEqual({
      ...before,
      campaigns: before.campaigns + 1,
      recipients: before.recipients + 10,
    });

    // A double click: the same key and body answer the first campaign and record nothing.
    const second = await callApi("campaigns", {
      method: "POST",
      token: token(),
      body: { customerIds: ids, email: { subject: "Welcome" }, idempotencyKey: "routes-1" },
    });
    expect(second.status).toBe(200);
    expectCors(second);
    expect((body(second).campaign as { id: string }).id).toBe(campaignId);
    expect(await storedCounts(shop)).toEqual(afterFirst);
    // The same key with another body is the caller's mistake (Stripe's rule): 422, nothing recorded.
    const reused = await callApi("campaigns", {
      method: "POST",
      token: token(),
      body: { customerIds: ids.slice(0, 3), idempotencyKey: "routes-1" },
    });
    expect(reused.status).toBe(422);
    expectCors(reused);
    expect(body(reused)).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
    expect(await storedCounts(shop)).toEqual(afterFirst);
    // The request only records; nothing is sent before the worker runs.
    expect(await outboxSize(emulator, shop)).toBe(0);
  });

  it("POST /api/campaigns accepts a search query instead of ids", async () => {
    const answer = await callApi("campaigns", {
      method: "POST",
      token: token(),
      body: { query: "state:disabled", idempotencyKey: "routes-query" },
    });
    expect(answer.status).toBe(202);
    expect(body(answer).campaign).toMatchObject({
      source: "query",
      query: "state:disabled",
      status: "queued",
    });
  });

  it("POST /api/campaigns refuses more selected customers than the shop's cap from Settings", async () => {
    await saveShopSettings({ shop, values: { campaignCap: 2 } });
    try {
      const before = await storedCounts(shop);
      const answer = await callApi("campaigns", {
        method: "POST",
        token: token(),
        body: { customerIds: all.slice(0, 3).map((c) => c.id), idempotencyKey: "routes-over-cap" },
      });
      expect(answer.status).toBe(400);
      expectCors(answer);
      expect(body(answer).fieldErrors).toEqual({
        customerIds: expect.stringContaining("at most 2 customers"),
      });
      expect(await storedCounts(shop)).toEqual(before);
    } finally {
      await saveShopSettings({ shop, values: { campaignCap: null } });
    }
  });

  it("GET /api/campaigns/:id answers status, counts and recent failures", async () => {
    const answer = await callApi("campaign", { token: token(), params: { id: campaignId } });
    expect(answer.status).toBe(200);
    expectCors(answer);
    expect(body(answer).campaign).toMatchObject({
      id: campaignId,
      status: "queued",
      total: 10,
      counts: { queued: 10, sending: 0, sent: 0, skipped: 0, failed: 0 },
      recentFailures: [],
    });
  });

  it("pause, resume and cancel move the campaign; an impossible transition is 409 with the campaign", async () => {
    const command = (name: string) =>
      callApi("command", { method: "POST", token: token(), params: { id: campaignId, command: name } });

    const paused = await command("pause");
    expect(paused.status).toBe(200);
    expectCors(paused);
    expect(body(paused).campaign).toMatchObject({ id: campaignId, status: "paused" });

    const pausedAgain = await command("pause");
    expect(pausedAgain.status).toBe(409);
    expectCors(pausedAgain);
    expect(body(pausedAgain).error).toMatch(/paused/);
    expect(body(pausedAgain).campaign).toMatchObject({ id: campaignId, status: "paused" });

    const resumed = await command("resume");
    expect(resumed.status).toBe(200);
    expect(body(resumed).campaign).toMatchObject({ status: "queued" });

    const resumedAgain = await command("resume");
    expect(resumedAgain.status).toBe(409);

    const cancelled = await command("cancel");
    expect(cancelled.status).toBe(200);
    expect(body(cancelled).campaign).toMatchObject({
      status: "cancelled",
      counts: { queued: 0, skipped: 10 },
    });

    for (const name of ["pause", "resume", "cancel"]) {
      const refused = await command(name);
      expect(refused.status, name).toBe(409);
      expectCors(refused);
      expect(body(refused)).toMatchObject({ error: expect.stringContaining("cancelled") });
    }
    const row = await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(row.status).toBe("cancelled");
    expect(await outboxSize(emulator, shop)).toBe(0);
  });
});

describe("one customer", () => {
  const invited = () => used;
  let customerId: string;

  it("POST /api/customers/:id/invite sends exactly one email", async () => {
    customerId = fresh("DISABLED").id;
    const before = await outboxSize(emulator, shop);
    const answer = await callApi("invite", {
      method: "POST",
      token: token(),
      params: { id: customerId },
      body: { email: { subject: "Your account", customMessage: "Welcome aboard" } },
    });
    expect(answer.status).toBe(200);
    expectCors(answer);
    expect(body(answer)).toEqual({ result: { status: "sent" } });
    const emails = await outbox(emulator, shop);
    expect(emails).toHaveLength(before + 1);
    expect(emails.filter((e) => e.customerId === customerId)).toEqual([
      expect.objectContaining({ subject: "Your account", customMessage: "Welcome aboard" }),
    ]);
    expect(invited().has(customerId)).toBe(true);
  });

  it("the numeric id works as well as the GID, and an empty body is no options", async () => {
    const other = fresh("DISABLED");
    const answer = await callApi("invite", {
      method: "POST",
      token: token(),
      params: { id: other.id.split("/").pop()! },
    });
    expect(answer.status).toBe(200);
    expect(body(answer)).toEqual({ result: { status: "sent" } });
    expect((await outbox(emulator, shop)).filter((e) => e.customerId === other.id)).toHaveLength(1);
  });

  it("a second invite within the window is skipped with its reason, not sent", async () => {
    const before = await outboxSize(emulator, shop);
    const answer = await callApi("invite", { method: "POST", token: token(), params: { id: customerId } });
    expect(answer.status).toBe(200);
    expect(body(answer)).toMatchObject({ result: { status: "skipped", reason: "INVITED_RECENTLY" } });
    expect(await outboxSize(emulator, shop)).toBe(before);
  });

  let firstUrl: string;
  let firstIssuedAt: string;

  it("POST /api/customers/:id/activation-url answers { url, expiresAt }, not cacheable", async () => {
    const answer = await callApi("activationUrl", {
      method: "POST",
      token: token(),
      params: { id: customerId },
      body: {},
    });
    expect(answer.status).toBe(200);
    expectCors(answer);
    expect(answer.headers.get("Cache-Control")).toBe("no-store");
    const link = body(answer) as { url: string; expiresAt: string; replaced: boolean };
    expect(link.url).toMatch(/^https:\/\//);
    expect(link.replaced).toBe(false);
    const expiresIn = new Date(link.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(29 * 86_400_000);
    expect(expiresIn).toBeLessThanOrEqual(30 * 86_400_000);
    firstUrl = link.url;
    const links = (await emulatorLinks(emulator, shop, customerId)).filter((l) => l.kind === "activation");
    expect(links).toEqual([expect.objectContaining({ url: firstUrl, status: "active" })]);
    firstIssuedAt = (
      await prisma.activationLink.findFirstOrThrow({ where: { shop, customerId } })
    ).issuedAt.toISOString();
  });

  it("a second link without replace is 409 with issuedAt, and the first link stays valid", async () => {
    const answer = await callApi("activationUrl", {
      method: "POST",
      token: token(),
      params: { id: customerId },
      body: { replace: false },
    });
    expect(answer.status).toBe(409);
    expectCors(answer);
    expect(body(answer)).toMatchObject({
      error: expect.stringMatching(/30 days/),
      issuedAt: firstIssuedAt,
      expiresAt: expect.any(String),
    });
    expect(answer.text).not.toContain(firstUrl);
    const links = (await emulatorLinks(emulator, shop, customerId)).filter((l) => l.kind === "activation");
    expect(links).toEqual([expect.objectContaining({ url: firstUrl, status: "active" })]);
    expect(await prisma.activationLink.count({ where: { shop, customerId } })).toBe(1);
  });

  it("with replace: true a new link is issued and the old one is no longer valid", async () => {
    const answer = await callApi("activationUrl", {
      method: "POST",
      token: token(),
      params: { id: customerId },
      body: { replace: true },
    });
    expect(answer.status).toBe(200);
    const link = body(answer) as { url: string; replaced: boolean };
    expect(link.url).not.toBe(firstUrl);
    expect(link.replaced).toBe(true);
    const links = await emulatorLinks(emulator, shop, customerId);
    expect(links.find((l) => l.url === firstUrl)?.status).toBe("superseded");
    expect(links.find((l) => l.url === link.url)?.status).toBe("active");
  });

  it("an enabled customer gets Shopify's refusal (422), and nothing is stored", async () => {
    const enabled = fresh("ENABLED");
    const answer = await callApi("activationUrl", {
      method: "POST",
      token: token(),
      params: { id: enabled.id },
    });
    expect(answer.status).toBe(422);
    expectCors(answer);
    expect(body(answer).error).toEqual(expect.any(String));
    expect(await prisma.activationLink.count({ where: { shop, customerId: enabled.id } })).toBe(0);
  });

  it("GET /api/customers/:id/history answers invites and links newest first, with the state", async () => {
    const answer = await callApi("history", { token: token(), params: { id: customerId } });
    expect(answer.status).toBe(200);
    expectCors(answer);
    const history = body(answer) as {
      customer: { id: string; state: string };
      events: { type: string; at: string; status?: string; replacedAt?: string | null }[];
    };
    expect(history.customer).toEqual({ id: customerId, state: "INVITED" });
    // Link replaced, link, the skipped second invite and the sent first one, newest first.
    expect(history.events.map((e) => e.type)).toEqual([
      "activation_link",
      "activation_link",
      "invite",
      "invite",
    ]);
    const times = history.events.map((e) => new Date(e.at).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(history.events[0]).toMatchObject({ replacedAt: null });
    expect(history.events[1]!.replacedAt).toEqual(expect.any(String));
    expect(history.events.slice(2).map((e) => e.status)).toEqual(["skipped", "sent"]);
    // The history is a record of links, never the links themselves.
    expect(answer.text).not.toContain("https://");
  });
});
