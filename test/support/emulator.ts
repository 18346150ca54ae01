// The local Shopify (emulator/) started inside the test process, with https://*.myshopify.com routed to it.
import { subscriptionsFromToml } from "../../emulator/src/appToml";
import { flowExtensionsFrom } from "../../emulator/src/flow";
import { createEmulator } from "../../emulator/src/server";
import { routeShopifyToEmulator } from "../../emulator/preload.mjs";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../testEnv";

export interface TestShop {
  domain: string;
  plan?: string;
  custom?: { maximumAvailable: number; restoreRate: number };
  customerAccountsVersion?: "CLASSIC" | "NEW_CUSTOMER_ACCOUNTS";
  customers?: number;
  seed?: number;
  /** Staff members besides the owner; `permissions`: the access scopes their admin permissions cover. */
  staff?: { email: string; firstName?: string; lastName?: string; permissions?: string[] }[];
}

export type TestEmulator = Awaited<ReturnType<typeof startTestEmulator>>;

export async function startTestEmulator({ appUrl = TEST_APP_URL }: { appUrl?: string } = {}) {
  const emulator = await createEmulator({
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    appUrl,
    port: 0,
    // The app's own subscriptions, as `shopify app deploy` would register them.
    webhooks: subscriptionsFromToml("shopify.app.toml"),
    webhookRetry: { maxAttempts: 3, baseDelayMs: 50, timeoutMs: 5000 },
    // The app's Flow trigger and action, as `shopify app deploy` would register them.
    flow: flowExtensionsFrom("extensions"),
  });
  const unroute: () => void = routeShopifyToEmulator(emulator.url);

  async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${emulator.url}/__emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`emulator ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  return {
    url: emulator.url,
    control,
    createShop: (shop: TestShop) => control("POST", "shops", shop),
    /** The shop's staff members, the owner first, with numeric ids (a session token's `sub`). */
    staff: async (shop: string) =>
      (
        await control<{ staff: { id: string; email: string; isShopOwner: boolean }[] }>(
          "GET",
          `shops/${encodeURIComponent(shop)}/staff`,
        )
      ).staff.map((member) => ({ ...member, id: member.id.replace("gid://shopify/StaffMember/", "") })),
    onlineTokenExchanges: async (shop: string) =>
      (await control<{ onlineTokenExchanges: number }>("GET", `stats?shop=${encodeURIComponent(shop)}`))
        .onlineTokenExchanges,
    tokenExchanges: async (shop: string) =>
      (await control<{ tokenExchanges: number }>("GET", `stats?shop=${encodeURIComponent(shop)}`))
        .tokenExchanges,
    /** The emulator's clock (moved by `POST clock`): the worker's time in automation tests. */
    now: () => new Date(emulator.clock.now()),
    advance: (ms: number) => emulator.clock.advance(ms),
    settleWebhooks: () => emulator.settleWebhooks(),
    close: async () => {
      unroute();
      await emulator.close();
    },
  };
}
