import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { english } from "~/i18n/translate.server";
import {
  forgetStaffPermissions,
  getStaffPermissions,
  StaffPermissionRefused,
} from "~/services/staff/staffPermissions.server";
import { callApi, emulatorLinks, outboxSize, storedCounts } from "../support/api";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, installShop, type EmulatorCustomer } from "../support/invites";
import { signSessionToken } from "../support/sessionToken";
import { logger } from "~/utils/logger.server";

// Staff permissions at the JSON API (decision 008): a staff member without customer-write permission
// (no `write_customers` in their online token's associated_user_scope) is refused every send and every
// activation link with 403 and a message, nothing recorded, nothing sent; read-only routes stay open;
// the owner is not refused. Permissions are learned once per staff member (cached), renewed when the
// cache expires, and a failure to learn them refuses (503).

const shop = "api-staff.myshopify.com";
let emulator: TestEmulator;
let owner: string;
let viewer: string;
let clerk: string;
let all: EmulatorCustomer[];
let eligible: EmulatorCustomer[];

beforeAll(async () => {
  emulator = await startTestEmulator();
  await installShop(emulator, {
    domain: shop,
    customers: 30,
    seed: 31,
    staff: [
      { email: "viewer@api-staff.example.com", firstName: "Vic", permissions: ["read_customers"] },
      { email: "clerk@api-staff.example.com", firstName: "Cleo", permissions: [] },
    ],
  });
  const staff = await emulator.staff(shop);
  [owner, viewer, clerk] = staff.map((m) => m.id) as [string, string, string];
  all = await customers(emulator, shop);
  eligible = all.filter((c) => c.state === "DISABLED" && c.email);
});
afterAll(() => emulator?.close());
beforeEach(() => forgetStaffPermissions());

const as = (userId: string) => ({ shop, userId });
const refusal = english()("api.customerWriteRequired");

/** Every line the app's logger writes, at every level, while `run` runs. */
async function captureLogs(run: () => Promise<void>) {
  const stream: { write: (line: string) => unknown } = Reflect.get(logger, pino.symbols.streamSym);
  const lines: string[] = [];
  const previous = logger.level;
  logger.level = "trace";
  const spy = vi.spyOn(stream, "write").mockImplementation((line: string) => {
    lines.push(String(line));
    return true;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
    logger.level = previous;
  }
  return lines;
}

async function sideEffects() {
  return {
    stored: await storedCounts(shop),
    outbox: await outboxSize(emulator, shop),
    links: (await emulatorLinks(emulator, shop)).length,
  };
}

describe("a staff member without customer-write permission", () => {
  it.each([
    ["view-only (read_customers)", () => viewer],
    ["without customer permissions", () => clerk],
  ])(
    "%s is refused a campaign, an invite and an activation link: 403, nothing recorded or sent",
    async (_kind, who) => {
      const before = await sideEffects();
      const answers = [
        await callApi("campaigns", {
          method: "POST",
          token: as(who()),
          body: { customerIds: [eligible[0]!.id], idempotencyKey: `refused-${who()}` },
        }),
        await callApi("invite", {
          method: "POST",
          token: as(who()),
          params: { id: eligible[0]!.id },
          body: {},
        }),
        await callApi("activationUrl", {
          method: "POST",
          token: as(who()),
          params: { id: eligible[0]!.id },
          body: {},
        }),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(403);
        expect(answer.json).toEqual({ error: refusal, code: "CUSTOMER_WRITE_REQUIRED" });
        expect(answer.headers.get("Access-Control-Allow-Origin")).toBe("*");
      }
      expect(refusal).toMatch(/permission to create and edit customers/);
      expect(await sideEffects()).toEqual(before);
    },
  );

  it("is refused before the body is read: even a malformed body gets the 403", async () => {
    const answer = await callApi("campaigns", { method: "POST", token: as(viewer), raw: "{not json" });
    expect(answer.status).toBe(403);
  });

  it("can still read: the dry run, a campaign, a customer's history", async () => {
    const created = await callApi("campaigns", {
      method: "POST",
      token: as(owner),
      body: { customerIds: [eligible[1]!.id], idempotencyKey: "owner-campaign-for-reading" },
    });
    const id = (created.json as { campaign: { id: string } }).campaign.id;
    const preview = await callApi("preview", {
      method: "POST",
      token: as(viewer),
      body: { customerIds: [eligible[2]!.id] },
    });
    expect(preview.status).toBe(200);
    expect((await callApi("campaign", { token: as(viewer), params: { id } })).status).toBe(200);
    expect((await callApi("history", { token: as(viewer), params: { id: eligible[1]!.id } })).status).toBe(
      200,
    );
  });

  it("may pause and cancel (nothing is sent) but not resume (which sends again)", async () => {
    const created = await callApi("campaigns", {
      method: "POST",
      token: as(owner),
      body: { customerIds: [eligible[3]!.id, eligible[4]!.id], idempotencyKey: "owner-campaign-commands" },
    });
    const id = (created.json as { campaign: { id: string } }).campaign.id;
    const pause = await callApi("command", {
      method: "POST",
      token: as(viewer),
      params: { id, command: "pause" },
    });
    expect(pause.status).toBe(200);
    const resume = await callApi("command", {
      method: "POST",
      token: as(viewer),
      params: { id, command: "resume" },
    });
    expect(resume.status).toBe(403);
    expect(resume.json).toMatchObject({ code: "CUSTOMER_WRITE_REQUIRED" });
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).status).toBe("paused");
    const ownerResume = await callApi("command", {
      method: "POST",
      token: as(owner),
      params: { id, command: "resume" },
    });
    expect(ownerResume.status).toBe(200);
    const cancel = await callApi("command", {
      method: "POST",
      token: as(viewer),
      params: { id, command: "cancel" },
    });
    expect(cancel.status).toBe(200);
  });
});

describe("a staff member with customer-write permission", () => {
  it("the owner records a campaign, sends an invite and gets an activation link; the campaign records who asked", async () => {
    const created = await callApi("campaigns", {
      method: "POST",
      token: as(owner),
      body: { customerIds: [eligible[5]!.id], idempotencyKey: "owner-sends" },
    });
    expect(created.status).toBe(202);
    const id = (created.json as { campaign: { id: string } }).campaign.id;
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).requestedBy).toBe(owner);
    const invite = await callApi("invite", {
      method: "POST",
      token: as(owner),
      params: { id: eligible[6]!.id },
      body: {},
    });
    expect(invite.status).toBe(200);
    expect(invite.json).toMatchObject({ result: { status: "sent" } });
    const link = await callApi("activationUrl", {
      method: "POST",
      token: as(owner),
      params: { id: eligible[7]!.id },
      body: {},
    });
    expect(link.status).toBe(200);
    expect((link.json as { url: string }).url).toMatch(/^https?:\/\//);
  });
});

describe("learning the permissions", () => {
  it("exchanges once per staff member, then answers from the cache until it expires, then asks again", async () => {
    const before = await emulator.onlineTokenExchanges(shop);
    const t0 = Date.now();
    const token = signSessionToken(as(viewer));
    const first = await getStaffPermissions({ shop, staffId: viewer, sessionToken: token, now: t0 });
    expect(first).toMatchObject({ staffId: viewer, scopes: ["read_customers"], canWriteCustomers: false });
    await getStaffPermissions({ shop, staffId: viewer, sessionToken: token, now: t0 + 60_000 });
    await Promise.all([
      getStaffPermissions({ shop, staffId: owner, sessionToken: signSessionToken(as(owner)), now: t0 }),
      getStaffPermissions({ shop, staffId: owner, sessionToken: signSessionToken(as(owner)), now: t0 }),
    ]);
    expect(await emulator.onlineTokenExchanges(shop)).toBe(before + 2);
    // Past the cache's lifetime (5 minutes, below the online token's 24 hours) the permissions are renewed.
    const renewed = await getStaffPermissions({
      shop,
      staffId: viewer,
      sessionToken: signSessionToken(as(viewer)),
      now: t0 + 6 * 60_000,
    });
    expect(renewed.canWriteCustomers).toBe(false);
    expect(await emulator.onlineTokenExchanges(shop)).toBe(before + 3);
  });

  it("sees a permission given in admin once the cached answer expires", async () => {
    const t0 = Date.now();
    const staffId = clerk;
    expect(
      (await getStaffPermissions({ shop, staffId, sessionToken: signSessionToken(as(staffId)), now: t0 }))
        .canWriteCustomers,
    ).toBe(false);
    await emulator.control("PATCH", `shops/${shop}/staff/${staffId}`, { permissions: ["write_customers"] });
    // Within the cache's lifetime the earlier answer stands; after it, the new permission applies.
    expect(
      (
        await getStaffPermissions({
          shop,
          staffId,
          sessionToken: signSessionToken(as(staffId)),
          now: t0 + 1_000,
        })
      ).canWriteCustomers,
    ).toBe(false);
    const later = await getStaffPermissions({
      shop,
      staffId,
      sessionToken: signSessionToken(as(staffId)),
      now: t0 + 6 * 60_000,
    });
    expect(later).toMatchObject({ canWriteCustomers: true, scopes: ["read_customers", "write_customers"] });
    await emulator.control("PATCH", `shops/${shop}/staff/${staffId}`, { permissions: [] });
  });

  it("refuses (503, nothing sent) when Shopify does not answer the token exchange, and never logs the token", async () => {
    await emulator.control("POST", "faults", { shop, tokenExchangeFailures: 1 });
    const before = await sideEffects();
    const token = signSessionToken(as(owner));
    const answer = await callApi("invite", {
      method: "POST",
      token,
      params: { id: eligible[8]!.id },
      body: {},
    });
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({
      error: english()("api.permissionsUnavailable"),
      code: "PERMISSIONS_UNAVAILABLE",
    });
    expect(await sideEffects()).toEqual(before);
    // The failure is not cached: the next request learns the permissions and goes on, and neither the
    // session token nor the online access token reaches a log line.
    const next = signSessionToken(as(owner));
    const sent = await captureLogs(async () => {
      const again = await callApi("invite", {
        method: "POST",
        token: next,
        params: { id: eligible[8]!.id },
        body: {},
      });
      expect(again.status).toBe(200);
    });
    expect(sent.length).toBeGreaterThan(0);
    for (const line of sent) {
      expect(line).not.toContain(next);
      expect(line).not.toMatch(/shpua_/);
    }
  });

  it("refuses when the online token names another staff member than the session token", async () => {
    // A session token whose `sub` is not a number Shopify would answer about: the emulator answers with
    // that id, so a mismatch is simulated with a token for one member presented as another.
    const error = await getStaffPermissions({
      shop,
      staffId: owner,
      sessionToken: signSessionToken(as(viewer)),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaffPermissionRefused);
    expect(error).toMatchObject({ refusal: "permissionsUnavailable", status: 503 });
  });
});
