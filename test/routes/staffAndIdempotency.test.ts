import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { english } from "~/i18n/translate.server";
import * as linksCsvRoute from "~/routes/app.links.$id.csv";
import * as linksRoute from "~/routes/app.links/route";
import * as detailRoute from "~/routes/app.campaigns.$id/route";
import * as newRoute from "~/routes/app.campaigns.new/route";
import { forgetStaffPermissions } from "~/services/staff/staffPermissions.server";
import { callApi, emulatorLinks, outboxSize, storedCounts } from "../support/api";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, installShop, type EmulatorCustomer } from "../support/invites";
import { bearerRequest, routeArgs } from "../support/requests";
import { signSessionToken } from "../support/sessionToken";
import { formPost, outcome } from "./routeHelpers";

// The app's pages with staff permissions (decision 008): a staff member without customer-write
// permission sees the pages with the reason and is refused the actions that send or issue links (403,
// nothing recorded); a permitted one is not. And idempotency keys like Stripe's: the same key with
// another request is refused (422), the same key and request returns the same campaign.

const shop = "pages-staff.myshopify.com";
let emulator: TestEmulator;
let owner: string;
let viewer: string;
let eligible: EmulatorCustomer[];

beforeAll(async () => {
  emulator = await startTestEmulator();
  await installShop(emulator, {
    domain: shop,
    customers: 40,
    seed: 41,
    staff: [{ email: "viewer@pages-staff.example.com", firstName: "Vic", permissions: ["read_customers"] }],
  });
  [owner, viewer] = (await emulator.staff(shop)).map((m) => m.id) as [string, string];
  eligible = (await customers(emulator, shop)).filter((c) => c.state === "DISABLED" && c.email);
});
afterAll(() => emulator?.close());
beforeEach(() => forgetStaffPermissions());

const tokenOf = (userId: string) => signSessionToken({ shop, userId });
const get = (path: string, userId: string) => bearerRequest(path, tokenOf(userId));
const post = (path: string, userId: string, fields: Record<string, string | string[]>) =>
  formPost(path, shop, fields, tokenOf(userId));

async function sideEffects() {
  return {
    stored: await storedCounts(shop),
    outbox: await outboxSize(emulator, shop),
    links: (await emulatorLinks(emulator, shop)).length,
  };
}

const newCampaignForm = (key: string, subject = "Welcome") => ({
  states: ["DISABLED"],
  tags: "",
  query: "",
  idempotencyKey: key,
  subject,
  message: "",
  confirmed: "yes",
});

async function ownerCampaign(key: string, ids: string[]) {
  const created = await callApi("campaigns", {
    method: "POST",
    token: { shop, userId: owner },
    body: { customerIds: ids, idempotencyKey: key },
  });
  return (created.json as { campaign: { id: string } }).campaign.id;
}

describe("a staff member without customer-write permission, on the pages", () => {
  it("sees the New campaign page with the reason, and is refused the create (403, nothing recorded)", async () => {
    const page = await outcome(newRoute.loader(routeArgs(get("/app/campaigns/new", viewer))));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ page: { sendRefusal: "customerWriteRequired" } });
    const before = await sideEffects();
    const refused = await outcome(
      newRoute.action(routeArgs(post("/app/campaigns/new", viewer, newCampaignForm("page:viewer")))),
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ sendRefusal: "customerWriteRequired" });
    expect(await sideEffects()).toEqual(before);
  });

  it("sees a campaign, may pause it, and is refused resume, retry and the uncertain-invite choices", async () => {
    const id = await ownerCampaign("owner:detail", [eligible[0]!.id, eligible[1]!.id]);
    const page = await outcome(detailRoute.loader(routeArgs(get(`/app/campaigns/${id}`, viewer), { id })));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ sendRefusal: "customerWriteRequired" });
    const pause = await outcome(
      detailRoute.action(routeArgs(post(`/app/campaigns/${id}`, viewer, { intent: "pause" }), { id })),
    );
    expect(pause.status).toBe(200);
    for (const intent of ["resume", "retry", "resend-uncertain", "mark-sent"]) {
      const refused = await outcome(
        detailRoute.action(routeArgs(post(`/app/campaigns/${id}`, viewer, { intent }), { id })),
      );
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        ok: false,
        message: { key: "staff.customerWriteRequired.title" },
        sendRefusal: "customerWriteRequired",
      });
    }
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).status).toBe("paused");
  });

  it("sees the Activation links page with the reason, and is refused the links (403, none issued)", async () => {
    const page = await outcome(linksRoute.loader(routeArgs(get("/app/links", viewer))));
    expect(page.body).toMatchObject({ sendRefusal: "customerWriteRequired" });
    const before = await sideEffects();
    const exports = await prisma.linkExport.count({ where: { shop } });
    const refused = await outcome(
      linksRoute.action(
        routeArgs(post("/app/links?locale=fr", viewer, { source: "ids", customerIds: eligible[2]!.id })),
      ),
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      refusal: "customerWriteRequired",
      errors: { form: { key: "api.customerWriteRequired" } },
    });
    expect(await sideEffects()).toEqual(before);
    expect(await prisma.linkExport.count({ where: { shop } })).toBe(exports);
  });
});

describe("a staff member with customer-write permission, on the same pages", () => {
  it("sees no refusal and may create, resume and issue links", async () => {
    const page = await outcome(newRoute.loader(routeArgs(get("/app/campaigns/new", owner))));
    expect(page.body).toMatchObject({ page: { sendRefusal: null } });
    const created = await outcome(
      newRoute.action(routeArgs(post("/app/campaigns/new", owner, newCampaignForm("page:owner")))),
    );
    expect(created.status).toBe(302);
    const id = await ownerCampaign("owner:resume", [eligible[3]!.id]);
    await outcome(
      detailRoute.action(routeArgs(post(`/app/campaigns/${id}`, owner, { intent: "pause" }), { id })),
    );
    const resumed = await outcome(
      detailRoute.action(routeArgs(post(`/app/campaigns/${id}`, owner, { intent: "resume" }), { id })),
    );
    expect(resumed.status).toBe(200);
    expect((await outcome(linksRoute.loader(routeArgs(get("/app/links", owner))))).body).toMatchObject({
      sendRefusal: null,
    });
    const started = await outcome(
      linksRoute.action(
        routeArgs(post("/app/links", owner, { source: "ids", customerIds: eligible[4]!.id })),
      ),
    );
    expect(started.status).toBe(302);
    const exportId = new URL(started.response!.headers.get("Location")!, "https://app.test").searchParams.get(
      "export",
    )!;
    expect(await prisma.linkExport.count({ where: { shop, id: exportId, requestedBy: owner } })).toBe(1);
    // AND a staff member without the permission is refused the download route before anything else
    const download = await outcome(
      linksCsvRoute.loader(routeArgs(get(`/app/links/${exportId}/csv?locale=fr`, viewer), { id: exportId })),
    );
    expect(download.status).toBe(403);
    expect(await download.response!.text()).toMatch(
      /autorisation Shopify de créer et de modifier des clients/,
    );
  });
});

describe("idempotency keys like Stripe's", () => {
  const body = (key: string, ids: string[], subject?: string) => ({
    customerIds: ids,
    idempotencyKey: key,
    ...(subject ? { email: { subject } } : {}),
  });

  it("JSON API: the same key and body return the same campaign; another body gets 422 and changes nothing", async () => {
    const ids = [eligible[5]!.id, eligible[6]!.id];
    const first = await callApi("campaigns", {
      method: "POST",
      token: { shop, userId: owner },
      body: body("k1", ids),
    });
    expect(first.status).toBe(202);
    const campaign = (first.json as { campaign: { id: string } }).campaign;
    // The same request, its keys in another order: the same campaign, 200.
    const again = await callApi("campaigns", {
      method: "POST",
      token: { shop, userId: owner },
      body: { idempotencyKey: "k1", customerIds: ids },
    });
    expect(again.status).toBe(200);
    expect((again.json as { campaign: { id: string } }).campaign.id).toBe(campaign.id);
    const before = await sideEffects();
    for (const other of [body("k1", [eligible[5]!.id]), body("k1", ids, "Another subject")]) {
      const reused = await callApi("campaigns", {
        method: "POST",
        token: { shop, userId: owner },
        body: other,
      });
      expect(reused.status).toBe(422);
      expect(reused.json).toEqual({
        error: english()("api.idempotencyKeyReused"),
        code: "IDEMPOTENCY_KEY_REUSED",
      });
    }
    expect(await sideEffects()).toEqual(before);
    const stored = await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(stored.requestFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.emailSubject).toBeNull();
  });

  it("treats a campaign recorded before fingerprints as matching any request with its key", async () => {
    const id = await ownerCampaign("k-old", [eligible[7]!.id]);
    await prisma.campaign.update({ where: { id }, data: { requestFingerprint: null } });
    const replay = await callApi("campaigns", {
      method: "POST",
      token: { shop, userId: owner },
      body: body("k-old", [eligible[8]!.id]),
    });
    expect(replay.status).toBe(200);
    expect((replay.json as { campaign: { id: string } }).campaign.id).toBe(id);
  });

  it("the New campaign page: the same key with another audience or subject gets 422 and a message", async () => {
    const first = await outcome(
      newRoute.action(routeArgs(post("/app/campaigns/new", owner, newCampaignForm("page:k", "First")))),
    );
    expect(first.status).toBe(302);
    const same = await outcome(
      newRoute.action(routeArgs(post("/app/campaigns/new", owner, newCampaignForm("page:k", "First")))),
    );
    expect(same.response?.headers.get("Location")).toMatch(/\?existing=1/);
    const reused = await outcome(
      newRoute.action(routeArgs(post("/app/campaigns/new", owner, newCampaignForm("page:k", "Changed")))),
    );
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ errors: { form: { key: "newCampaign.keyReused" } } });
    expect(await prisma.campaign.count({ where: { shop, idempotencyKey: "page:k" } })).toBe(1);
  });

  it("the single invite: the dialog's key with other email options gets 422, nothing sent twice", async () => {
    const customer = eligible[9]!.id;
    const send = (email?: { subject: string }) =>
      callApi("invite", {
        method: "POST",
        token: { shop, userId: owner },
        params: { id: customer },
        body: { idempotencyKey: "dialog-1", ...(email ? { email } : {}) },
      });
    const first = await send({ subject: "Hello" });
    expect(first.json).toMatchObject({ result: { status: "sent" } });
    const outboxAfterFirst = await outboxSize(emulator, shop);
    expect((await send({ subject: "Hello" })).json).toMatchObject({ result: { status: "sent" } });
    const reused = await send({ subject: "Changed" });
    expect(reused.status).toBe(422);
    expect(reused.json).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
    expect((await send()).status).toBe(422);
    expect(await outboxSize(emulator, shop)).toBe(outboxAfterFirst);
  });
});
