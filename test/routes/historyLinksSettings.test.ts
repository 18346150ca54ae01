import { inEnglish } from "../support/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import type { FieldMessages } from "~/i18n/message";
import { getShopSettings } from "~/models/ShopSettings.server";
import * as historyCsvRoute from "~/routes/app.history.csv";
import * as historyRoute from "~/routes/app.history/route";
import * as linksRoute from "~/routes/app.links/route";
import * as settingsRoute from "~/routes/app.settings/route";
import { parseCampaignInput } from "~/services/campaigns/campaignInput";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, installShop, testWorker, waitFor } from "../support/invites";
import { bearerRequest, embeddedDocumentRequest, routeArgs } from "../support/requests";
import { badToken, bearerGet, expectRefused, formPost, outcome } from "./routeHelpers";

// History, Activation links and Settings: loaders and actions as Remix runs them, against the local Shopify.

const shop = "pages-history.myshopify.com";
const otherShop = "pages-history-other.myshopify.com";
let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
  await installShop(emulator, { domain: shop, customers: 40, seed: 21 });
  await installShop(emulator, { domain: otherShop, customers: 5, seed: 22 });
});
afterAll(() => emulator?.close());

type HistoryData = Awaited<ReturnType<typeof historyRoute.loader>>;
const history = async (query = "", forShop = shop) =>
  (
    await outcome(
      historyRoute.loader(routeArgs(embeddedDocumentRequest(`/app/history${query}`, { shop: forShop }))),
    )
  ).body as HistoryData;

describe("authentication", () => {
  it("refuses every loader and action without a valid session token", async () => {
    await expectRefused(historyRoute.loader(routeArgs(bearerRequest("/app/history", null))));
    await expectRefused(historyCsvRoute.loader(routeArgs(bearerRequest("/app/history/csv", badToken(shop)))));
    await expectRefused(linksRoute.loader(routeArgs(bearerRequest("/app/links", null))));
    await expectRefused(
      linksRoute.action(
        routeArgs(formPost("/app/links", shop, { source: "ids", customerIds: "1" }, badToken(shop))),
      ),
    );
    await expectRefused(settingsRoute.loader(routeArgs(bearerRequest("/app/settings", badToken(shop)))));
    await expectRefused(settingsRoute.action(routeArgs(formPost("/app/settings", shop, {}, badToken(shop)))));
  });
});

describe("activation links", () => {
  type LinksPage = Awaited<ReturnType<typeof linksRoute.loader>>;
  const linksPage = async (query = "", userId = "42") =>
    (
      await outcome(
        linksRoute.loader(routeArgs(embeddedDocumentRequest(`/app/links${query}`, { shop, userId }))),
      )
    ).body as LinksPage;

  /** Posts the form and follows the redirect to `?export=<id>`. */
  async function startFromForm(fields: Record<string, string>) {
    const result = await outcome(linksRoute.action(routeArgs(formPost("/app/links", shop, fields))));
    expect(result.status).toBe(302);
    const location = new URL(result.response!.headers.get("Location")!, "https://app.test");
    expect(location.pathname).toBe("/app/links");
    return location.searchParams.get("export")!;
  }

  async function settle(id: string) {
    const worker = testWorker();
    worker.start();
    try {
      await waitFor(async () => (await linksPage(`?export=${id}`)).current?.status === "ready");
    } finally {
      await worker.stop();
    }
  }

  it("starts an export from typed ids, shows its progress to the staff member who asked, and lists it among theirs", async () => {
    const disabled = (await customers(emulator, shop)).filter((c) => c.state === "DISABLED").slice(0, 3);
    const ids = disabled.map((c) => c.id.split("/").pop()).join("\n");
    // WHEN the merchant asks for links for three customers without an account
    const id = await startFromForm({ source: "ids", customerIds: ids });
    // THEN the page shows the export waiting for the worker: nothing was issued in the request
    const waiting = await linksPage(`?export=${id}`);
    expect(waiting.current).toMatchObject({ id, status: "queued", total: 3, downloadable: false });
    expect(await prisma.activationLink.count({ where: { shop } })).toBe(0);
    await settle(id);
    const ready = await linksPage(`?export=${id}`);
    expect(ready.current).toMatchObject({ status: "ready", downloadable: true, counts: { issued: 3 } });
    expect(ready.recent.map((e) => e.id)).toContain(id);
    // AND another staff member sees neither the export nor it in their list
    const other = await linksPage(`?export=${id}`, "43");
    expect(other).toMatchObject({ current: null, missing: true, recent: [] });
    // AND the ledger holds when the links were issued and by whom
    const recorded = await prisma.activationLink.findMany({ where: { shop } });
    expect(recorded).toHaveLength(3);
    expect(recorded.every((link) => link.issuedBy === "42")).toBe(true);

    // WHEN asked again with "replace", the three links are replaced
    const replaced = await startFromForm({ source: "ids", customerIds: ids, replace: "on" });
    await settle(replaced);
    expect((await linksPage(`?export=${replaced}`)).current).toMatchObject({
      replace: true,
      counts: { issued: 3 },
    });
    expect(await prisma.activationLink.count({ where: { shop, replacedAt: { not: null } } })).toBe(3);
  });

  it("starts an export from a search, which the worker resolves", async () => {
    const id = await startFromForm({ source: "query", query: "state:enabled" });
    expect((await linksPage(`?export=${id}`)).current).toMatchObject({
      source: "query",
      query: "state:enabled",
    });
  });

  it("refuses bad input with errors on the fields", async () => {
    const fieldsOf = async (fields: Record<string, string>) => {
      const result = await outcome(linksRoute.action(routeArgs(formPost("/app/links", shop, fields))));
      expect(result.status).toBe(400);
      return inEnglish((result.body as { errors: FieldMessages }).errors);
    };
    expect((await fieldsOf({ source: "ids", customerIds: "" })).customerIds).toMatch(/at least one/);
    const tooMany = Array.from({ length: 1_001 }, (_, i) => String(i + 1)).join(",");
    expect((await fieldsOf({ source: "ids", customerIds: tooMany })).customerIds).toMatch(/at most 1,000/);
    expect((await fieldsOf({ source: "ids", customerIds: "abc" })).customerIds).toMatch(/not a customer id/);
    expect((await fieldsOf({ source: "query", query: " " })).query).toBeTruthy();
    expect((await fieldsOf({ source: "query", query: "tags:vip" })).query).toMatch(/tags/);
    expect(await linksPage()).toMatchObject({ max: 1_000, sendRefusal: null });
  });
});

describe("history", () => {
  it("lists sends and links newest first, filtered by customer, staff, kind and dates, and only this shop's", async () => {
    const all = await customers(emulator, shop);
    const input = parseCampaignInput({
      customerIds: all.slice(0, 5).map((c) => c.id),
      idempotencyKey: "history",
    });
    if (!input.success) throw new Error("bad input");
    await createCampaign({ shop, requestedBy: "77", input: input.data });
    const others = await customers(emulator, otherShop);
    const theirs = parseCampaignInput({ customerIds: [others[0]!.id], idempotencyKey: "theirs" });
    if (!theirs.success) throw new Error("bad input");
    await createCampaign({ shop: otherShop, requestedBy: "77", input: theirs.data });

    const everything = await history();
    expect(everything.errors).toBeNull();
    expect(everything.rows.filter((r) => r.kind === "invite")).toHaveLength(5);
    expect(everything.rows.filter((r) => r.kind === "activation_link").length).toBeGreaterThanOrEqual(6);
    expect(everything.rows.some((r) => r.customerId === others[0]!.id && r.kind === "invite")).toBe(false);
    const times = everything.rows.map((r) => new Date(r.at).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    expect((await history("?kind=invite&staff=77")).rows).toHaveLength(5);
    expect((await history("?staff=nobody")).rows).toHaveLength(0);
    const one = all[0]!.id.split("/").pop();
    const forOne = await history(`?customerId=${one}&kind=invite`);
    expect(forOne.rows.map((r) => r.customerId)).toEqual([all[0]!.id]);
    expect((await history("?from=2000-01-01&to=2000-01-02")).rows).toHaveLength(0);
    const today = new Date().toISOString().slice(0, 10);
    expect((await history(`?from=${today}&to=${today}&kind=invite`)).rows).toHaveLength(5);
  });

  it("shows filter errors on their fields", async () => {
    const bad = await history("?customerId=abc&from=2026-13-45&kind=email");
    expect(Object.keys(bad.errors ?? {}).sort()).toEqual(["customerId", "from", "kind"]);
    const reversed = await history("?from=2026-02-01&to=2026-01-01");
    expect(inEnglish(reversed.errors ?? {}).to).toMatch(/after the end/);
    const csv = await outcome(
      historyCsvRoute.loader(routeArgs(bearerGet("/app/history/csv?from=nope", shop))),
    );
    expect(csv.status).toBe(400);
  });

  it("exports the filtered history as CSV", async () => {
    const { response } = await outcome(
      historyCsvRoute.loader(routeArgs(bearerGet("/app/history/csv?kind=invite", shop))),
    );
    expect(response?.headers.get("Content-Type")).toMatch(/^text\/csv/);
    const lines = (await response!.text()).trim().split("\r\n");
    expect(lines[0]).toBe(
      "kind,at,customerId,staff,status,reason,message,campaignId,expiresAt,origin,outcome,outcomeAt",
    );
    expect(lines).toHaveLength(6);
    expect(lines.slice(1).every((line) => line.startsWith("invite,"))).toBe(true);
  });
});

describe("settings", () => {
  it("loads the defaults, saves valid values and reads them back", async () => {
    const loaded = await outcome(
      settingsRoute.loader(routeArgs(embeddedDocumentRequest("/app/settings", { shop }))),
    );
    expect(loaded.body).toEqual({
      settings: {
        reinviteWindowHours: 24,
        defaultSubject: null,
        defaultCustomMessage: null,
        campaignCap: null,
      },
    });
    const saved = await outcome(
      settingsRoute.action(
        routeArgs(
          formPost("/app/settings", shop, {
            defaultSubject: "Activate your account",
            defaultCustomMessage: "We moved stores.",
            reinviteWindowHours: "48",
            campaignCap: "10,000",
          }),
        ),
      ),
    );
    expect(saved).toMatchObject({ status: 200, body: { ok: true } });
    expect(await getShopSettings({ shop })).toEqual({
      reinviteWindowHours: 48,
      defaultSubject: "Activate your account",
      defaultCustomMessage: "We moved stores.",
      campaignCap: 10_000,
    });
    expect(await getShopSettings({ shop: otherShop })).toMatchObject({
      reinviteWindowHours: 24,
      campaignCap: null,
    });
  });

  it("refuses invalid values with an error on each field and saves nothing", async () => {
    const refused = await outcome(
      settingsRoute.action(
        routeArgs(
          formPost("/app/settings", shop, {
            defaultSubject: "x".repeat(256),
            defaultCustomMessage: "",
            reinviteWindowHours: "0",
            campaignCap: "-5",
          }),
        ),
      ),
    );
    expect(refused.status).toBe(400);
    const errors = (refused.body as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors).sort()).toEqual(["campaignCap", "defaultSubject", "reinviteWindowHours"]);
    expect((await getShopSettings({ shop })).reinviteWindowHours).toBe(48);
  });
});
