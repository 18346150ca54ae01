import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma, { databaseProvider } from "~/db.server";
import { env } from "~/env.server";
import { CustomerGenerateAccountActivationUrlMutation } from "~/graphql/CustomerGenerateAccountActivationUrlMutation";
import type { AdminGraphql } from "~/types/admin";
import { appClock } from "~/utils/clock";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, installShop, testWorker, waitFor, type EmulatorCustomer } from "../support/invites";
import {
  activationLinks,
  confirmDownload,
  databaseText,
  downloadCsv,
  exportProgress,
  itemsOf,
  parseLinksCsv,
  startExport,
} from "../support/linkExports";

// Activation-link exports end to end against the local Shopify: the request records, the worker issues
// (paced, in the shop's turn), the staff member who asked downloads, and the links are gone after a
// confirmed download or an hour. Interruptions (a stopped worker, a crash mid-request, a lost answer, a
// download cut short) lose no link and issue none twice.

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.close());

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const canHaveLink = (c: EmulatorCustomer) => c.state === "DISABLED" || c.state === "INVITED";

async function runUntilSettled(shop: string, id: string, options: Parameters<typeof testWorker>[0] = {}) {
  const worker = testWorker(options);
  worker.start();
  try {
    return await waitFor(
      async () => {
        const { linkExport } = await exportProgress(shop, id);
        return linkExport && linkExport.status !== "queued" && linkExport.status !== "running"
          ? linkExport
          : null;
      },
      { timeoutMs: 30_000 },
    );
  } finally {
    await worker.stop();
  }
}

describe("a link export from a selection", () => {
  const shop = "links-export.myshopify.com";
  let all: EmulatorCustomer[];
  beforeAll(async () => {
    await installShop(emulator, { domain: shop, customers: 40, seed: 31 });
    all = await customers(emulator, shop);
  });

  it("issues one working link per eligible customer in the worker, for the staff member who asked only, and deletes them once the download is confirmed", async () => {
    const eligible = all.filter(canHaveLink).slice(0, 8);
    const enabled = all.filter((c) => c.state === "ENABLED").slice(0, 2);
    // WHEN the staff member asks for links for eight customers who can have one and two who cannot
    const started = await startExport(shop, {
      customerIds: [...eligible, ...enabled].map((c) => c.id),
      idempotencyKey: "dialog-1",
    });
    expect(started.status).toBe(202);
    const id = started.body.linkExport!.id;
    expect(started.body.linkExport).toMatchObject({ status: "queued", total: 10, downloadable: false });
    // THEN the request issued nothing: the worker does
    expect(await activationLinks(emulator, shop)).toHaveLength(0);
    // AND the same key with the same request is the same export
    const again = await startExport(shop, {
      customerIds: [...eligible, ...enabled].map((c) => c.id),
      idempotencyKey: "dialog-1",
    });
    expect(again).toMatchObject({ status: 200, body: { linkExport: { id, total: 10 } } });

    const done = await runUntilSettled(shop, id);
    expect(done).toMatchObject({
      status: "ready",
      downloadable: true,
      counts: { issued: 8, skipped: 0, failed: 2, pending: 0 },
    });

    // THEN the CSV holds exactly the link Shopify now honours for each eligible customer
    const first = await downloadCsv(shop, id);
    expect(first.status).toBe(200);
    expect(first.response.headers.get("Cache-Control")).toBe("no-store");
    const rows = parseLinksCsv(first.text);
    const active = new Map(
      (await activationLinks(emulator, shop))
        .filter((link) => link.status === "active")
        .map((link) => [link.customerId, link.url]),
    );
    expect(
      rows
        .filter((r) => r.status === "issued")
        .map((r) => r.customerId)
        .sort(),
    ).toEqual(eligible.map((c) => c.id).sort());
    for (const row of rows.filter((r) => r.status === "issued"))
      expect(row.activationUrl).toBe(active.get(row.customerId));
    // Shopify's refusal of an enabled customer is a row with its own words (emulator: "Customer already enabled").
    for (const row of rows.filter((r) => r.status === "failed")) {
      expect(enabled.map((c) => c.id)).toContain(row.customerId);
      expect(row.message).toBe("Shopify refused: Customer already enabled");
    }
    // AND a link from the file works on the storefront
    const page = await fetch(rows.find((r) => r.status === "issued")!.activationUrl);
    expect(page.status).toBe(200);

    // AND while held, the links are only ever sealed at rest: no column and no database file holds one
    const database = await databaseText();
    // The SQLite files themselves too (PostgreSQL keeps its files elsewhere: the columns are checked).
    const files = (databaseProvider === "sqlite" ? ["", "-wal"] : []).map((suffix) => {
      try {
        return readFileSync(env.DATABASE_URL.replace(/^file:/, "") + suffix).toString("latin1");
      } catch {
        return "";
      }
    });
    for (const row of rows.filter((r) => r.status === "issued")) {
      const token = row.activationUrl.split("/").pop()!;
      expect(database).not.toContain(token);
      for (const file of files) expect(file).not.toContain(token);
    }
    expect((await itemsOf(id)).filter((item) => item.sealedUrl?.startsWith("v1.")).length).toBe(8);

    // AND another staff member of the same shop can neither see nor download nor clear it
    expect((await exportProgress(shop, id, "43")).status).toBe(404);
    expect((await downloadCsv(shop, id, "43")).status).toBe(404);
    expect((await confirmDownload(shop, id, sha256(first.bytes), "43")).status).toBe(404);

    // AND an interrupted download is simply repeated: the file is the same
    const second = await downloadCsv(shop, id);
    expect(second.text).toBe(first.text);
    expect(second.response.headers.get("X-Content-SHA256")).toBe(sha256(second.bytes));

    // AND a confirmation of a truncated file deletes nothing
    const truncated = await confirmDownload(
      shop,
      id,
      sha256(first.bytes.subarray(0, first.bytes.length - 10)),
    );
    expect(truncated).toMatchObject({ status: 409, body: { cleared: false, result: "mismatch" } });
    expect((await downloadCsv(shop, id)).status).toBe(200);

    // WHEN the page confirms the complete file
    const confirmed = await confirmDownload(shop, id, sha256(first.bytes));
    expect(confirmed).toMatchObject({ status: 200, body: { cleared: true } });
    // THEN the links are gone; the export says so; the ledger keeps its fingerprints and dates
    expect(await itemsOf(id)).toHaveLength(0);
    expect((await downloadCsv(shop, id)).status).toBe(410);
    expect((await exportProgress(shop, id)).linkExport).toMatchObject({
      status: "downloaded",
      downloadable: false,
      counts: { issued: 8, failed: 2 },
    });
    const ledger = await prisma.activationLink.findMany({
      where: { shop, customerId: { in: eligible.map((c) => c.id) } },
    });
    expect(ledger).toHaveLength(8);
    expect(ledger.every((link) => link.issuedBy === "42" && /^[0-9a-f]{32}$/.test(link.fingerprint))).toBe(
      true,
    );
  });

  it("keeps the 30-day guard: a customer with a recent link is skipped unless the staff member chose to replace it", async () => {
    const [customer] = all.filter(canHaveLink).slice(0, 1);
    const id1 = (await startExport(shop, { customerIds: [customer!.id], replace: false })).body.linkExport!
      .id;
    // the customer got a link in the previous test already
    expect(await runUntilSettled(shop, id1)).toMatchObject({ counts: { issued: 0, skipped: 1 } });
    expect(parseLinksCsv((await downloadCsv(shop, id1)).text)[0]).toMatchObject({
      status: "skipped",
      activationUrl: "",
      message: "a link issued in the last 30 days is still valid",
    });
    const before = (await activationLinks(emulator, shop)).filter((l) => l.customerId === customer!.id);
    const id2 = (await startExport(shop, { customerIds: [customer!.id], replace: true })).body.linkExport!.id;
    expect(await runUntilSettled(shop, id2)).toMatchObject({ counts: { issued: 1 } });
    const row = parseLinksCsv((await downloadCsv(shop, id2)).text)[0]!;
    expect(row).toMatchObject({ status: "issued", message: "replaced an earlier link" });
    const after = (await activationLinks(emulator, shop)).filter((l) => l.customerId === customer!.id);
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((l) => l.status === "active")?.url).toBe(row.activationUrl);
  });

  it("refuses bad input with the API's error shape, before anything is recorded", async () => {
    const before = await prisma.linkExport.count();
    const both = await startExport(shop, { customerIds: [all[0]!.id], query: "state:disabled" });
    expect(both).toMatchObject({ status: 400, body: { error: "Some fields are not valid." } });
    const tooMany = await startExport(shop, {
      customerIds: Array.from({ length: 1_001 }, (_, i) => `gid://shopify/Customer/${i + 1}`),
    });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body.fieldErrors)).toContain("1,000");
    const misspelled = await startExport(shop, { query: "tags:vip" });
    expect(misspelled.status).toBe(400);
    expect(await prisma.linkExport.count()).toBe(before);
  });
});

describe("staff permissions and idempotency", () => {
  it("refuses a staff member without customer-write permission (403), and a key reused for another request (422)", async () => {
    const shop = "links-staff.myshopify.com";
    await installShop(emulator, {
      domain: shop,
      customers: 10,
      seed: 37,
      staff: [{ email: "viewer@links-staff.example.com", firstName: "Vic", permissions: ["read_customers"] }],
    });
    const [owner, viewer] = (await emulator.staff(shop)).map((m) => m.id) as [string, string];
    const [customer, other] = (await customers(emulator, shop)).filter(canHaveLink);
    const refused = await startExport(shop, { customerIds: [customer!.id] }, viewer);
    expect(refused).toMatchObject({ status: 403, body: { code: "CUSTOMER_WRITE_REQUIRED" } });
    expect(await prisma.linkExport.count({ where: { shop } })).toBe(0);

    const first = await startExport(shop, { customerIds: [customer!.id], idempotencyKey: "k1" }, owner);
    expect(first.status).toBe(202);
    const same = await startExport(shop, { customerIds: [customer!.id], idempotencyKey: "k1" }, owner);
    expect(same).toMatchObject({ status: 200, body: { linkExport: { id: first.body.linkExport!.id } } });
    const reused = await startExport(shop, { customerIds: [other!.id], idempotencyKey: "k1" }, owner);
    expect(reused).toMatchObject({ status: 422, body: { code: "IDEMPOTENCY_KEY_REUSED" } });
    const replace = await startExport(
      shop,
      { customerIds: [customer!.id], replace: true, idempotencyKey: "k1" },
      owner,
    );
    expect(replace.status).toBe(422);
    expect(await prisma.linkExport.count({ where: { shop } })).toBe(1);
  });
});

describe("a link export from a search", () => {
  it("covers every customer the search matches, resolved by the worker", async () => {
    const shop = "links-search.myshopify.com";
    await installShop(emulator, { domain: shop, customers: 60, seed: 32 });
    const disabled = (await customers(emulator, shop)).filter((c) => c.state === "DISABLED");
    const started = await startExport(shop, { query: "state:disabled" });
    expect(started).toMatchObject({ status: 202, body: { linkExport: { source: "query", total: 0 } } });
    const done = await runUntilSettled(shop, started.body.linkExport!.id);
    expect(done).toMatchObject({
      total: disabled.length,
      truncated: false,
      counts: { issued: disabled.length },
    });
    const rows = parseLinksCsv((await downloadCsv(shop, done.id)).text);
    expect(rows.map((r) => r.customerId).sort()).toEqual(disabled.map((c) => c.id).sort());
  });
});

describe("interruptions", () => {
  it("a worker stopped mid-way and started again finishes the export without issuing any link twice", async () => {
    const shop = "links-restart.myshopify.com";
    await installShop(emulator, { domain: shop, customers: 60, seed: 33 });
    await emulator.control("POST", "faults", { shop, latencyMs: 60 });
    const eligible = (await customers(emulator, shop)).filter(canHaveLink).slice(0, 30);
    const id = (await startExport(shop, { customerIds: eligible.map((c) => c.id) })).body.linkExport!.id;

    // WHEN the worker stops (a deploy) with part of the links issued
    const first = testWorker();
    first.start();
    await waitFor(async () => ((await exportProgress(shop, id)).linkExport?.counts.issued ?? 0) >= 5);
    await first.stop();
    const midway = (await exportProgress(shop, id)).linkExport!;
    expect(midway.counts.issued).toBeLessThan(30);
    expect(await prisma.linkExportItem.count({ where: { exportId: id, status: "issuing" } })).toBe(0);

    // THEN a new worker finishes it, and every customer has exactly one link: the one in the file
    const done = await runUntilSettled(shop, id);
    expect(done.counts.issued).toBe(30);
    const links = await activationLinks(emulator, shop);
    expect(links).toHaveLength(30);
    const rows = parseLinksCsv((await downloadCsv(shop, id)).text);
    expect(new Set(rows.map((r) => r.activationUrl))).toEqual(new Set(links.map((l) => l.url)));
  });

  it("a crash mid-request: the link left in flight is issued again once its request can no longer run, and only the new one is in the file", async () => {
    const shop = "links-crash.myshopify.com";
    const graphql: AdminGraphql = await installShop(emulator, { domain: shop, customers: 20, seed: 34 });
    const [lost, other] = (await customers(emulator, shop)).filter(canHaveLink);
    const id = (await startExport(shop, { customerIds: [lost!.id, other!.id] })).body.linkExport!.id;
    // GIVEN a worker that marked the item issuing, sent the request (Shopify issued a link), and died
    // before the answer was recorded
    const item = (await itemsOf(id)).find((i) => i.customerId === lost!.id)!;
    await prisma.linkExport.update({ where: { id }, data: { status: "running" } });
    await prisma.linkExportItem.update({
      where: { id: item.id },
      data: { status: "issuing", issuingAt: new Date(), attempts: 1 },
    });
    const response = await graphql(CustomerGenerateAccountActivationUrlMutation, {
      variables: { customerId: lost!.id },
    });
    const unseen = (await response.json()).data?.customerGenerateAccountActivationUrl?.accountActivationUrl;
    expect(unseen).toMatch(/^https:\/\//);

    // WHEN another worker takes the shop
    const done = await runUntilSettled(shop, id, { uncertainGraceMs: 300 });
    // THEN the customer got one more link, which supersedes the one nobody saw, and the file holds it
    expect(done.counts).toMatchObject({ issued: 2, failed: 0 });
    const links = (await activationLinks(emulator, shop)).filter((l) => l.customerId === lost!.id);
    expect(links.map((l) => l.status)).toEqual(["superseded", "active"]);
    expect(links[0]!.url).toBe(unseen);
    const row = parseLinksCsv((await downloadCsv(shop, id)).text).find((r) => r.customerId === lost!.id)!;
    expect(row.activationUrl).toBe(links[1]!.url);
    expect(row.activationUrl).not.toBe(unseen);
    // AND the other customer, whose item was never sent, got exactly one
    expect((await activationLinks(emulator, shop)).filter((l) => l.customerId === other!.id)).toHaveLength(1);
  });

  it("answers lost after Shopify ran the request: each such link is issued again, and the file holds only links that work", async () => {
    const shop = "links-lost.myshopify.com";
    await installShop(emulator, { domain: shop, customers: 40, seed: 35 });
    const eligible = (await customers(emulator, shop)).filter(canHaveLink).slice(0, 12);
    await emulator.control("POST", "faults", {
      shop,
      seed: 7,
      lostAfter504Rate: 0.3,
      lostAfterMutationsOnly: true,
    });
    const id = (await startExport(shop, { customerIds: eligible.map((c) => c.id) })).body.linkExport!.id;
    const done = await runUntilSettled(shop, id, { uncertainGraceMs: 200, maxAttempts: 10 });
    await emulator.control("DELETE", `faults?shop=${shop}`);
    expect(done.counts).toMatchObject({ issued: 12, failed: 0 });
    const links = await activationLinks(emulator, shop);
    // Some answers were lost (more links than customers), none of those links is in the file
    expect(links.length).toBeGreaterThan(12);
    const rows = parseLinksCsv((await downloadCsv(shop, id)).text);
    const active = new Set(links.filter((l) => l.status === "active").map((l) => l.url));
    expect(active.size).toBe(12);
    expect(new Set(rows.map((r) => r.activationUrl))).toEqual(active);
  });
});

describe("an export's hour", () => {
  const shop = "links-hour.myshopify.com";
  let eligible: EmulatorCustomer[];
  beforeAll(async () => {
    await installShop(emulator, { domain: shop, customers: 30, seed: 36 });
    eligible = (await customers(emulator, shop)).filter(canHaveLink);
  });

  it("is never served after its hour, even before the worker has deleted it", async () => {
    const id = (await startExport(shop, { customerIds: [eligible[0]!.id] })).body.linkExport!.id;
    await runUntilSettled(shop, id);
    expect((await downloadCsv(shop, id)).status).toBe(200);
    // WHEN an hour and a minute pass on the app's clock (Shopify's tokens keep real time)
    const later = Date.now() + 61 * 60_000;
    vi.spyOn(appClock, "now").mockImplementation(() => new Date(later));
    // THEN the download is refused and the read itself deletes the links
    expect((await downloadCsv(shop, id)).status).toBe(410);
    expect(await itemsOf(id)).toHaveLength(0);
    expect((await exportProgress(shop, id)).linkExport).toMatchObject({
      status: "expired",
      downloadable: false,
    });
  });

  it("is deleted by the worker when the hour is over, downloaded or not", async () => {
    const id = (await startExport(shop, { customerIds: [eligible[1]!.id, eligible[2]!.id] })).body.linkExport!
      .id;
    await runUntilSettled(shop, id);
    expect(await itemsOf(id)).toHaveLength(2);
    // A worker whose clock says the hour is over deletes them on its next poll
    const worker = testWorker({ now: () => new Date(Date.now() + 60 * 60_000 + 1) });
    await worker.runOnce();
    await worker.stop();
    expect(await itemsOf(id)).toHaveLength(0);
    expect(await prisma.linkExport.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "expired" });
  });

  it("issues nothing once the hour is over, even for an export not finished", async () => {
    const id = (await startExport(shop, { customerIds: [eligible[3]!.id] })).body.linkExport!.id;
    const before = (await activationLinks(emulator, shop)).length;
    const worker = testWorker({ now: () => new Date(Date.now() + 61 * 60_000) });
    await worker.runOnce();
    await worker.stop();
    expect((await activationLinks(emulator, shop)).length).toBe(before);
    expect(await prisma.linkExport.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "expired" });
  });
});
