import type { Message } from "~/i18n/message";
import { english, render } from "~/i18n/translate.server";
import { inEnglish } from "../support/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { saveShopSettings } from "~/models/ShopSettings.server";
import * as csvRoute from "~/routes/app.campaigns.$id.csv";
import * as detailRoute from "~/routes/app.campaigns.$id/route";
import * as listRoute from "~/routes/app.campaigns._index/route";
import * as newRoute from "~/routes/app.campaigns.new/route";
import * as overviewRoute from "~/routes/app._index/route";
import { parseCampaignInput } from "~/services/campaigns/campaignInput";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, installShop, testWorker } from "../support/invites";
import { bearerRequest, embeddedDocumentRequest, routeArgs } from "../support/requests";
import { badToken, bearerGet, expectRefused, formPost, outcome } from "./routeHelpers";

// The campaign pages' loaders and actions, run as Remix runs them, against the local Shopify.

const shop = "pages-campaigns.myshopify.com";
const otherShop = "pages-other.myshopify.com";
let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
  await installShop(emulator, {
    domain: shop,
    customers: 120,
    seed: 11,
    custom: { maximumAvailable: 2_000, restoreRate: 20_000 },
  });
  await installShop(emulator, { domain: otherShop, customers: 5, seed: 12 });
});
afterAll(() => emulator?.close());

async function selectionCampaign(forShop: string, ids: string[], key: string) {
  const input = parseCampaignInput({ customerIds: ids, idempotencyKey: key });
  if (!input.success) throw new Error(JSON.stringify(input.errors));
  return (await createCampaign({ shop: forShop, requestedBy: "42", input: input.data })).campaign;
}

describe("every page refuses a request without a valid session token", () => {
  it("refuses loaders and actions with no token or a token signed with another secret", async () => {
    await expectRefused(overviewRoute.loader(routeArgs(bearerRequest("/app", null))));
    await expectRefused(listRoute.loader(routeArgs(bearerRequest("/app/campaigns", badToken(shop)))));
    await expectRefused(newRoute.loader(routeArgs(bearerRequest("/app/campaigns/new", null))));
    await expectRefused(
      newRoute.action(
        routeArgs(formPost("/app/campaigns/new", shop, { query: "state:disabled" }, badToken(shop))),
      ),
    );
    await expectRefused(
      detailRoute.loader(routeArgs(bearerRequest("/app/campaigns/x", null), { id: "abcdefghijkl" })),
    );
    await expectRefused(
      detailRoute.action(
        routeArgs(formPost("/app/campaigns/x", shop, { intent: "pause" }, badToken(shop)), {
          id: "abcdefghijkl",
        }),
      ),
    );
    await expectRefused(
      csvRoute.loader(
        routeArgs(bearerRequest("/app/campaigns/x/csv", badToken(shop)), { id: "abcdefghijkl" }),
      ),
    );
  });
});

describe("the overview", () => {
  it("shows the account-state breakdown from Shopify's counts and the ledger's figures", async () => {
    const all = await customers(emulator, shop);
    const { body } = await outcome(
      overviewRoute.loader(routeArgs(embeddedDocumentRequest("/app", { shop }))),
    );
    const overview = body as Awaited<ReturnType<typeof overviewRoute.loader>>;
    expect(overview.shop.accountsMode).toBe("classic");
    expect(overview.states).toEqual({
      DISABLED: all.filter((c) => c.state === "DISABLED").length,
      INVITED: all.filter((c) => c.state === "INVITED").length,
      ENABLED: all.filter((c) => c.state === "ENABLED").length,
      DECLINED: all.filter((c) => c.state === "DECLINED").length,
    });
    expect(overview.ledger).toMatchObject({ invitesSent: 0, activationsSince: null, activationLinks: 0 });
    expect(overview.recentCampaigns).toEqual([]);
  });
});

describe("the new campaign page", () => {
  it("gives the page a fresh idempotency key and the shop's default email", async () => {
    await saveShopSettings({ shop, values: { defaultSubject: "Welcome back" } });
    const { body } = await outcome(
      newRoute.loader(routeArgs(embeddedDocumentRequest("/app/campaigns/new", { shop }))),
    );
    const first = body as Awaited<ReturnType<typeof newRoute.loader>>;
    expect(first.page?.defaults.subject).toBe("Welcome back");
    expect(first.page?.idempotencyKey).toMatch(/^page:/);
    const again = await outcome(
      newRoute.loader(routeArgs(embeddedDocumentRequest("/app/campaigns/new", { shop }))),
    );
    expect((again.body as typeof first).page?.idempotencyKey).not.toBe(first.page?.idempotencyKey);
  });

  it("counts the customers an audience matches and dry-runs a labelled sample", async () => {
    const all = await customers(emulator, shop);
    const disabled = all.filter((c) => c.state === "DISABLED");
    const { body } = await outcome(
      newRoute.loader(routeArgs(bearerGet("/app/campaigns/new?estimate=1&states=DISABLED&preview=1", shop))),
    );
    const { estimate } = body as Awaited<ReturnType<typeof newRoute.loader>>;
    expect(estimate?.search).toBe("state:disabled");
    expect(estimate?.count).toEqual({ count: disabled.length, exact: true });
    expect(estimate?.sample).toMatchObject({ sampled: disabled.length, more: false });
    expect(estimate?.sample?.eligible).toBe(disabled.filter((c) => c.email).length);
    expect(estimate?.sample?.byReason.NO_EMAIL ?? 0).toBe(disabled.filter((c) => !c.email).length);
  });

  it("refuses an empty audience and a subject that is too long, on their fields", async () => {
    const empty = await outcome(
      newRoute.action(
        routeArgs(
          formPost("/app/campaigns/new", shop, { idempotencyKey: "k-empty", subject: "", message: "" }),
        ),
      ),
    );
    expect(empty.status).toBe(400);
    expect(inEnglish((empty.body as { errors: Record<string, Message> }).errors).audience).toMatch(/choose/);
    const long = await outcome(
      newRoute.action(
        routeArgs(
          formPost("/app/campaigns/new", shop, {
            states: "DISABLED",
            idempotencyKey: "k-long",
            subject: "x".repeat(300),
            message: "",
          }),
        ),
      ),
    );
    expect(long.status).toBe(400);
    expect(inEnglish((long.body as { errors: Record<string, Message> }).errors).subject).toMatch(
      /at most 255/,
    );
  });

  it("refuses HTML in the message on its field, recording nothing (a live store refuses every invite)", async () => {
    const before = await prisma.campaign.count({ where: { shop } });
    const html = await outcome(
      newRoute.action(
        routeArgs(
          formPost("/app/campaigns/new", shop, {
            states: "DISABLED",
            idempotencyKey: "k-html",
            subject: "",
            message: "<b>Welcome</b>",
          }),
        ),
      ),
    );
    expect(html.status).toBe(400);
    expect(inEnglish((html.body as { errors: Record<string, Message> }).errors).message).toMatch(
      /plain text only/,
    );
    expect(await prisma.campaign.count({ where: { shop } })).toBe(before);
  });

  it("refuses an audience above the shop's cap", async () => {
    await saveShopSettings({ shop, values: { campaignCap: 3 } });
    const capped = await outcome(
      newRoute.action(
        routeArgs(
          formPost("/app/campaigns/new", shop, {
            states: "DISABLED",
            idempotencyKey: "k-cap",
            subject: "",
            message: "",
          }),
        ),
      ),
    );
    await saveShopSettings({ shop, values: { campaignCap: null } });
    expect(capped.status).toBe(400);
    expect(inEnglish((capped.body as { errors: Record<string, Message> }).errors).audience).toMatch(
      /above your cap of 3/,
    );
  });

  it("records a query campaign once per idempotency key and redirects to it", async () => {
    const form = {
      states: ["DISABLED", "INVITED"],
      tags: "",
      query: "",
      idempotencyKey: "page:same",
      subject: "Hi",
      message: "",
    };
    const first = await outcome(newRoute.action(routeArgs(formPost("/app/campaigns/new", shop, form))));
    expect(first.status).toBe(302);
    const location = first.response?.headers.get("Location") ?? "";
    expect(location).toMatch(/\/app\/campaigns\/\w+\?created=1/);
    const second = await outcome(newRoute.action(routeArgs(formPost("/app/campaigns/new", shop, form))));
    expect(second.response?.headers.get("Location")).toMatch(/\?existing=1/);
    const campaigns = await prisma.campaign.findMany({ where: { shop, idempotencyKey: "page:same" } });
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]).toMatchObject({
      source: "query",
      query: "(state:disabled OR state:invited)",
      emailSubject: "Hi",
    });
    expect(location).toContain(campaigns[0]!.id);
  });
});

describe("the campaign page", () => {
  it("answers 404 for another shop's campaign and for an id that is not one", async () => {
    const others = await customers(emulator, otherShop);
    const theirs = await selectionCampaign(otherShop, [others[0]!.id], "theirs");
    const read = await outcome(
      detailRoute.loader(routeArgs(bearerGet(`/app/campaigns/${theirs.id}`, shop), { id: theirs.id })),
    );
    expect(read.status).toBe(404);
    const act = await outcome(
      detailRoute.action(
        routeArgs(formPost(`/app/campaigns/${theirs.id}`, shop, { intent: "cancel" }), { id: theirs.id }),
      ),
    );
    expect(act.status).toBe(404);
    expect((await prisma.campaign.findUnique({ where: { id: theirs.id } }))?.status).toBe("queued");
    const csv = await outcome(
      csvRoute.loader(routeArgs(bearerGet(`/app/campaigns/${theirs.id}/csv`, shop), { id: theirs.id })),
    );
    expect(csv.status).toBe(404);
    const bogus = await outcome(
      detailRoute.loader(routeArgs(bearerGet("/app/campaigns/..", shop), { id: ".." })),
    );
    expect(bogus.status).toBe(404);
  });

  it("pages the recipients 50 at a time, forward and back, filtered by status", async () => {
    const all = await customers(emulator, shop);
    const campaign = await selectionCampaign(
      shop,
      all.slice(0, 120).map((c) => c.id),
      "paging",
    );
    const load = async (query: string) =>
      (
        await outcome(
          detailRoute.loader(
            routeArgs(bearerGet(`/app/campaigns/${campaign.id}${query}`, shop), { id: campaign.id }),
          ),
        )
      ).body as Awaited<ReturnType<typeof detailRoute.loader>>;
    const first = await load("");
    expect(first.recipients).toHaveLength(50);
    expect(first.page.previous).toBeNull();
    const second = await load(`?after=${first.page.next}`);
    const third = await load(`?after=${second.page.next}`);
    expect(third.recipients).toHaveLength(20);
    expect(third.page.next).toBeNull();
    const ids = [...first.recipients, ...second.recipients, ...third.recipients].map((r) => r.id);
    expect(new Set(ids).size).toBe(120);
    const back = await load(`?before=${third.page.previous}`);
    expect(back.recipients.map((r) => r.id)).toEqual(second.recipients.map((r) => r.id));
    const failed = await load("?status=failed");
    expect(failed.recipients).toEqual([]);
    const queued = await load("?status=queued");
    expect(queued.recipients).toHaveLength(50);
    expect(queued.campaign.counts.queued).toBe(120);
  });

  it("pauses, resumes and cancels with the campaign services, and says when nothing changed", async () => {
    const all = await customers(emulator, shop);
    const campaign = await selectionCampaign(shop, [all[0]!.id, all[1]!.id], "controls");
    const act = async (intent: string) => {
      const answer = await outcome(
        detailRoute.action(
          routeArgs(formPost(`/app/campaigns/${campaign.id}`, shop, { intent }), { id: campaign.id }),
        ),
      );
      // The page renders the message in the merchant's language: read it in English.
      const body = answer.body as { message?: Message };
      return body.message
        ? { ...answer, body: { ...body, message: render(english(), body.message) } }
        : answer;
    };
    expect(await act("pause")).toMatchObject({ status: 200, body: { ok: true, message: "Campaign paused" } });
    expect(await act("pause")).toMatchObject({ status: 409, body: { ok: false } });
    expect(await act("resume")).toMatchObject({
      status: 200,
      body: { ok: true, message: "Campaign resumed" },
    });
    expect(await act("cancel")).toMatchObject({
      status: 200,
      body: { ok: true, message: "Campaign cancelled" },
    });
    expect(await act("explode")).toMatchObject({ status: 400 });
    const after = await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(after).toMatchObject({ status: "cancelled", skippedCount: 2, queuedCount: 0 });
  });

  it("retries failed recipients as one new campaign, however often the button is pressed", async () => {
    const all = await customers(emulator, shop);
    const campaign = await selectionCampaign(
      shop,
      all.slice(0, 4).map((c) => c.id),
      "to-retry",
    );
    // GIVEN a finished campaign in which two invites failed
    const rows = await prisma.recipient.findMany({
      where: { campaignId: campaign.id },
      orderBy: { id: "asc" },
    });
    await prisma.recipient.updateMany({
      where: { id: { in: rows.slice(0, 2).map((r) => r.id) } },
      data: { status: "failed", reasonCode: "SHOPIFY_ERROR" },
    });
    await prisma.recipient.updateMany({
      where: { id: { in: rows.slice(2).map((r) => r.id) } },
      data: { status: "sent" },
    });
    await prisma.campaign.update({
      where: { id: campaign.id },
      data: { status: "completed", queuedCount: 0, failedCount: 2, sentCount: 2 },
    });
    // WHEN the merchant presses "Retry failed" twice
    const press = () =>
      outcome(
        detailRoute.action(
          routeArgs(formPost(`/app/campaigns/${campaign.id}`, shop, { intent: "retry" }), {
            id: campaign.id,
          }),
        ),
      );
    const [a, b] = await Promise.all([press(), press()]);
    // THEN one retry campaign holds exactly the failed customers
    const retries = await prisma.campaign.findMany({
      where: { shop, idempotencyKey: `retry-failed:${campaign.id}` },
    });
    expect(retries).toHaveLength(1);
    expect(a.response?.headers.get("Location")).toContain(retries[0]!.id);
    expect(b.response?.headers.get("Location")).toContain(retries[0]!.id);
    const retried = await prisma.recipient.findMany({ where: { campaignId: retries[0]!.id } });
    expect(retried.map((r) => r.customerId).sort()).toEqual(
      rows
        .slice(0, 2)
        .map((r) => r.customerId)
        .sort(),
    );
  });

  it("exports every recipient as CSV with the documented columns", async () => {
    const all = await customers(emulator, shop);
    const campaign = await selectionCampaign(
      shop,
      all.slice(0, 30).map((c) => c.id),
      "export",
    );
    await testWorker().runOnce();
    const { response } = await outcome(
      csvRoute.loader(routeArgs(bearerGet(`/app/campaigns/${campaign.id}/csv`, shop), { id: campaign.id })),
    );
    expect(response?.status).toBe(200);
    expect(response?.headers.get("Content-Type")).toMatch(/^text\/csv/);
    expect(response?.headers.get("Content-Disposition")).toBe(
      `attachment; filename="campaign-${campaign.id}.csv"`,
    );
    const lines = (await response!.text()).trim().split("\r\n");
    expect(lines[0]).toBe("customerId,status,reason,message,attempts,finishedAt");
    expect(lines).toHaveLength(31);
    const statuses = new Set(lines.slice(1).map((line) => line.split(",")[1]));
    for (const status of statuses) expect(["sent", "skipped", "failed"]).toContain(status);
  });

  it("lists the shop's campaigns newest first and never another shop's", async () => {
    const { body } = await outcome(
      listRoute.loader(routeArgs(embeddedDocumentRequest("/app/campaigns", { shop }))),
    );
    const { campaigns } = body as Awaited<ReturnType<typeof listRoute.loader>>;
    expect(campaigns.length).toBeGreaterThan(3);
    const times = campaigns.map((c) => new Date(c.createdAt).getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    const theirs = await prisma.campaign.findMany({ where: { shop: otherShop }, select: { id: true } });
    for (const { id } of theirs) expect(campaigns.map((c) => c.id)).not.toContain(id);
  });
});
