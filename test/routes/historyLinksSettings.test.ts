import { inEnglish } from "../support/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getShopSettings } from "~/models/ShopSettings.server";
import * as historyCsvRoute from "~/routes/app.history.csv";
import * as historyRoute from "~/routes/app.history/route";
import * as linksCsvRoute from "~/routes/app.links.csv";
import * as linksRoute from "~/routes/app.links/route";
import * as settingsRoute from "~/routes/app.settings/route";
import { parseCampaignInput } from "~/services/campaigns/campaignInput";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, installShop } from "../support/invites";
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
      linksCsvRoute.action(
        routeArgs(formPost("/app/links/csv", shop, { source: "ids", customerIds: "1" }, badToken(shop))),
      ),
    );
    await expectRefused(settingsRoute.loader(routeArgs(bearerRequest("/app/settings", badToken(shop)))));
    await expectRefused(settingsRoute.action(routeArgs(formPost("/app/settings", shop, {}, badToken(shop)))));
  });
});

describe("activation links", () => {
  it("answers the form with a CSV download of fresh links, stores none of them, and skips live links unless asked to replace", async () => {
    const all = await customers(emulator, shop);
    const disabled = all.filter((c) => c.state === "DISABLED").slice(0, 3);
    const ids = disabled.map((c) => c.id.split("/").pop()).join("\n");
    // WHEN the merchant generates links for three customers without an account
    const first = await outcome(
      linksCsvRoute.action(routeArgs(formPost("/app/links/csv", shop, { source: "ids", customerIds: ids }))),
    );
    const response = first.response!;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="activation-links-.*\.csv"$/,
    );
    expect(response.headers.get("X-Links-Issued")).toBe("3");
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines[0]).toBe("customerId,status,activationUrl,expiresAt,message");
    const urls = lines.slice(1).map((line) => line.split(",")[2]);
    expect(urls.every((url) => url?.startsWith("https://"))).toBe(true);
    // THEN the ledger holds when they were issued and by whom, never the links
    const recorded = await prisma.activationLink.findMany({ where: { shop } });
    expect(recorded).toHaveLength(3);
    expect(recorded.every((link) => link.issuedBy === "42")).toBe(true);
    expect(JSON.stringify(recorded)).not.toContain(urls[0]);
    // AND a second run skips them (their links stay valid) unless "replace" is checked
    const again = await outcome(
      linksCsvRoute.action(routeArgs(formPost("/app/links/csv", shop, { source: "ids", customerIds: ids }))),
    );
    expect(again.response?.headers.get("X-Links-Skipped")).toBe("3");
    expect(await again.response!.text()).not.toContain("https://");
    const replaced = await outcome(
      linksCsvRoute.action(
        routeArgs(formPost("/app/links/csv", shop, { source: "ids", customerIds: ids, replace: "on" })),
      ),
    );
    expect(replaced.response?.headers.get("X-Links-Issued")).toBe("3");
  });

  it("generates links for the customers a search finds", async () => {
    const all = await customers(emulator, shop);
    const enabled = all.filter((c) => c.state === "ENABLED");
    const result = await outcome(
      linksCsvRoute.action(
        routeArgs(formPost("/app/links/csv", shop, { source: "query", query: "state:enabled" })),
      ),
    );
    const lines = (await result.response!.text()).trim().split("\r\n");
    // Customers who already have an account get no link: Shopify refuses, per customer.
    expect(lines).toHaveLength(enabled.length + 1);
    expect(lines.slice(1).every((line) => line.split(",")[1] === "failed")).toBe(true);
  });

  it("refuses bad input with errors on the fields", async () => {
    const none = await outcome(
      linksCsvRoute.action(routeArgs(formPost("/app/links/csv", shop, { source: "ids", customerIds: "" }))),
    );
    expect(none.status).toBe(400);
    expect(
      ((await none.response!.json()) as { fieldErrors: Record<string, string> }).fieldErrors.customerIds,
    ).toMatch(/at least one/);
    const tooMany = Array.from({ length: 251 }, (_, i) => String(i + 1)).join(",");
    const many = await outcome(
      linksCsvRoute.action(
        routeArgs(formPost("/app/links/csv", shop, { source: "ids", customerIds: tooMany })),
      ),
    );
    expect(
      ((await many.response!.json()) as { fieldErrors: Record<string, string> }).fieldErrors.customerIds,
    ).toMatch(/at most 250/);
    const bad = await outcome(
      linksCsvRoute.action(
        routeArgs(formPost("/app/links/csv", shop, { source: "ids", customerIds: "abc" })),
      ),
    );
    expect(
      ((await bad.response!.json()) as { fieldErrors: Record<string, string> }).fieldErrors.customerIds,
    ).toMatch(/not a customer id/);
    const noQuery = await outcome(
      linksCsvRoute.action(routeArgs(formPost("/app/links/csv", shop, { source: "query", query: " " }))),
    );
    expect(
      ((await noQuery.response!.json()) as { fieldErrors: Record<string, string> }).fieldErrors.query,
    ).toBeTruthy();
    expect((await outcome(linksCsvRoute.loader(routeArgs(bearerGet("/app/links/csv", shop))))).status).toBe(
      405,
    );
    expect(
      (await outcome(linksRoute.loader(routeArgs(embeddedDocumentRequest("/app/links", { shop }))))).body,
    ).toEqual({ max: 250, sendRefusal: null });
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
