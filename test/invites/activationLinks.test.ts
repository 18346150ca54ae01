import { readFileSync } from "node:fs";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma, { databaseProvider } from "~/db.server";
import { env } from "~/env.server";
import {
  ActivationLinkExists,
  ActivationLinkRefused,
  generateActivationLink,
} from "~/services/activationLinks/activationLinks.server";
import { reportCustomerData } from "~/services/compliance/shopData.server";
import { logger } from "~/utils/logger.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, installShop } from "../support/invites";

// Activation links are credentials: they reach the staff member who asked and nothing else.

const shop = "links.myshopify.com";
let emulator: TestEmulator;
let graphql: Awaited<ReturnType<typeof installShop>>;
beforeAll(async () => {
  emulator = await startTestEmulator();
  graphql = await installShop(emulator, { domain: shop, customers: 30, seed: 2 });
});
afterAll(() => emulator?.close());

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

/** Every value of every column of every table, as text. */
async function databaseText() {
  const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(
    databaseProvider === "sqlite"
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  expect(tables.map((t) => t.name)).toEqual(
    expect.arrayContaining(["ActivationLink", "Recipient", "Session"]),
  );
  const dumps: string[] = [];
  for (const { name } of tables) {
    const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${name}"`);
    dumps.push(
      JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value)),
    );
  }
  return dumps.join("\n");
}

describe("activation links", () => {
  it("returns the link only to the caller: no log line and no database column holds it", async () => {
    const candidates = (await customers(emulator, shop)).filter(
      (c) => c.state === "DISABLED" || c.state === "INVITED",
    );
    const issued: { url: string; expiresAt: Date }[] = [];
    const lines = await captureLogs(async () => {
      for (const customer of candidates.slice(0, 5)) {
        issued.push(await generateActivationLink({ graphql, shop, customerId: customer.id, issuedBy: "42" }));
      }
      // Replacing one also goes through every path (the earlier link is marked replaced).
      issued.push(
        await generateActivationLink({
          graphql,
          shop,
          customerId: candidates[0]!.id,
          issuedBy: "42",
          replace: true,
        }),
      );
    });
    expect(lines.length).toBeGreaterThan(0); // the capture works: the service does log

    const database = await databaseText();
    // SQLite: the raw file and its write-ahead log too (PostgreSQL's files belong to its server).
    const files = (databaseProvider === "sqlite" ? ["", "-wal"] : []).map((suffix) => {
      try {
        return readFileSync(env.DATABASE_URL.replace(/^file:/, "") + suffix).toString("latin1");
      } catch {
        return "";
      }
    });
    for (const { url } of issued) {
      expect(url).toMatch(/^https:\/\//);
      const secretParts = [url, ...new URL(url).pathname.split("/").filter((part) => part.length >= 16)];
      for (const secret of secretParts) {
        for (const line of lines) expect(line).not.toContain(secret);
        expect(database).not.toContain(secret);
        for (const file of files) expect(file).not.toContain(secret);
      }
    }
  });

  it("refuses to invalidate a link issued in the last 30 days unless asked to replace it", async () => {
    const [customer] = (await customers(emulator, shop)).filter((c) => c.state === "DISABLED").slice(-1);
    const first = await generateActivationLink({ graphql, shop, customerId: customer!.id, issuedBy: "42" });
    await expect(
      generateActivationLink({ graphql, shop, customerId: customer!.id, issuedBy: "43" }),
    ).rejects.toBeInstanceOf(ActivationLinkExists);
    const second = await generateActivationLink({
      graphql,
      shop,
      customerId: customer!.id,
      issuedBy: "43",
      replace: true,
    });
    expect(second.url).not.toBe(first.url);
    expect(second.replaced).toBe(true);

    const links = await prisma.activationLink.findMany({
      where: { shop, customerId: customer!.id },
      orderBy: { issuedAt: "asc" },
    });
    expect(links).toHaveLength(2);
    expect(links[0]!.replacedAt).not.toBeNull();
    expect(links[1]).toMatchObject({ replacedAt: null, issuedBy: "43" });
    expect(links[1]!.expiresAt.getTime() - links[1]!.issuedAt.getTime()).toBe(30 * 86_400_000);

    // AND the customer's data report lists the links without the URLs
    const report = await reportCustomerData({ shop, customerId: customer!.id });
    expect(report.records.activationLinks).toHaveLength(2);
    expect(JSON.stringify(report)).not.toContain(second.url);
  });

  it("passes Shopify's refusal on, with every message", async () => {
    const [enabled] = (await customers(emulator, shop)).filter((c) => c.state === "ENABLED");
    const error = await generateActivationLink({
      graphql,
      shop,
      customerId: enabled!.id,
      issuedBy: "42",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActivationLinkRefused);
    expect(await prisma.activationLink.count({ where: { shop, customerId: enabled!.id } })).toBe(0);
  });
});
