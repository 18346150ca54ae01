import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import {
  apiRoutes,
  callApi,
  emulatorLinks,
  outboxSize,
  storedCounts,
  type ApiAnswer,
  type ApiRouteName,
  type CallOptions,
} from "../support/api";
import { customers, installShop, type EmulatorCustomer } from "../support/invites";
import { signSessionToken } from "../support/sessionToken";

// What the JSON API refuses, and how: the library refuses bad tokens before any route code runs;
// routes refuse another shop's data (404, nothing leaked) and bad input (400 { error, fieldErrors },
// nothing stored, nothing sent). Every answer carries CORS headers.

const shop = "api-refusals.myshopify.com";
const otherShop = "api-refusals-other.myshopify.com";
let emulator: TestEmulator;
let all: EmulatorCustomer[];
let disabled: EmulatorCustomer;
let campaignId: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  await installShop(emulator, { domain: shop, customers: 20, seed: 21 });
  await installShop(emulator, { domain: otherShop, customers: 5, seed: 22 });
  all = await customers(emulator, shop);
  disabled = all.slice(5).find((c) => c.state === "DISABLED" && c.email)!;
  const created = await callApi("campaigns", {
    method: "POST",
    token: { shop },
    body: { customerIds: all.slice(0, 5).map((c) => c.id), idempotencyKey: "secret-key-of-shop-a" },
  });
  expect(created.status).toBe(202);
  campaignId = (created.json as { campaign: { id: string } }).campaign.id;
});
afterAll(() => emulator?.close());

function expectCors(answer: ApiAnswer) {
  expect(answer.headers.get("Access-Control-Allow-Origin")).toBe("*");
}

/** Everything a refused request could have changed, here or in Shopify. */
async function sideEffects() {
  return {
    stored: await storedCounts(shop),
    campaignStatus: (await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status,
    outbox: await outboxSize(emulator, shop),
    links: (await emulatorLinks(emulator, shop)).length,
  };
}

/** One request per route, each valid apart from what a test changes. */
function everyRoute(): [ApiRouteName, Omit<CallOptions, "token">][] {
  return [
    ["preview", { method: "POST", body: { customerIds: [disabled.id] } }],
    ["campaigns", { method: "POST", body: { customerIds: [disabled.id], idempotencyKey: "auth-refusal" } }],
    ["campaign", { params: { id: campaignId } }],
    ["command", { method: "POST", params: { id: campaignId, command: "cancel" } }],
    ["invite", { method: "POST", params: { id: disabled.id }, body: {} }],
    ["activationUrl", { method: "POST", params: { id: disabled.id }, body: {} }],
    ["history", { params: { id: disabled.id } }],
  ];
}

describe("requests without a valid session token never reach a route", () => {
  const tokens: [string, () => string | null][] = [
    ["no token", () => null],
    ["an expired token", () => signSessionToken({ shop, expiresIn: -120 })],
    ["a token signed with another secret", () => signSessionToken({ shop, secret: "not-our-secret" })],
    ["another app's audience", () => signSessionToken({ shop, apiKey: "another-app" })],
    ["a malformed token", () => "not.a.jwt"],
  ];

  it.each(tokens)("%s: refused by the library on every route, with CORS headers", async (_name, token) => {
    const before = await sideEffects();
    for (const [route, options] of everyRoute()) {
      const answer = await callApi(route, { ...options, token: token() });
      expect(answer.status, route).not.toBe(200);
      expect([302, 401], route).toContain(answer.status);
      // The library answers (it throws its response), not the route.
      expect(answer.thrown, route).toBe(true);
      expectCors(answer);
      expect(answer.text).not.toContain(campaignId);
    }
    expect(await sideEffects()).toEqual(before);
  });

  it("a bad Bearer token gets the library's 401 with an empty body and the retry header", async () => {
    // Noted for the extensions: this 401 has no JSON body (they show "session expired" on any 401).
    const answer = await callApi("campaign", {
      token: signSessionToken({ shop, expiresIn: -120 }),
      params: { id: campaignId },
    });
    expect(answer.status).toBe(401);
    expect(answer.text).toBe("");
    expect(answer.headers.get("X-Shopify-Retry-Invalid-Session-Request")).toBe("1");
  });
});

describe("CORS preflight", () => {
  it.each(Object.keys(apiRoutes) as ApiRouteName[])(
    "OPTIONS %s is answered 204 by the library",
    async (route) => {
      const answer = await callApi(route, {
        method: "OPTIONS",
        token: null,
        params: { id: campaignId, command: "pause" },
        headers: {
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization",
        },
      });
      expect(answer.status).toBe(204);
      expect(answer.thrown).toBe(true);
      expectCors(answer);
      expect(answer.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);
    },
  );
});

describe("another shop's token", () => {
  const other = { shop: otherShop };

  function expectNothingLeaked(answer: ApiAnswer) {
    expect(answer.status).toBe(404);
    expectCors(answer);
    expect(Object.keys(answer.json as object)).toEqual(["error"]);
    for (const secret of [campaignId, shop, "secret-key-of-shop-a", "queued", ...all.map((c) => c.id)]) {
      expect(answer.text).not.toContain(secret);
    }
  }

  it("GET /api/campaigns/:id of this shop's campaign is 404, exactly like a campaign that does not exist", async () => {
    const answer = await callApi("campaign", { token: other, params: { id: campaignId } });
    expectNothingLeaked(answer);
    const missing = await callApi("campaign", { token: other, params: { id: "cm0000000000000000000000" } });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual(answer.json);
  });

  it("pause, resume and cancel of this shop's campaign are 404 and change nothing", async () => {
    const before = await sideEffects();
    for (const command of ["pause", "resume", "cancel"]) {
      const answer = await callApi("command", {
        method: "POST",
        token: other,
        params: { id: campaignId, command },
      });
      expectNothingLeaked(answer);
    }
    expect(await sideEffects()).toEqual(before);
    expect(before.campaignStatus).toBe("queued");
  });

  it("the history of this shop's customer shows nothing of this shop", async () => {
    await callApi("invite", { method: "POST", token: { shop }, params: { id: disabled.id } });
    const answer = await callApi("history", { token: other, params: { id: disabled.id } });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ customer: { id: disabled.id, state: null }, events: [] });
    // The owner sees the invite.
    const own = await callApi("history", { token: { shop }, params: { id: disabled.id } });
    expect((own.json as { events: unknown[] }).events).toHaveLength(1);
  });
});

describe("bad input: 400 with { error, fieldErrors }, nothing stored, nothing sent", () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `gid://shopify/Customer/${i + 1}`);
  const key = { idempotencyKey: "bad-input" };
  const notJson = { raw: "customerIds=1", headers: { "Content-Type": "application/json" } };
  const wrongType = { raw: "{}", headers: { "Content-Type": "text/plain" } };
  const formType = { raw: "a=1", headers: { "Content-Type": "application/x-www-form-urlencoded" } };
  const tooLarge = { raw: JSON.stringify({ customerIds: ["x".repeat(1_000_001)] }) };

  type Case = [string, ApiRouteName, Omit<CallOptions, "token">, string | null];
  const cases = (): Case[] => {
    const id = disabled.id;
    const post = (
      route: ApiRouteName,
      extra: Omit<CallOptions, "token">,
      field: string | null,
      name: string,
    ): Case => [
      name,
      route,
      {
        method: "POST",
        ...(route === "invite" || route === "activationUrl" ? { params: { id } } : {}),
        ...extra,
      },
      field,
    ];
    return [
      // preview
      post("preview", notJson, null, "preview: body not JSON"),
      post("preview", wrongType, null, "preview: text/plain"),
      post("preview", formType, null, "preview: a form"),
      post("preview", tooLarge, null, "preview: over 1 MB"),
      post("preview", { body: [id] }, null, "preview: an array body"),
      post("preview", { raw: "null" }, null, "preview: null body"),
      post("preview", { body: {} }, "customerIds", "preview: no customerIds"),
      post("preview", { body: { customerIds: id } }, "customerIds", "preview: customerIds not a list"),
      post("preview", { body: { customerIds: [] } }, "customerIds", "preview: no customer"),
      post("preview", { body: { customerIds: ["123"] } }, "customerIds.0", "preview: numeric id"),
      post(
        "preview",
        { body: { customerIds: ["gid://shopify/Order/1"] } },
        "customerIds.0",
        "preview: GID of an order",
      ),
      post(
        "preview",
        { body: { customerIds: ["gid://shopify/Customer/0"] } },
        "customerIds.0",
        "preview: id 0",
      ),
      post(
        "preview",
        { body: { customerIds: ["gid://shopify/Customer/99999999999999999999999"] } },
        "customerIds.0",
        "preview: id beyond 64 bits",
      ),
      post("preview", { body: { customerIds: ids(251) } }, "customerIds", "preview: 251 customers"),
      post(
        "preview",
        { body: { customerIds: [id], includeDeclined: "yes" } },
        "includeDeclined",
        "preview: flag not boolean",
      ),
      post("preview", { body: { customerIds: [id], extra: 1 } }, "form", "preview: unknown field"),
      // campaigns
      post("campaigns", notJson, null, "campaigns: body not JSON"),
      post("campaigns", wrongType, null, "campaigns: text/plain"),
      post("campaigns", { raw: '"a string"' }, null, "campaigns: a JSON string"),
      post("campaigns", { body: { customerIds: [id] } }, "idempotencyKey", "campaigns: no idempotencyKey"),
      post(
        "campaigns",
        { body: { customerIds: [id], idempotencyKey: "   " } },
        "idempotencyKey",
        "campaigns: blank key",
      ),
      post(
        "campaigns",
        { body: { customerIds: [id], idempotencyKey: "k".repeat(201) } },
        "idempotencyKey",
        "campaigns: long key",
      ),
      post(
        "campaigns",
        { body: { customerIds: [id], idempotencyKey: 7 } },
        "idempotencyKey",
        "campaigns: key not a string",
      ),
      post("campaigns", { body: key }, "customerIds", "campaigns: neither ids nor query"),
      post(
        "campaigns",
        { body: { ...key, customerIds: [id], query: "state:disabled" } },
        "customerIds",
        "campaigns: both ids and query",
      ),
      post("campaigns", { body: { ...key, customerIds: [] } }, "customerIds", "campaigns: no customer"),
      post(
        "campaigns",
        { body: { ...key, customerIds: ids(5_001) } },
        "customerIds",
        "campaigns: 5,001 customers",
      ),
      post(
        "campaigns",
        { body: { ...key, customerIds: [id, "gid://shopify/Customer/abc"] } },
        "customerIds.1",
        "campaigns: bad id",
      ),
      post("campaigns", { body: { ...key, query: " " } }, "query", "campaigns: blank query"),
      post("campaigns", { body: { ...key, query: "q".repeat(1_001) } }, "query", "campaigns: long query"),
      post(
        "campaigns",
        { body: { ...key, customerIds: [id], email: "hi" } },
        "email",
        "campaigns: email not an object",
      ),
      post(
        "campaigns",
        { body: { ...key, customerIds: [id], email: { subject: "s".repeat(256) } } },
        "email.subject",
        "campaigns: long subject",
      ),
      post(
        "campaigns",
        { body: { ...key, customerIds: [id], email: { customMessage: "m".repeat(5_001) } } },
        "email.customMessage",
        "campaigns: long message",
      ),
      post(
        "campaigns",
        { body: { ...key, customerIds: [id], email: { from: "not an address" } } },
        "email.from",
        "campaigns: bad from",
      ),
      post(
        "campaigns",
        { body: { ...key, customerIds: [id], email: { bcc: ["a@example.com", "nope"] } } },
        "email.bcc.1",
        "campaigns: bad bcc",
      ),
      post(
        "campaigns",
        {
          body: {
            ...key,
            customerIds: [id],
            email: { bcc: Array.from({ length: 6 }, (_, i) => `b${i}@example.com`) },
          },
        },
        "email.bcc",
        "campaigns: 6 bcc",
      ),
      post(
        "campaigns",
        { body: { ...key, customerIds: [id], email: { to: "x@example.com" } } },
        "email",
        "campaigns: unknown email field",
      ),
      post(
        "campaigns",
        { body: { ...key, customerIds: [id], status: "completed" } },
        "form",
        "campaigns: unknown field",
      ),
      // one invite
      post("invite", { params: { id: "abc" } }, "id", "invite: id not an id"),
      post("invite", { params: { id: "0" } }, "id", "invite: id 0"),
      post("invite", { params: { id: "gid://shopify/Order/1" } }, "id", "invite: GID of an order"),
      post("invite", { params: { id: "%" } }, "id", "invite: a stray percent sign"),
      post("invite", { params: { id: "%E0%A4%A" } }, "id", "invite: broken percent encoding"),
      post("invite", { params: { id: "123456789012345678901" } }, "id", "invite: id beyond 64 bits"),
      post("invite", notJson, null, "invite: body not JSON"),
      post("invite", wrongType, null, "invite: text/plain"),
      post("invite", { body: [1] }, null, "invite: an array body"),
      post("invite", { body: { email: { subject: "  " } } }, "email.subject", "invite: blank subject"),
      post("invite", { body: { email: { from: "nobody" } } }, "email.from", "invite: bad from"),
      post("invite", { body: { email: [] } }, "email", "invite: email a list"),
      post("invite", { body: { subject: "Hi" } }, "form", "invite: unknown field"),
      // activation link
      post("activationUrl", { params: { id: "-1" } }, "id", "activation-url: negative id"),
      post("activationUrl", { params: { id: "%zz" } }, "id", "activation-url: broken percent encoding"),
      post("activationUrl", notJson, null, "activation-url: body not JSON"),
      post("activationUrl", formType, null, "activation-url: a form"),
      post("activationUrl", { body: { replace: "yes" } }, "replace", "activation-url: replace not boolean"),
      post(
        "activationUrl",
        { body: { replace: true, force: true } },
        "form",
        "activation-url: unknown field",
      ),
      // history
      ["history: id not an id", "history", { params: { id: "customer-1" } }, "id"],
      ["history: a stray percent sign", "history", { params: { id: "%" } }, "id"],
    ];
  };

  it("covers every route that takes input", () => {
    expect(new Set(cases().map(([, route]) => route))).toEqual(
      new Set(["preview", "campaigns", "invite", "activationUrl", "history"]),
    );
  });

  it("refuses each kind of bad input", async () => {
    const before = await sideEffects();
    for (const [name, route, options, field] of cases()) {
      const answer = await callApi(route, { ...options, token: { shop } });
      expect(answer.status, name).toBe(400);
      expectCors(answer);
      const body = answer.json as { error: unknown; fieldErrors: unknown };
      expect(body, name).toEqual({ error: expect.any(String), fieldErrors: expect.any(Object) });
      expect((body.error as string).length, name).toBeGreaterThan(3);
      if (field) {
        expect(Object.keys(body.fieldErrors as object), name).toContain(field);
        expect((body.fieldErrors as Record<string, string>)[field], name).toEqual(expect.any(String));
      }
    }
    expect(await sideEffects()).toEqual(before);
  });
});

describe("wrong method or unknown target", () => {
  it("a route answers the methods it does not take with 405 JSON, with CORS", async () => {
    const before = await sideEffects();
    const calls: [ApiRouteName, string, Record<string, string>][] = [
      ["preview", "GET", {}],
      ["preview", "PUT", {}],
      ["campaigns", "GET", {}],
      ["campaigns", "DELETE", {}],
      ["command", "GET", { id: campaignId, command: "cancel" }],
      ["command", "PUT", { id: campaignId, command: "cancel" }],
      ["invite", "GET", { id: disabled.id }],
      ["invite", "DELETE", { id: disabled.id }],
      ["activationUrl", "GET", { id: disabled.id }],
      ["activationUrl", "PUT", { id: disabled.id }],
      ["campaign", "POST", { id: campaignId }],
      ["campaign", "DELETE", { id: campaignId }],
      ["history", "POST", { id: disabled.id }],
    ];
    for (const [route, method, params] of calls) {
      const answer = await callApi(route, { method, params, token: { shop } });
      expect(answer.status, `${method} ${route}`).toBe(405);
      expectCors(answer);
      expect(answer.json).toEqual({ error: expect.stringMatching(/Use (GET|POST)/) });
    }
    expect(await sideEffects()).toEqual(before);
  });

  it("an unknown campaign or command is 404 JSON", async () => {
    for (const [id, command] of [
      [campaignId, "delete"],
      ["not a campaign", "pause"],
      ["cm0000000000000000000000", "pause"],
    ] as const) {
      const answer = await callApi("command", { method: "POST", token: { shop }, params: { id, command } });
      expect(answer.status).toBe(404);
      expectCors(answer);
      expect(answer.json).toEqual({ error: expect.any(String) });
    }
    const view = await callApi("campaign", { token: { shop }, params: { id: "../../etc/passwd" } });
    expect(view.status).toBe(404);
  });
});

describe("when Shopify does not answer", () => {
  it("every route that asks Shopify answers a JSON error with its reason and CORS headers", async () => {
    const customer = all.slice(5).filter((c) => c.state === "DISABLED" && c.email)[1]!;
    const before = await sideEffects();
    await emulator.control("POST", "faults", { shop, errorRate: 1, errorStatus: 503 });
    try {
      const calls: [ApiRouteName, Omit<CallOptions, "token">][] = [
        ["preview", { method: "POST", body: { customerIds: [customer.id] } }],
        ["invite", { method: "POST", params: { id: customer.id } }],
        ["activationUrl", { method: "POST", params: { id: customer.id } }],
      ];
      for (const [route, options] of calls) {
        const answer = await callApi(route, { ...options, token: { shop } });
        expect(answer.status, route).toBe(503);
        expect(answer.thrown, route).toBe(false);
        expectCors(answer);
        expect(answer.json, route).toEqual({ error: expect.stringMatching(/^Shopify did not answer/) });
      }
      // The history still shows what the app knows, without the state Shopify would report.
      const history = await callApi("history", { token: { shop }, params: { id: customer.id } });
      expect(history.status).toBe(200);
      expect(history.json).toEqual({ customer: { id: customer.id, state: null }, events: [] });
    } finally {
      await emulator.control("DELETE", `faults?shop=${encodeURIComponent(shop)}`);
    }
    expect(await sideEffects()).toEqual(before);
  });

  it("a revoked offline token gets the library's 401 with CORS headers, and the next request works", async () => {
    const customer = all.slice(5).filter((c) => c.state === "DISABLED" && c.email)[2]!;
    await emulator.control("POST", `shops/${shop}/expire-tokens`, {});
    const request = () =>
      callApi("activationUrl", { method: "POST", token: { shop }, params: { id: customer.id } });
    const refused = await request();
    // The library deletes the dead session and throws its 401 (empty body); the route adds CORS.
    expect(refused.status).toBe(401);
    expect(refused.thrown).toBe(true);
    expectCors(refused);
    expect(await emulatorLinks(emulator, shop, customer.id)).toEqual([]);
    // The next request exchanges the session token again.
    const again = await request();
    expect(again.status).toBe(200);
    expect((again.json as { url: string }).url).toMatch(/^https:\/\//);
  });
});
