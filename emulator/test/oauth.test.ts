import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeShopifyToEmulator } from "../preload.mjs";
import { signJwt } from "../src/jwt";
import type { Emulator } from "../src/server";
import { API_KEY, API_SECRET, control, post, SHOP, startEmulator, VERSION } from "./helpers";

let emulator: Emulator;
let unroute: () => void;
const shopify = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET,
  apiVersion: ApiVersion.October26,
  hostName: "app.example.com",
  isEmbeddedApp: true,
  scopes: ["read_customers", "write_customers"],
  logger: { level: LogSeverity.Error, log: async () => {} },
});

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.createShop({ domain: SHOP, customers: 3 });
  unroute = routeShopifyToEmulator(emulator.url);
});
afterAll(async () => {
  unroute?.();
  await emulator.close();
});

const now = () => Math.floor(Date.now() / 1000);
function idToken(overrides: Record<string, unknown> = {}, secret = API_SECRET): string {
  return signJwt(
    {
      iss: `https://${SHOP}/admin`,
      dest: `https://${SHOP}`,
      aud: API_KEY,
      sub: "42",
      exp: now() + 60,
      nbf: now() - 5,
      iat: now() - 5,
      jti: "jti",
      sid: "sid",
      ...overrides,
    },
    secret,
  );
}

async function exchange(body: Record<string, unknown>) {
  return post(
    emulator,
    "/admin/oauth/access_token",
    {
      client_id: API_KEY,
      client_secret: API_SECRET,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: idToken(),
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: "1",
      ...body,
    },
    { "X-Forwarded-Host": SHOP },
  );
}

const graphqlWith = (token: string) =>
  post(
    emulator,
    `/admin/api/${VERSION}/graphql.json`,
    { query: "{ shop { id } }" },
    { "X-Shopify-Access-Token": token, "X-Forwarded-Host": SHOP },
  );

describe("token exchange through @shopify/shopify-api", () => {
  it("gives an expiring offline session with a refresh token, and the refresh rotates it", async () => {
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: idToken(),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect(session).toMatchObject({
      id: `offline_${SHOP}`,
      shop: SHOP,
      isOnline: false,
      scope: "read_customers,write_customers",
    });
    expect(session.expires!.getTime() - Date.now()).toBeGreaterThan(3500_000);
    expect(session.refreshToken).toMatch(/^shprt_/);

    const client = new shopify.clients.Graphql({ session });
    const response = await client.request("{ shop { myshopifyDomain } }");
    expect(response.data).toEqual({ shop: { myshopifyDomain: SHOP } });

    const { session: refreshed } = await shopify.auth.refreshToken({
      shop: SHOP,
      refreshToken: session.refreshToken!,
    });
    expect(refreshed.accessToken).not.toBe(session.accessToken);
    expect(refreshed.refreshToken).not.toBe(session.refreshToken);
    const used = session.refreshToken!;
    await expect(shopify.auth.refreshToken({ shop: SHOP, refreshToken: used })).rejects.toThrow();
    expect((await graphqlWith(refreshed.accessToken!)).status).toBe(200);
  });

  it("gives an online session with the associated user", async () => {
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: idToken(),
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(session.isOnline).toBe(true);
    expect(session.onlineAccessInfo?.associated_user.id).toBe(42);
    expect(session.id).toBe(`${SHOP}_42`);
  });
});

describe("token exchange over HTTP", () => {
  it("answers a non-expiring offline token when expiring is not requested", async () => {
    const { status, json } = await exchange({ expiring: "0" });
    expect(status).toBe(200);
    expect(Object.keys(json).sort()).toEqual(["access_token", "scope"]);
    expect(json).toEqual({
      access_token: expect.stringMatching(/^shpat_/),
      scope: "read_customers,write_customers",
    });
  });

  it("answers the expiring offline token fields Shopify documents", async () => {
    const { json } = await exchange({});
    expect(json).toEqual({
      access_token: expect.stringMatching(/^shpat_/),
      scope: "read_customers,write_customers",
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^shprt_/),
      refresh_token_expires_in: 7776000,
    });
  });

  const rejections: [string, Record<string, unknown>, string][] = [
    [
      "a token signed with another secret",
      { subject_token: idToken({}, "other-secret") },
      "invalid_subject_token",
    ],
    ["another app's audience", { subject_token: idToken({ aud: "other-app" }) }, "invalid_subject_token"],
    [
      "a token for another shop",
      {
        subject_token: idToken({
          dest: "https://other.myshopify.com",
          iss: "https://other.myshopify.com/admin",
        }),
      },
      "invalid_subject_token",
    ],
    [
      "a wrong issuer",
      { subject_token: idToken({ iss: "https://evil.example.com/admin" }) },
      "invalid_subject_token",
    ],
    ["an expired token", { subject_token: idToken({ exp: now() - 60 }) }, "invalid_subject_token"],
    ["a token not valid yet", { subject_token: idToken({ nbf: now() + 120 }) }, "invalid_subject_token"],
    ["a malformed token", { subject_token: "not.a.jwt" }, "invalid_subject_token"],
    ["no subject token", { subject_token: "" }, "missing_subject_token"],
    ["a wrong client secret", { client_secret: "nope" }, "invalid_client"],
    ["a wrong client id", { client_id: "nope" }, "invalid_client"],
  ];
  it.each(rejections)("refuses %s with HTTP 400", async (_name, body, error) => {
    const { status, json } = await exchange(body);
    expect(status).toBe(400);
    expect(json).toEqual({ error, error_description: expect.any(String) });
  });

  it("refuses an unknown, used or expired refresh token with invalid_grant", async () => {
    const refresh = (token: string) =>
      post(
        emulator,
        "/admin/oauth/access_token",
        { client_id: API_KEY, client_secret: API_SECRET, grant_type: "refresh_token", refresh_token: token },
        { "X-Forwarded-Host": SHOP },
      );
    expect((await refresh("shprt_unknown")).json.error).toBe("invalid_grant");
    const { json } = await exchange({});
    expect((await refresh(json.refresh_token)).status).toBe(200);
    expect((await refresh(json.refresh_token)).json.error).toBe("invalid_grant");
    const second = await exchange({});
    await control(emulator, "POST", "clock", { advanceSeconds: 91 * 86_400 });
    expect((await refresh(second.json.refresh_token)).json.error).toBe("invalid_grant");
    await control(emulator, "POST", "clock", { reset: true });
  });

  it("stops accepting an expiring access token after its hour, with a 401", async () => {
    const { json } = await exchange({});
    expect((await graphqlWith(json.access_token)).status).toBe(200);
    await control(emulator, "POST", "clock", { advanceSeconds: 3601 });
    const expired = await graphqlWith(json.access_token);
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
    await control(emulator, "POST", "clock", { reset: true });
  });

  it("counts exchanges per shop and forgets tokens on uninstall", async () => {
    const before = (await control(emulator, "GET", `stats?shop=${SHOP}`)).tokenExchanges;
    const { json } = await exchange({ expiring: "0" });
    expect((await control(emulator, "GET", `stats?shop=${SHOP}`)).tokenExchanges).toBe(before + 1);
    await control(emulator, "POST", `shops/${SHOP}/uninstall`, {});
    expect((await graphqlWith(json.access_token)).status).toBe(401);
    expect((await control(emulator, "GET", `shops/${SHOP}`)).installed).toBe(false);
  });
});
