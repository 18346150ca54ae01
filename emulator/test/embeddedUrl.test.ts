import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../src/server";
import { API_KEY, API_SECRET, SHOP, startEmulator } from "./helpers";

// The local admin embeds the app with the parameters Shopify admin puts in an embedded app's URL (the
// library strips the same list from its redirects: embedded, hmac, host, id_token, locale, session, shop,
// timestamp), `hmac` signed as the library's validateHmac expects.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ appUrl: "http://127.0.0.1:9" });
  emulator.createShop({ domain: SHOP, customers: 5, seed: 1 });
});
afterAll(() => emulator.close());

async function iframeSrc(): Promise<URL> {
  const html = await (
    await fetch(`${emulator.url}/store/${SHOP.replace(".myshopify.com", "")}/apps/account-invites`)
  ).text();
  const src = /id="app-iframe"[^>]* src="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, "&");
  return new URL(src);
}

describe("the embedded app's URL", () => {
  it("carries embedded, shop, host, locale, id_token, session, timestamp and a valid hmac", async () => {
    const src = await iframeSrc();
    expect([...src.searchParams.keys()].sort()).toEqual(
      ["embedded", "hmac", "host", "id_token", "locale", "session", "shop", "timestamp"].sort(),
    );
    expect(src.searchParams.get("session")).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(src.searchParams.get("timestamp"))).toBeGreaterThan(1_700_000_000);
    const shopify = shopifyApi({
      apiKey: API_KEY,
      apiSecretKey: API_SECRET,
      apiVersion: ApiVersion.October26,
      hostName: "127.0.0.1",
      isEmbeddedApp: true,
      logger: { level: 0, log: async () => {} },
    });
    const query = Object.fromEntries(src.searchParams);
    expect(await shopify.utils.validateHmac(query)).toBe(true);
    expect(await shopify.utils.validateHmac({ ...query, shop: "other.myshopify.com" })).toBe(false);
  });
});
