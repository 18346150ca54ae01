import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader as overviewLoader } from "~/routes/app._index/route";
import { loader as appLoader } from "~/routes/app";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { bearerRequest, embeddedDocumentRequest, routeArgs } from "../support/requests";
import { signSessionToken } from "../support/sessionToken";

const shop = "auth-test.myshopify.com";
let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
  await emulator.createShop({ domain: shop, customers: 5, seed: 1 });
});
afterAll(() => emulator?.close());

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    const result = await promise;
    return result instanceof Response ? result.status : 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

describe("authenticate.admin with session tokens", () => {
  it("exchanges a valid session token for an offline token, stores it in SQLite, and queries the shop", async () => {
    // GIVEN no stored session for the shop
    expect(await prisma.session.count({ where: { shop } })).toBe(0);

    // WHEN the merchant opens the app in Shopify admin
    const result = await overviewLoader(routeArgs(embeddedDocumentRequest("/app", { shop })));

    // THEN the page loads with the shop's data, read through admin.graphql
    expect(result.shop).toMatchObject({ domain: shop, accountsMode: "classic", invitesApply: true });

    // AND the library stored an expiring offline session obtained by token exchange
    const sessions = await prisma.session.findMany({ where: { shop } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      id: `offline_${shop}`,
      isOnline: false,
      scope: "read_customers,write_customers",
    });
    expect(sessions[0]!.accessToken).not.toBe("");
    expect(sessions[0]!.expires!.getTime()).toBeGreaterThan(Date.now());
    expect(sessions[0]!.refreshToken).toBeTruthy();
    const exchanges = await emulator.tokenExchanges(shop);
    expect(exchanges).toBeGreaterThanOrEqual(1);

    // AND a second request reuses the stored session instead of exchanging again
    await overviewLoader(routeArgs(embeddedDocumentRequest("/app", { shop })));
    expect(await emulator.tokenExchanges(shop)).toBe(exchanges);
  });

  it("accepts the same token from an extension or the app's frontend as a Bearer header", async () => {
    const status = await statusOf(appLoader(routeArgs(bearerRequest("/app", signSessionToken({ shop })))));
    expect(status).toBe(200);
  });

  describe("refuses requests that do not carry a valid token for this app", () => {
    const refusals: [string, () => Request][] = [
      ["no token at all (Bearer)", () => bearerRequest("/app", null)],
      ["an expired token", () => bearerRequest("/app", signSessionToken({ shop, expiresIn: -120 }))],
      [
        "a token signed with another secret",
        () => bearerRequest("/app", signSessionToken({ shop, secret: "not-our-secret" })),
      ],
      [
        "another app's audience",
        () => bearerRequest("/app", signSessionToken({ shop, apiKey: "another-app" })),
      ],
      ["a malformed token", () => bearerRequest("/app", "not.a.jwt")],
      [
        "an expired id_token in the embedded URL",
        () => embeddedDocumentRequest("/app", signSessionToken({ shop, expiresIn: -120 })),
      ],
      [
        "an id_token signed with another secret in the embedded URL",
        () => embeddedDocumentRequest("/app", signSessionToken({ shop, secret: "not-our-secret" })),
      ],
    ];

    it.each(refusals)("%s", async (_name, makeRequest) => {
      const status = await statusOf(appLoader(routeArgs(makeRequest())));
      expect(status).not.toBe(200);
      expect([302, 401, 403]).toContain(status);
    });

    it("a document request without any token is sent to log in, never served", async () => {
      const status = await statusOf(
        appLoader(
          routeArgs(
            new Request("https://account-invites.test/app", {
              headers: {
                "User-Agent":
                  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
              },
            }),
          ),
        ),
      );
      expect(status).toBe(302);
    });
  });
});
