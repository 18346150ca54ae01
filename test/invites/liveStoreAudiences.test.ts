import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import * as newRoute from "~/routes/app.campaigns.new/route";
import * as overviewRoute from "~/routes/app._index/route";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { countBy, installShop, outbox, testWorker } from "../support/invites";
import { inEnglish } from "../support/messages";
import { embeddedDocumentRequest, routeArgs } from "../support/requests";
import { bearerGet, formPost, outcome } from "../routes/routeHelpers";
import type { Message } from "~/i18n/message";

// Audiences that are right on a live store, where `customersCount(query:)` ignores state and tag filters
// (it counts every customer), unknown search fields are ignored with a warning, and customer search
// groups with parentheses. The emulator behaves like that (emulator/README.md, "Search syntax").

const shop = "live-audiences.myshopify.com";
let emulator: TestEmulator;

interface FullCustomer {
  id: string;
  state: string;
  email: string | null;
  tags: string[];
}

async function allCustomers(): Promise<FullCustomer[]> {
  return (await emulator.control<{ customers: FullCustomer[] }>("GET", `customers?shop=${shop}&limit=10000`))
    .customers;
}

beforeAll(async () => {
  emulator = await startTestEmulator();
  await installShop(emulator, { domain: shop, customers: 300, seed: 61 });
  // Tags a and b on some customers, in every state
  const list = await allCustomers();
  for (const [index, customer] of list.entries()) {
    const tags = index % 5 === 0 ? ["a"] : index % 7 === 0 ? ["b"] : index % 11 === 0 ? ["a", "b"] : [];
    if (tags.length > 0)
      await emulator.control("PATCH", `customers/${encodeURIComponent(customer.id)}?shop=${shop}`, { tags });
  }
});
afterAll(() => emulator?.close());

async function estimate(params: Record<string, string | string[]>) {
  const search = new URLSearchParams({ estimate: "1" });
  for (const [key, value] of Object.entries(params))
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
  const answer = await outcome(newRoute.loader(routeArgs(bearerGet(`/app/campaigns/new?${search}`, shop))));
  return (
    answer.body as {
      estimate: { count: { count: number; exact: boolean } | null; searchError: Message | null };
    }
  ).estimate;
}

describe("counts a live store supports", () => {
  it("the overview's account states are right although customersCount ignores state filters", async () => {
    const list = await allCustomers();
    const answer = await outcome(overviewRoute.loader(routeArgs(embeddedDocumentRequest("/app", { shop }))));
    const states = (answer.body as { states: Record<string, number> | null }).states;
    const expected = countBy(list, (c) => c.state);
    expect(states).toEqual({
      DISABLED: expected.get("DISABLED") ?? 0,
      INVITED: expected.get("INVITED") ?? 0,
      ENABLED: expected.get("ENABLED") ?? 0,
      DECLINED: expected.get("DECLINED") ?? 0,
    });
  });

  it("the New campaign page counts an audience of states and tags exactly", async () => {
    const list = await allCustomers();
    const result = await estimate({ states: ["DISABLED", "INVITED"], tags: "a" });
    const expected = list.filter((c) => ["DISABLED", "INVITED"].includes(c.state) && c.tags.includes("a"));
    expect(result.count).toEqual({ count: expected.length, exact: true });
    expect(expected.length).toBeLessThan(list.length);
  });
});

describe("a search Shopify would partly ignore", () => {
  it("is refused with the warning shown, and nothing is recorded", async () => {
    const result = await estimate({ query: "tags:vip" });
    expect(result.count).toBeNull();
    expect(inEnglish({ search: result.searchError! }).search).toContain("“tags”");
    const before = await prisma.campaign.count({ where: { shop } });
    const create = await outcome(
      newRoute.action(
        routeArgs(
          formPost("/app/campaigns/new", shop, {
            query: "tags:vip",
            idempotencyKey: "typo",
            subject: "",
            message: "",
          }),
        ),
      ),
    );
    expect(create.status).toBe(400);
    expect(inEnglish((create.body as { errors: Record<string, Message> }).errors).audience).toContain("tags");
    expect(await prisma.campaign.count({ where: { shop } })).toBe(before);
  });
});

describe("several states with an OR search", () => {
  it("targets exactly the customers the merchant chose", async () => {
    const list = await allCustomers();
    const form = {
      states: ["DISABLED", "DECLINED"],
      includeDeclined: "on",
      query: "tag:a OR tag:b",
      idempotencyKey: "or-search",
      subject: "",
      message: "",
      confirmed: "yes",
    };
    const created = await outcome(newRoute.action(routeArgs(formPost("/app/campaigns/new", shop, form))));
    expect(created.status).toBe(302);
    await testWorker().runOnce();
    const expected = list.filter(
      (c) =>
        ["DISABLED", "DECLINED"].includes(c.state) &&
        c.email &&
        (c.tags.includes("a") || c.tags.includes("b")),
    );
    const sent = new Set((await outbox(emulator, shop)).map((e) => e.customerId));
    expect(sent).toEqual(new Set(expected.map((c) => c.id)));
  });
});
