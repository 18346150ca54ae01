// Token controls for chaos runs: expire a shop's access tokens now (refresh still works, as after an
// hour), uninstall (every access and refresh token revoked, app/uninstalled delivered), and reinstall.
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Emulator } from "../src/server";
import { API_KEY, API_SECRET, control, exchangeToken, post, startEmulator, VERSION } from "./helpers";

const INVALID_TOKEN = {
  errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
};

interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let receiver: Server;
let received: Received[] = [];
let emulator: Emulator;
let n = 0;

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    received.push({ path: req.url ?? "", headers: req.headers, body });
    res.writeHead(200).end("ok");
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  emulator = await startEmulator({
    appUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    webhooks: { "app/uninstalled": "/webhooks/app/uninstalled" },
  });
});
beforeEach(() => {
  received = [];
});
afterAll(async () => {
  await emulator.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

/** A fresh shop per test, with an expiring offline token pair. */
async function installedShop() {
  const shop = `tokens-${++n}.myshopify.com`;
  emulator.createShop({ domain: shop, customers: 2, seed: 3 });
  const { json } = await exchangeToken(emulator, shop);
  return { shop, access: json.access_token as string, refresh: json.refresh_token as string };
}

const graphql = (shop: string, token: string) =>
  post(
    emulator,
    `/admin/api/${VERSION}/graphql.json`,
    { query: "{ shop { myshopifyDomain } }" },
    { "X-Shopify-Access-Token": token, "X-Forwarded-Host": shop },
  );

const refresh = (shop: string, token: string) =>
  post(
    emulator,
    "/admin/oauth/access_token",
    { client_id: API_KEY, client_secret: API_SECRET, grant_type: "refresh_token", refresh_token: token },
    { "X-Forwarded-Host": shop },
  );

describe("POST shops/{domain}/expire-tokens", () => {
  it("expires every access token now: 401 like an hour's expiry, and the refresh token still works", async () => {
    const { shop, access, refresh: refreshToken } = await installedShop();
    const online = (
      await exchangeToken(emulator, shop, {
        requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token",
      })
    ).json.access_token as string;
    expect((await graphql(shop, access)).status).toBe(200);
    expect((await graphql(shop, online)).status).toBe(200);

    const expired = await control(emulator, "POST", `shops/${encodeURIComponent(shop)}/expire-tokens`, {});
    expect(expired).toMatchObject({ status: 200, expired: 2, expiredRefreshTokens: 0 });
    for (const token of [access, online]) {
      const refused = await graphql(shop, token);
      expect(refused.status).toBe(401);
      expect(refused.json).toEqual(INVALID_TOKEN);
    }

    // Exactly what the natural expiry gives: the refresh token rotates to a working pair.
    const refreshed = await refresh(shop, refreshToken);
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toMatchObject({
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^shprt_/),
    });
    expect((await graphql(shop, refreshed.json.access_token)).status).toBe(200);
    expect((await graphql(shop, access)).status).toBe(401);
    expect((await control(emulator, "GET", `stats?shop=${shop}`)).unauthorized).toBe(3);
  });

  it("leaves other shops' tokens alone", async () => {
    const a = await installedShop();
    const b = await installedShop();
    await control(emulator, "POST", `shops/${a.shop}/expire-tokens`, {});
    expect((await graphql(a.shop, a.access)).status).toBe(401);
    expect((await graphql(b.shop, b.access)).status).toBe(200);
  });

  it("with refreshTokens: true expires the refresh tokens too (invalid_grant, as after 90 days)", async () => {
    const { shop, refresh: refreshToken } = await installedShop();
    const expired = await control(emulator, "POST", `shops/${shop}/expire-tokens`, { refreshTokens: true });
    expect(expired).toMatchObject({ expired: 1, expiredRefreshTokens: 1 });
    const refused = await refresh(shop, refreshToken);
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      error: "invalid_grant",
      error_description: expect.stringMatching(/expired/),
    });
  });
});

describe("POST shops/{domain}/uninstall, then a reinstall", () => {
  it("revokes every access and refresh token and delivers a signed app/uninstalled", async () => {
    const { shop, access, refresh: refreshToken } = await installedShop();
    const second = await exchangeToken(emulator, shop, { expiring: "0" });
    expect((await control(emulator, "GET", `shops/${shop}`)).installed).toBe(true);

    const uninstalled = await control(emulator, "POST", `shops/${shop}/uninstall`, { wait: true });
    expect(uninstalled).toMatchObject({
      status: 200,
      ok: true,
      revoked: { accessTokens: 2, refreshTokens: 1 },
      delivery: { url: expect.stringMatching(/\/webhooks\/app\/uninstalled$/), status: "delivered" },
    });
    expect((await control(emulator, "GET", `shops/${shop}`)).installed).toBe(false);

    const webhook = received.find((r) => r.headers["x-shopify-topic"] === "app/uninstalled");
    expect(webhook).toBeDefined();
    expect(webhook!.path).toBe("/webhooks/app/uninstalled");
    expect(webhook!.headers["x-shopify-shop-domain"]).toBe(shop);
    expect(webhook!.headers["x-shopify-hmac-sha256"]).toBe(
      createHmac("sha256", API_SECRET).update(webhook!.body).digest("base64"),
    );
    expect(JSON.parse(webhook!.body)).toMatchObject({ myshopify_domain: shop });

    for (const token of [access, second.json.access_token as string]) {
      const refused = await graphql(shop, token);
      expect(refused.status).toBe(401);
      expect(refused.json).toEqual(INVALID_TOKEN);
    }
    // Refused like a revoked grant: OAuth's HTTP 400 invalid_grant, the same shape as any bad refresh token.
    const refused = await refresh(shop, refreshToken);
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      error: "invalid_grant",
      error_description: expect.stringMatching(/revoked/),
    });
  });

  it("a new token exchange reinstalls: new tokens work, the revoked ones stay refused", async () => {
    const { shop, access, refresh: oldRefresh } = await installedShop();
    await control(emulator, "POST", `shops/${shop}/uninstall`, {});
    const before = (await control(emulator, "GET", `stats?shop=${shop}`)).tokenExchanges;

    const reinstalled = await exchangeToken(emulator, shop);
    expect(reinstalled.status).toBe(200);
    expect((await control(emulator, "GET", `shops/${shop}`)).installed).toBe(true);
    expect((await control(emulator, "GET", `stats?shop=${shop}`)).tokenExchanges).toBe(before + 1);
    const fresh = await graphql(shop, reinstalled.json.access_token);
    expect(fresh.status).toBe(200);
    expect(fresh.json.data).toEqual({ shop: { myshopifyDomain: shop } });
    const rotated = await refresh(shop, reinstalled.json.refresh_token);
    expect(rotated.status).toBe(200);
    expect((await graphql(shop, rotated.json.access_token)).status).toBe(200);

    expect((await graphql(shop, access)).status).toBe(401);
    expect((await refresh(shop, oldRefresh)).json.error).toBe("invalid_grant");
  });

  it("without a subscription nothing is delivered, and the tokens are revoked all the same", async () => {
    await control(emulator, "POST", "webhooks", { topic: "app/uninstalled", path: "" });
    try {
      const { shop, access } = await installedShop();
      const uninstalled = await control(emulator, "POST", `shops/${shop}/uninstall`, { wait: true });
      expect(uninstalled).toMatchObject({ ok: true, delivery: null, revoked: { accessTokens: 1 } });
      expect(received).toEqual([]);
      expect((await graphql(shop, access)).status).toBe(401);
    } finally {
      await control(emulator, "POST", "webhooks", {
        topic: "app/uninstalled",
        path: "/webhooks/app/uninstalled",
      });
    }
  });
});
