// CLI: `npx tsx emulator/src/main.ts`. Configuration from the environment:
//   SHOPIFY_API_KEY, SHOPIFY_API_SECRET   the app's credentials (required)
//   SHOPIFY_APP_URL                       where webhooks are delivered and the local admin embeds the app
//   EMULATOR_PORT (4010), EMULATOR_HOST (127.0.0.1)
//   EMULATOR_SEED_SHOP=<name>.myshopify.com, EMULATOR_SEED_CUSTOMERS (1000), EMULATOR_SEED (1),
//   EMULATOR_PLAN (standard), EMULATOR_ACCOUNTS_VERSION (CLASSIC), EMULATOR_SCOPES,
//   EMULATOR_LOCALE (en): the seeded shop's admin language (local admin, the app's `locale`)
//   EMULATOR_APP_TOML (shopify.app.toml): webhook subscriptions to deliver
//   EMULATOR_EXTENSIONS_DIR: built admin UI extensions to offer in the local admin (the demo sets extensions/)
//   ADMIN_SCHEMA_PATH (.schema/admin-2026-10.json)
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { subscriptionsFromToml } from "./appToml";
import type { CustomerAccountsVersion, PlanName } from "./model";
import { createSegment } from "./segments";
import { createEmulator } from "./server";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const env = process.env;

function fail(message: string): never {
  process.stderr.write(`emulator: ${message}\n`);
  process.exit(1);
}

const apiKey = env.SHOPIFY_API_KEY ?? fail("SHOPIFY_API_KEY is required");
const apiSecret = env.SHOPIFY_API_SECRET ?? fail("SHOPIFY_API_SECRET is required");
const port = Number(env.EMULATOR_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`EMULATOR_PORT '${env.EMULATOR_PORT}' is not a port`);

const emulator = await createEmulator({
  apiKey,
  apiSecret,
  appUrl: env.SHOPIFY_APP_URL ?? null,
  port,
  host: env.EMULATOR_HOST ?? "127.0.0.1",
  webhooks: subscriptionsFromToml(env.EMULATOR_APP_TOML ?? resolve(root, "shopify.app.toml")),
  ...(env.EMULATOR_EXTENSIONS_DIR ? { extensionsDir: resolve(env.EMULATOR_EXTENSIONS_DIR) } : {}),
});

if (env.EMULATOR_SEED_SHOP) {
  const started = Date.now();
  const shop = emulator.createShop({
    domain: env.EMULATOR_SEED_SHOP,
    customers: Number(env.EMULATOR_SEED_CUSTOMERS ?? 1000),
    seed: Number(env.EMULATOR_SEED ?? 1),
    plan: (env.EMULATOR_PLAN ?? "standard") as PlanName,
    customerAccountsVersion: (env.EMULATOR_ACCOUNTS_VERSION ?? "CLASSIC") as CustomerAccountsVersion,
    scopes: env.EMULATOR_SCOPES,
    locale: env.EMULATOR_LOCALE || undefined,
    // Besides the owner, a staff member who may view customers but not edit them: the local admin's
    // "Acting as" select switches to them, to see the app refuse sends and links.
    staff: [
      {
        email: `support@${env.EMULATOR_SEED_SHOP.replace(/\.myshopify\.com$/, "")}.example.com`,
        firstName: "Sam",
        lastName: "Support",
        permissions: ["read_customers"],
      },
    ],
  });
  process.stdout.write(
    `emulator: seeded ${shop.domain} with ${shop.customerCount} customers (${shop.plan}) in ${Date.now() - started} ms\n`,
  );
  // A saved segment to invite from the local admin's Segments page ("Invite this segment").
  const seeded = emulator.store.getShop(shop.domain);
  if (seeded)
    createSegment(
      seeded,
      { name: "Wholesale customers", query: "customer_tags CONTAINS 'wholesale'" },
      emulator.clock.now(),
    );
  const handle = shop.domain.replace(/\.myshopify\.com$/, "");
  process.stdout.write(`emulator: local admin ${emulator.url}/store/${handle}/customers\n`);
}
process.stdout.write(`emulator: listening on ${emulator.url}\n`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`emulator: ${signal}, stopping\n`);
  await emulator.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
