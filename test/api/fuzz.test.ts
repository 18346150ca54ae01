import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { callApi, emulatorLinks, outboxSize, storedCounts, type ApiRouteName } from "../support/api";
import { customers, installShop } from "../support/invites";
import { signSessionToken } from "../support/sessionToken";

// A property-based test of the whole JSON API: generated malformed bodies, content types, headers,
// tokens, path ids and methods, sent to every route with one emulator and one installed shop. Whatever
// arrives: never a 5xx, never a send (the emulator's outbox and links stay empty, the database records
// nothing), and every refusal is JSON { error } a person can read, with CORS headers.
//
// Every generated request is invalid by construction (a bad id, a bad method, a bad token, or a body
// that the route's strict schema must refuse), except previews and histories, which only read.
// FUZZ_RUNS overrides the number of runs; a failure prints fast-check's seed and path to replay it.

const shop = "api-fuzz.myshopify.com";
const otherShop = "api-fuzz-other.myshopify.com";
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 1_200);

let emulator: TestEmulator;
let customerIds: string[];
let otherCampaignId: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  await installShop(emulator, { domain: shop, customers: 12, seed: 31 });
  customerIds = (await customers(emulator, shop)).map((c) => c.id);
  // Another shop's campaign, recorded directly: its id is one of the ids thrown at this shop's routes.
  const { campaign } = await createCampaign({
    shop: otherShop,
    requestedBy: "7",
    input: { customerIds: ["gid://shopify/Customer/1"], includeDeclined: false, idempotencyKey: "other" },
  });
  otherCampaignId = campaign.id;
});
afterAll(() => emulator?.close());

// ---------------------------------------------------------------------------------------------------
// Generators

const KNOWN_KEYS = ["customerIds", "query", "email", "includeDeclined", "idempotencyKey", "replace"];

/** Unicode, control characters, emoji, lone surrogates: strings nobody should trip on. */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", " ", "\u0000", "\u202e", "💥", "\ud800", "null", "undefined", "NaN", "<script>"),
);

/** Something that is not a customer id (numeric or GID) in any spelling a route could accept. */
const invalidCustomerId = fc.oneof(
  anyText.filter((s) => !/^[\d\s]*$/.test(s) && !s.includes("%") && !s.startsWith("gid://shopify/Customer/")),
  fc.nat().map((n) => `0${n}`),
  fc.integer({ min: -1e9, max: -1 }).map(String),
  fc.constantFrom(
    "0",
    "",
    "1.5",
    "1e3",
    " 123",
    "123 ",
    "0x1F",
    "١٢٣",
    "９",
    "%",
    "%zz",
    "%E0%A4%A",
    "%00",
    "../1",
    "gid://shopify/Customer/",
    "gid://shopify/Customer/0",
    "gid://shopify/Customer/abc",
    "gid://shopify/Customer/12?x=1",
    "gid://shopify/Customer/-5",
    "gid://shopify/Order/123",
    "gid://shopify/customer/123",
    "GID://SHOPIFY/CUSTOMER/123",
    "9223372036854775808",
    "99999999999999999999999999",
  ),
  fc.bigInt({ min: 9_223_372_036_854_775_808n, max: 10n ** 40n }).map(String),
  fc.bigInt({ min: 9_223_372_036_854_775_808n, max: 10n ** 30n }).map((n) => `gid://shopify/Customer/${n}`),
  fc
    .string({ minLength: 1 })
    .filter((s) => s !== "Customer")
    .map((s) => `gid://shopify/${s}/1`),
);

/** Customer GIDs of the right shape: unknown to the shop (small numbers), or beyond Shopify's 64 bits. */
const wellFormedGid = fc.integer({ min: 1, max: 2 ** 40 }).map((n) => `gid://shopify/Customer/${n}`);
const outOfRangeGid = fc
  .bigInt({ min: 9_223_372_036_854_775_808n, max: 10n ** 25n })
  .map((n) => `gid://shopify/Customer/${n}`);

/** Campaign ids that name no campaign of this shop: junk, cuid-shaped strangers, another shop's. */
const foreignCampaignId = fc.oneof(
  anyText,
  fc.stringMatching(/^c[a-z0-9]{24}$/),
  fc.stringMatching(/^[A-Z0-9]{25}$/),
  fc.constantFrom("%", "..", "../campaigns", "cm0", "a".repeat(41), "x".repeat(10_000)),
  fc.constant("OTHER_SHOP_CAMPAIGN"),
);

const command = fc.oneof(fc.constantFrom("pause", "resume", "cancel"), anyText);

/** Values a strict schema must refuse as a known field's value, whatever the route. */
const badEmail = fc.oneof(
  fc.jsonValue().filter((v) => v === null || typeof v !== "object" || Array.isArray(v)),
  fc.record({ subject: fc.oneof(fc.constantFrom("", "   "), fc.integer(), fc.constant("s".repeat(256))) }),
  fc.record({ customMessage: fc.oneof(fc.constant(" "), fc.boolean(), fc.constant("m".repeat(5_001))) }),
  fc.record({
    from: fc.oneof(
      anyText.filter((s) => !s.includes("@")),
      fc.constant(["a@b.co"]),
    ),
  }),
  fc.record({
    bcc: fc.oneof(
      fc.constant("a@b.co"),
      fc.array(
        anyText.filter((s) => !s.includes("@")),
        { minLength: 1 },
      ),
    ),
  }),
  fc.record({ bcc: fc.constant(Array.from({ length: 6 }, (_, i) => `b${i}@example.com`)) }),
  fc.dictionary(
    fc.string({ minLength: 1 }).filter((k) => !["subject", "customMessage", "from", "bcc"].includes(k)),
    fc.jsonValue(),
    { minKeys: 1 },
  ),
);

const poison: fc.Arbitrary<[string, unknown]> = fc.oneof(
  // A key no route knows (strict schemas refuse it), prototype names included.
  fc.tuple(
    fc
      .oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", ""))
      .filter((k) => !KNOWN_KEYS.includes(k)),
    fc.jsonValue(),
  ),
  fc.tuple(
    fc.constant("replace"),
    fc.jsonValue().filter((v) => typeof v !== "boolean"),
  ),
  fc.tuple(
    fc.constant("includeDeclined"),
    fc.jsonValue().filter((v) => typeof v !== "boolean"),
  ),
  fc.tuple(
    fc.constant("idempotencyKey"),
    fc.oneof(fc.constantFrom("", "  ", "k".repeat(201)), fc.integer(), fc.constant(null)),
  ),
  fc.tuple(
    fc.constant("query"),
    fc.oneof(fc.constantFrom("", " ", "q".repeat(1_001)), fc.integer(), fc.array(fc.string())),
  ),
  fc.tuple(fc.constant("email"), badEmail),
  fc.tuple(
    fc.constant("customerIds"),
    fc.oneof(
      fc.constant([]),
      fc.jsonValue().filter((v) => !Array.isArray(v)),
      fc.array(invalidCustomerId, { minLength: 1, maxLength: 5 }),
      fc.constant(Array.from({ length: 5_001 }, (_, i) => `gid://shopify/Customer/${i + 1}`)),
    ),
  ),
);

/** A JSON object no route accepts: anything, plus one poisoned field. */
const poisonedObject = fc
  .tuple(
    fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string()), fc.jsonValue({ maxDepth: 3 }), {
      maxKeys: 4,
    }),
    poison,
  )
  .map(([base, [key, value]]) => {
    const body: Record<string, unknown> = { ...base };
    Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
    return body;
  });

function nested(depth: number, open: string, close: string, leaf = "1") {
  return open.repeat(depth) + leaf + close.repeat(depth);
}

interface BodyCase {
  /** Body text, or null for no body. */
  text: string | null;
  contentType: string | null;
  /** False when the body could be accepted (empty, or a real object without poison). */
  refused: boolean;
}

const json = (value: unknown) => JSON.stringify(value);
const refusedText = (text: string): BodyCase => ({ text, contentType: "application/json", refused: true });

const body: fc.Arbitrary<BodyCase> = fc.oneof(
  { weight: 5, arbitrary: poisonedObject.map((o) => refusedText(json(o))) },
  // Well-formed GIDs next to malformed ones (beyond 64 bits, wrong type, junk): a preview's shape, with no
  // idempotency key or with fields the single-customer routes do not know, so no write accepts it.
  {
    weight: 3,
    arbitrary: fc
      .record(
        {
          customerIds: fc.oneof(
            fc.array(fc.oneof(wellFormedGid, outOfRangeGid), { minLength: 1, maxLength: 10 }),
            fc.array(fc.oneof(wellFormedGid, invalidCustomerId), { minLength: 1, maxLength: 30 }),
          ),
          includeDeclined: fc.boolean(),
        },
        { requiredKeys: ["customerIds"] },
      )
      .map((o) => refusedText(json(o))),
  },
  // Any JSON that is not an object.
  {
    weight: 2,
    arbitrary: fc
      .jsonValue()
      .filter((v) => v === null || typeof v !== "object" || Array.isArray(v))
      .map((v) => refusedText(json(v))),
  },
  // Any JSON at all (objects included): refused unless it happens to be a valid request.
  {
    weight: 1,
    arbitrary: fc
      .jsonValue()
      .map((v) => ({ text: json(v), contentType: "application/json", refused: false })),
  },
  // Text that is not JSON.
  {
    weight: 2,
    arbitrary: anyText
      .filter((s) => s.trim() !== "" && !parsesToObject(s.replace(/^\ufeff/, "")))
      .map((s) => refusedText(s)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("{", "{]", "{'a':1}", '{"a":}', "\ufeff[]", "NaN", "[1,]").map(refusedText),
  },
  // Huge strings and big arrays.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        () => refusedText(json({ customerIds: ["x".repeat(200_000)] })),
        () => refusedText(json({ email: { subject: "s".repeat(300_000) }, idempotencyKey: "k" })),
        () => refusedText(json({ query: "q".repeat(50_000), idempotencyKey: "k".repeat(50_000) })),
        () => refusedText("a".repeat(1_000_001)),
        () => refusedText(json({ replace: "r".repeat(1_000_001) })),
        () =>
          refusedText(
            json({ customerIds: Array.from({ length: 6_000 }, (_, i) => `gid://shopify/Customer/${i + 1}`) }),
          ),
      )
      .map((make) => make()),
  },
  // Deeply nested values, in known fields and alone.
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 1, max: 20_000 }),
        fc.constantFrom("array", "object", "email", "customerIds", "replace"),
      )
      .map(([depth, where]) => {
        if (where === "array") return refusedText(nested(depth, "[", "]"));
        const deep = nested(depth, '{"a":', "}");
        if (where === "object") return refusedText(deep);
        return refusedText(`{"${where}":${where === "email" ? `{"subject":${deep}}` : deep}}`);
      }),
  },
  // A perfectly good body in a content type that is not JSON.
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.oneof(
          fc.constantFrom(
            "text/plain",
            "text/html",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "application/xml",
            "application/octet-stream",
            "json",
          ),
          fc
            .stringMatching(/^[\x21-\x7e]{1,40}$/)
            .filter((s) => !s.toLowerCase().includes("application/json")),
        ),
        fc.constantFrom(
          json({}),
          json({ replace: true }),
          json({ customerIds: ["gid://shopify/Customer/1"] }),
          "a=1&b=2",
        ),
      )
      .map(([contentType, text]) => ({ text, contentType, refused: true })),
  },
  // No body, or only whitespace: the empty object, which some routes accept.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(null, "", "  \n\t")
      .map((text) => ({ text, contentType: null, refused: false })),
  },
);

function parsesToObject(text: string) {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value);
  } catch {
    return false;
  }
}

type Auth =
  | { kind: "valid" }
  | { kind: "expired" | "wrong-secret" | "other-app" | "none" | "empty" }
  | { kind: "header"; value: string };

const auth: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 20, arbitrary: fc.constant({ kind: "valid" } as const) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      ...(["expired", "wrong-secret", "other-app", "none", "empty"] as const).map((kind) => ({ kind })),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.stringMatching(/^[\x20-\x7e]{0,80}$/).map((s) => `Bearer ${s}`),
        fc.constantFrom("Basic dXNlcjpwYXNz", "bearer", "Bearer a.b.c", "Token abc", "Bearer  x"),
      )
      .map((value) => ({ kind: "header", value }) as const),
  },
);

function tokenFor(a: Auth): string | null {
  switch (a.kind) {
    case "valid":
      return signSessionToken({ shop });
    case "expired":
      return signSessionToken({ shop, expiresIn: -120 });
    case "wrong-secret":
      return signSessionToken({ shop, secret: "not-our-secret" });
    case "other-app":
      return signSessionToken({ shop, apiKey: "another-app" });
    case "empty":
      return "";
    default:
      return null;
  }
}

const extraHeaders = fc.record(
  {
    "Content-Language": fc.constantFrom("en", "fr", "en-US"),
    Accept: fc.constantFrom("application/json", "*/*", "text/html", "application/xml"),
    "X-Requested-With": fc.stringMatching(/^[\x21-\x7e]{0,30}$/),
    "Accept-Language": fc.constantFrom("fr", "de-DE", "*", "zz"),
  },
  { requiredKeys: [] },
);

const ROUTES: ApiRouteName[] = [
  "preview",
  "campaigns",
  "campaign",
  "command",
  "invite",
  "activationUrl",
  "history",
];

const request = fc.record({
  route: fc.constantFrom(...ROUTES),
  /** Mostly the route's own method, so the input validation behind it is what gets exercised. */
  method: fc.oneof(
    { weight: 3, arbitrary: fc.constant("OWN") },
    { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE") },
  ),
  auth,
  customerId: fc.oneof(
    { weight: 3, arbitrary: invalidCustomerId },
    { weight: 2, arbitrary: fc.constant("REAL") },
  ),
  realCustomer: fc.nat(),
  campaignId: foreignCampaignId,
  command,
  body,
  replacementBody: poisonedObject,
  headers: extraHeaders,
});
type GeneratedRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------------
// The property

const STACK_TRACE = /\n\s+at\s|\bat\s.+:\d+:\d+|node_modules|\.tsx?:\d+|Error:/;

/** Routes that only read, where a valid request is answered 200. */
const READ_ONLY: ApiRouteName[] = ["preview", "history"];

function isCustomerId(value: string) {
  return value === "REAL";
}

async function sendOne(generated: GeneratedRequest) {
  const { route, headers } = generated;
  const method =
    generated.method !== "OWN"
      ? generated.method
      : route === "campaign" || route === "history"
        ? "GET"
        : "POST";
  const customerId = isCustomerId(generated.customerId)
    ? customerIds[generated.realCustomer % customerIds.length]!
    : generated.customerId;
  const campaignId = generated.campaignId === "OTHER_SHOP_CAMPAIGN" ? otherCampaignId : generated.campaignId;
  const params: Record<string, string> =
    route === "campaign" || route === "command"
      ? { id: campaignId, command: generated.command }
      : route === "invite" || route === "activationUrl" || route === "history"
        ? { id: customerId }
        : {};

  // Writes happen only for POST with a real customer (or for /api/campaigns): there the body must be one
  // the schema refuses, whatever else was generated.
  let bodyCase = generated.body;
  const writes = route === "campaigns" || route === "invite" || route === "activationUrl";
  if (writes && method === "POST" && !bodyCase.refused) {
    bodyCase = {
      text: JSON.stringify(generated.replacementBody),
      contentType: "application/json",
      refused: true,
    };
  }
  const requestHeaders: Record<string, string> = { ...headers };
  if (bodyCase.contentType) requestHeaders["Content-Type"] = bodyCase.contentType;
  if (generated.auth.kind === "header") requestHeaders.Authorization = generated.auth.value;
  const withBody = method !== "GET" && bodyCase.text !== null;

  const answer = await callApi(route, {
    method,
    params,
    token: tokenFor(generated.auth),
    headers: requestHeaders,
    ...(withBody ? { raw: bodyCase.text! } : {}),
  });
  return { answer, method };
}

describe("the JSON API under generated malformed requests", () => {
  it(`never answers 5xx, never sends, always answers a readable JSON error (${NUM_RUNS} runs)`, async () => {
    const seen = new Map<string, number>();
    const statuses = new Map<number, number>();
    const baseline = {
      stored: await storedCounts(shop),
      allCampaigns: await prisma.campaign.count(),
      other: await prisma.campaign.findUniqueOrThrow({ where: { id: otherCampaignId } }),
    };
    expect(baseline.stored).toEqual({ campaigns: 0, recipients: 0, activationLinks: 0 });

    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        const { answer, method } = await sendOne(generated);
        const label = `${method} ${generated.route} → ${answer.status} ${answer.text.slice(0, 200)}`;
        seen.set(generated.route, (seen.get(generated.route) ?? 0) + 1);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);

        // Never our fault.
        expect(answer.status, label).toBeLessThan(500);
        // CORS on every answer, the library's included.
        expect(answer.headers.get("Access-Control-Allow-Origin"), label).toBe("*");

        if (answer.thrown) {
          // Only a bad token gets the library's own answer (401, or 302 to log in without any token).
          expect(generated.auth.kind, label).not.toBe("valid");
          expect([302, 401], label).toContain(answer.status);
        } else if (answer.status >= 300) {
          // A route's refusal: { error } a person can read, and nothing of the machinery.
          expect(answer.headers.get("Content-Type"), label).toMatch(/^application\/json/);
          const json = answer.json as { error?: unknown; fieldErrors?: unknown };
          expect(typeof json?.error, label).toBe("string");
          const error = json.error as string;
          expect(error.trim().length, label).toBeGreaterThan(3);
          expect(error.length, label).toBeLessThan(300);
          expect(answer.text, label).not.toMatch(STACK_TRACE);
          if (answer.status === 400) {
            expect(json.fieldErrors, label).toEqual(expect.any(Object));
            for (const message of Object.values(json.fieldErrors as object)) {
              expect(typeof message, label).toBe("string");
              expect(String(message), label).not.toMatch(STACK_TRACE);
            }
          }
          // Another shop's campaign is just "not found".
          expect(answer.text, label).not.toContain(otherCampaignId);
          expect(answer.text, label).not.toContain(otherShop);
        } else {
          // Only reads may succeed.
          expect(READ_ONLY, label).toContain(generated.route);
        }

        // Never a send, never a link, nothing recorded.
        expect(await outboxSize(emulator, shop), label).toBe(0);
        expect(await emulatorLinks(emulator, shop), label).toEqual([]);
        expect(await storedCounts(shop), label).toEqual(baseline.stored);
        expect(await prisma.campaign.count(), label).toBe(baseline.allCampaigns);
      }),
      { numRuns: NUM_RUNS, interruptAfterTimeLimit: 100_000, markInterruptAsFailure: true },
    );

    // The other shop's campaign was named, paused, resumed and cancelled by a stranger: unchanged.
    const other = await prisma.campaign.findUniqueOrThrow({ where: { id: otherCampaignId } });
    expect(other).toEqual(baseline.other);
    // Every route got its share, and the runs were mostly past authentication (input validation).
    for (const route of ROUTES) expect(seen.get(route) ?? 0, route).toBeGreaterThan(NUM_RUNS / 14);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(NUM_RUNS);
    expect((statuses.get(400) ?? 0) + (statuses.get(405) ?? 0) + (statuses.get(404) ?? 0)).toBeGreaterThan(
      NUM_RUNS / 2,
    );
  }, 150_000);

  it("the shop still works afterwards: a valid preview is answered", async () => {
    const answer = await callApi("preview", {
      method: "POST",
      token: { shop },
      body: { customerIds: customerIds.slice(0, 3) },
    });
    expect(answer.status).toBe(200);
    expect((answer.json as { customers: unknown[] }).customers).toHaveLength(3);
  });
});
