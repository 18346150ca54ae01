import { describe, expect, it } from "vitest";
import { REDACTED, isSecretKey, redactDeep, redactString } from "~/utils/redact";

// Values in the formats Shopify and the emulator issue (emulator/src/tokens.ts, emulator/src/store.ts).
const offlineToken = "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";
const onlineToken = "shpua_00112233445566778899aabbccddeeff";
const refreshToken = "shprt_aabbccddeeff00112233445566778899aabbccddeeff0011";
const customAppToken = "shpca_1234567890abcdef1234567890abcdef";
const jwt =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2RlbW8ubXlzaG9waWZ5LmNvbS9hZG1pbiJ9.c2lnbmF0dXJlLXBhcnQ";
const activationUrl =
  "https://demo.myshopify.com/account/activate/7001/5f1c0ffee5f1c0ffee5f1c0ffee5f1c0ffee5f1c0ffee5f1c0ffee5f1c0ffee0";

function text(value: unknown) {
  return JSON.stringify(redactDeep(value));
}

describe("redactString", () => {
  it.each([
    ["an offline token", `token ${offlineToken} refused`, offlineToken],
    ["an online token", `x-shopify-access-token: ${onlineToken}`, onlineToken],
    ["a refresh token", `refresh with ${refreshToken}`, refreshToken],
    ["a custom app token", customAppToken, customAppToken],
    ["a session token (JWT)", `Bearer ${jwt}`, jwt],
    ["an activation link", `link: ${activationUrl}.`, "/account/activate/"],
    ["a relative activation path", "GET /account/activate/7001/abcdef0123", "abcdef0123"],
    ["a bearer credential", "Authorization: Bearer abc.def-ghi_jkl", "abc.def-ghi_jkl"],
  ])("replaces %s", (_what, input, secret) => {
    const out = redactString(input);
    expect(out).not.toContain(secret);
    expect(out).not.toBe(input);
  });

  it("replaces credentials inside a URL and keeps the rest of it", () => {
    const url = `https://app.test/app?embedded=1&hmac=9f86d081884c7d65&host=YWRtaW4&id_token=${jwt}&session=s1&shop=demo.myshopify.com&code=c0de&state=st4te`;
    const out = redactString(url);
    for (const secret of ["9f86d081884c7d65", jwt, "=s1", "c0de", "st4te"]) expect(out).not.toContain(secret);
    expect(out).toContain("shop=demo.myshopify.com");
    expect(out).toContain("host=YWRtaW4");
    expect(out).toContain("embedded=1");
    expect(out).toContain(`id_token=${REDACTED}`);
  });

  it("leaves ordinary text alone", () => {
    const line = "campaign cmf0abc12 sent 250 invites to gid://shopify/Customer/7001 in 3.2 s";
    expect(redactString(line)).toBe(line);
  });
});

describe("isSecretKey", () => {
  it.each([
    "accessToken",
    "access_token",
    "refresh_token",
    "id_token",
    "idToken",
    "sessionToken",
    "hmac",
    "X-Shopify-Hmac-Sha256",
    "x-shopify-access-token",
    "authorization",
    "Authorization",
    "cookie",
    "set-cookie",
    "password",
    "apiSecretKey",
    "accountActivationUrl",
    "activationUrl",
    "inviteToken",
  ])("%s is a secret", (key) => expect(isSecretKey(key)).toBe(true));

  it.each(["shop", "url", "status", "code", "state", "tokenExchanges", "customerId", "sessions", "message"])(
    "%s is not",
    (key) => expect(isSecretKey(key)).toBe(false),
  );
});

describe("redactDeep", () => {
  it("redacts by key at any depth, in objects and arrays", () => {
    const out = redactDeep({
      shop: "demo.myshopify.com",
      a: { b: { c: { d: { e: { accessToken: "plain-looking-value", keep: 1 } } } } },
      list: [{ accountActivationUrl: "https://x/y" }, { nested: [{ password: "hunter2" }] }],
    });
    expect(out).toEqual({
      shop: "demo.myshopify.com",
      a: { b: { c: { d: { e: { accessToken: REDACTED, keep: 1 } } } } },
      list: [{ accountActivationUrl: REDACTED }, { nested: [{ password: REDACTED }] }],
    });
  });

  it("redacts by value wherever a string sits", () => {
    const out = text({
      graphql: {
        data: { customerGenerateAccountActivationUrl: { link: activationUrl, userErrors: [] } },
        extensions: { note: `used ${offlineToken}` },
      },
      urls: [`https://app.test/app?id_token=${jwt}`],
    });
    expect(out).not.toContain(offlineToken);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain("/account/activate/");
    expect(out).toContain("userErrors");
  });

  it("walks errors: message, stack, own properties (the library's body and response) and causes", () => {
    const inner = new Error(`token exchange refused for ${onlineToken}`);
    const error = Object.assign(new Error("GraphQL Client: Bad Request", { cause: inner }), {
      body: { errors: { networkStatusCode: 400 }, data: { accountActivationUrl: activationUrl } },
      response: {
        headers: { "X-Shopify-Access-Token": offlineToken, "Content-Type": "application/json" },
        body: `{"access_token":"${offlineToken}","scope":"read_customers"}`,
      },
    });
    const out = redactDeep({ err: error }) as { err: Record<string, unknown> };
    const json = JSON.stringify(out);
    expect(json).not.toContain(offlineToken);
    expect(json).not.toContain(onlineToken);
    expect(json).not.toContain("/account/activate/");
    expect(out.err.type).toBe("Error");
    expect(out.err.message).toBe("GraphQL Client: Bad Request");
    expect(String(out.err.stack)).toContain("GraphQL Client: Bad Request");
    expect(out.err.response).toMatchObject({ headers: { "Content-Type": "application/json" } });
    expect(out.err.cause).toMatchObject({
      type: "Error",
      message: "token exchange refused for [redacted token]",
    });
    expect(json).toContain('"scope\\":\\"read_customers\\"');
  });

  it("keeps AggregateError's errors", () => {
    const out = text({ err: new AggregateError([new Error(`a ${offlineToken}`)], "several") });
    expect(out).toContain("several");
    expect(out).toContain("[redacted token]");
    expect(out).not.toContain(offlineToken);
  });

  it("survives cycles and keeps shared (non-cyclic) references", () => {
    const shared = { token: offlineToken, name: "shared" };
    const node: Record<string, unknown> = { name: "root", left: shared, right: shared };
    node.self = node;
    const error = new Error("loop") as Error & { again?: unknown };
    error.again = error;
    const out = redactDeep({ node, error }) as Record<string, Record<string, unknown>>;
    expect(out.node!.self).toBe("[circular]");
    expect(out.node!.left).toEqual({ token: REDACTED, name: "shared" });
    expect(out.node!.right).toEqual({ token: REDACTED, name: "shared" });
    expect(out.error!.again).toBe("[circular]");
  });

  it("stops at the depth bound, and the secret below it never appears", () => {
    let deep: Record<string, unknown> = { secret: offlineToken };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    const json = text(deep);
    expect(json).toContain("[depth limit]");
    expect(json).not.toContain(offlineToken);
    expect(JSON.stringify(redactDeep({ a: { b: { c: 1 } } }, { maxDepth: 1 }))).toBe(
      '{"a":{"b":"[depth limit]"}}',
    );
  });

  it("bounds arrays, keys and the total work", () => {
    const out = redactDeep(
      Array.from({ length: 150 }, (_, i) => i),
      { maxArrayItems: 3 },
    );
    expect(out).toEqual([0, 1, 2, "[+147 more]"]);
    const wide = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(redactDeep(wide, { maxKeys: 4 }) as object)).toEqual([
      "k0",
      "k1",
      "k2",
      "k3",
      "[more keys]",
    ]);
    const huge = Array.from({ length: 100 }, () => Array.from({ length: 100 }, () => offlineToken));
    const json = JSON.stringify(redactDeep(huge, { maxNodes: 500 }));
    expect(json).toContain("[truncated]");
    expect(json).not.toContain(offlineToken);
  });

  it("turns Headers, Maps, Sets, Dates, URLs, Responses and binary into loggable values", () => {
    const out = redactDeep({
      headers: new Headers({ authorization: `Bearer ${jwt}`, "content-type": "text/html" }),
      map: new Map<string, unknown>([
        ["accessToken", offlineToken],
        ["shop", "a.myshopify.com"],
      ]),
      set: new Set([offlineToken]),
      at: new Date("2026-12-01T00:00:00Z"),
      url: new URL(`https://app.test/app?hmac=abc123&shop=a.myshopify.com`),
      response: new Response("body", { status: 401, statusText: "Unauthorized" }),
      bytes: new Uint8Array(12),
      big: 12n,
    });
    expect(out).toEqual({
      headers: { authorization: REDACTED, "content-type": "text/html" },
      map: { accessToken: REDACTED, shop: "a.myshopify.com" },
      set: ["[redacted token]"],
      at: "2026-12-01T00:00:00.000Z",
      url: `https://app.test/app?hmac=${REDACTED}&shop=a.myshopify.com`,
      response: { type: "Response", status: 401, statusText: "Unauthorized", url: "" },
      bytes: "[binary 12 bytes]",
      big: "12",
    });
  });

  it("does not change the object it is given", () => {
    const input = { accessToken: offlineToken, nested: { url: activationUrl } };
    const copy = structuredClone(input);
    redactDeep(input);
    expect(input).toEqual(copy);
  });
});
