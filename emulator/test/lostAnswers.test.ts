// Lost-answer faults: the request runs in full (the mutation takes effect, the outbox records the email,
// the cost is charged), then the client gets a 502/504 gateway page, a reset connection or a late answer.
// Beside them, the pre-execution faults, which do not run the request.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Emulator } from "../src/server";
import { control, SHOP, shopWithClient, startEmulator, VERSION, type Json, type ShopClient } from "./helpers";

let emulator: Emulator;
let client: ShopClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = await shopWithClient(emulator, { customers: 0 });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await control(emulator, "DELETE", `faults?shop=${SHOP}`);
});

const INVITE = `mutation Invite($id: ID!) {
  customerSendAccountInviteEmail(customerId: $id) { customer { id state } userErrors { field message } } }`;

async function disabledCustomer(): Promise<string> {
  const n = Math.floor(Math.random() * 1e9);
  const created = await control(emulator, "POST", `shops/${SHOP}/customers`, {
    customers: [{ firstName: "Lost", lastName: `A${n}`, email: `lost${n}@example.com`, state: "DISABLED" }],
  });
  return created.customers[0].id;
}

const stateOf = async (id: string) =>
  (await control(emulator, "GET", `customers/${encodeURIComponent(id)}?shop=${SHOP}`)).state;
const emailsTo = async (id: string) =>
  (await control(emulator, "GET", `outbox?shop=${SHOP}&customerId=${encodeURIComponent(id)}`)).emails;
const stats = async (): Promise<Json> => control(emulator, "GET", `stats?shop=${SHOP}`);

/** A raw Admin GraphQL call: status, content type and text, or the network error. */
async function raw(query: string, variables: Record<string, unknown> = {}, timeoutMs?: number) {
  const response = await fetch(`${emulator.url}/admin/api/${VERSION}/graphql.json`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Access-Token": client.token,
      "X-Forwarded-Host": SHOP,
    },
    body: JSON.stringify({ query, variables }),
    signal: timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

/** The outcome as a client sees it: an HTTP status, or "reset" when no answer came. */
async function outcome(query: string): Promise<number | "reset"> {
  try {
    return (await raw(query)).status;
  } catch {
    return "reset";
  }
}

describe("lost-answer faults: the request runs, the answer is lost", () => {
  it("lostAfter502Rate: the invite is sent and charged, the client gets a 502 HTML gateway page", async () => {
    const id = await disabledCustomer();
    const before = await stats();
    await control(emulator, "POST", "faults", { shop: SHOP, lostAfter502Rate: 1 });
    const answer = await raw(INVITE, { id });
    expect(answer.status).toBe(502);
    expect(answer.type).toMatch(/^text\/html/);
    expect(answer.text).toContain("<title>502 Bad Gateway</title>");
    expect(() => JSON.parse(answer.text) as unknown).toThrow();
    expect(await stateOf(id)).toBe("INVITED");
    expect(await emailsTo(id)).toHaveLength(1);
    const after = await stats();
    expect(after.lostAfter502).toBe(before.lostAfter502 + 1);
    expect(after.mutations).toBe(before.mutations + 1);
    expect(after.pointsSpent).toBe(before.pointsSpent + 10);
    expect(after.faults5xx).toBe(before.faults5xx);
  });

  it("lostAfter504Rate: the invite is sent, the client gets a 504 gateway page", async () => {
    const id = await disabledCustomer();
    const before = await stats();
    await control(emulator, "POST", "faults", { shop: SHOP, lostAfter504Rate: 1 });
    const answer = await raw(INVITE, { id });
    expect(answer.status).toBe(504);
    expect(answer.type).toMatch(/^text\/html/);
    expect(answer.text).toContain("504 Gateway Time-out");
    expect(await stateOf(id)).toBe("INVITED");
    expect(await emailsTo(id)).toHaveLength(1);
    const after = await stats();
    expect(after.lostAfter504).toBe(before.lostAfter504 + 1);
    expect(after.mutations).toBe(before.mutations + 1);
    expect(after.faultTimeouts).toBe(before.faultTimeouts);
  });

  it("lostAfterResetRate: the invite is sent, the connection is destroyed without an answer", async () => {
    const id = await disabledCustomer();
    const before = await stats();
    await control(emulator, "POST", "faults", { shop: SHOP, lostAfterResetRate: 1 });
    await expect(raw(INVITE, { id })).rejects.toThrow();
    expect(await stateOf(id)).toBe("INVITED");
    expect(await emailsTo(id)).toHaveLength(1);
    const after = await stats();
    expect(after.lostAfterReset).toBe(before.lostAfterReset + 1);
    expect(after.mutations).toBe(before.mutations + 1);
  });

  it("lostAfterDelayRate: the invite has run when a client with a shorter timeout gives up", async () => {
    const id = await disabledCustomer();
    const before = await stats();
    await control(emulator, "POST", "faults", { shop: SHOP, lostAfterDelayRate: 1, lostAfterDelayMs: 2000 });
    const started = Date.now();
    await expect(raw(INVITE, { id }, 100)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await stateOf(id)).toBe("INVITED");
    expect(await emailsTo(id)).toHaveLength(1);
    const after = await stats();
    expect(after.lostAfterDelay).toBe(before.lostAfterDelay + 1);
    expect(after.mutations).toBe(before.mutations + 1);
    // The emulator notices the client left and stops holding the answer.
    await expect
      .poll(async () => (await stats()).lostAfterDelayAbandoned)
      .toBe(before.lostAfterDelayAbandoned + 1);
  });

  it("lostAfterDelayRate: a patient client gets the real answer, late", async () => {
    const id = await disabledCustomer();
    const before = await stats();
    await control(emulator, "POST", "faults", { shop: SHOP, lostAfterDelayRate: 1, lostAfterDelayMs: 150 });
    const started = Date.now();
    const answer = await raw(INVITE, { id });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(answer.status).toBe(200);
    const json = JSON.parse(answer.text) as Json;
    expect(json.data.customerSendAccountInviteEmail).toEqual({
      customer: { id, state: "INVITED" },
      userErrors: [],
    });
    expect(json.extensions.cost.actualQueryCost).toBe(10);
    const after = await stats();
    expect(after.lostAfterDelay).toBe(before.lostAfterDelay + 1);
    expect(after.lostAfterDelayAbandoned).toBe(before.lostAfterDelayAbandoned);
  });

  it("lostAfterMutationsOnly: queries get their answers, mutations lose theirs", async () => {
    const id = await disabledCustomer();
    const before = await stats();
    const set = await control(emulator, "POST", "faults", {
      shop: SHOP,
      lostAfter502Rate: 1,
      lostAfterMutationsOnly: true,
    });
    expect(set.faults).toMatchObject({ lostAfter502Rate: 1, lostAfterMutationsOnly: true });
    const query = await raw("{ shop { id } }");
    expect(query.status).toBe(200);
    expect((await raw(INVITE, { id })).status).toBe(502);
    expect(await stateOf(id)).toBe("INVITED");
    // An operation picked by operationName in a document with both kinds.
    const both = `query Q { shop { id } } mutation M($id: ID!) { customerSendAccountInviteEmail(customerId: $id) { userErrors { message } } }`;
    const named = async (operationName: string) => (await client.gql(both, { id }, operationName)).status;
    expect(await named("Q")).toBe(200);
    expect(await named("M")).toBe(502);
    expect((await stats()).lostAfter502).toBe(before.lostAfter502 + 2);
  });

  it("also loses the answers of requests that did not succeed (the client still cannot tell)", async () => {
    await control(emulator, "POST", "faults", { shop: SHOP, lostAfter504Rate: 1, throttleBurst: 1 });
    const before = await stats();
    expect(await outcome("{ shop { id } }")).toBe(504);
    const after = await stats();
    expect(after.throttled).toBe(before.throttled + 1);
    expect(after.lostAfter504).toBe(before.lostAfter504 + 1);
  });

  it("draws deterministically from the seed, one draw shared between the four rates", async () => {
    const rates = {
      lostAfter502Rate: 0.2,
      lostAfter504Rate: 0.2,
      lostAfterResetRate: 0.2,
      lostAfterDelayRate: 0.2,
      lostAfterDelayMs: 1,
    };
    const run = async () => {
      await control(emulator, "POST", "faults", { shop: SHOP, clear: true });
      await control(emulator, "POST", "faults", { shop: SHOP, ...rates, seed: 11 });
      const before = await stats();
      const outcomes: (number | "reset")[] = [];
      for (let i = 0; i < 50; i++) outcomes.push(await outcome("{ shop { id } }"));
      const after = await stats();
      const delta: Record<string, number> = Object.fromEntries(
        ["lostAfter502", "lostAfter504", "lostAfterReset", "lostAfterDelay"].map((k) => [
          k,
          after[k] - before[k],
        ]),
      );
      return { outcomes, delta };
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    const count = (o: number | "reset") => first.outcomes.filter((x) => x === o).length;
    expect(first.delta).toEqual({
      lostAfter502: count(502),
      lostAfter504: count(504),
      lostAfterReset: count("reset"),
      lostAfterDelay: expect.any(Number),
    });
    expect(count(200)).toBe(50 - count(502) - count(504) - count("reset"));
    for (const value of Object.values(first.delta)) expect(value).toBeGreaterThan(0);
    expect(count(200)).toBeGreaterThan(first.delta.lostAfterDelay!); // some answers were not lost at all
  });

  it("validates the rates and shows them in the shop summary; clear turns them off", async () => {
    expect((await control(emulator, "POST", "faults", { shop: SHOP, lostAfter502Rate: 2 })).status).toBe(400);
    const over = await control(emulator, "POST", "faults", {
      shop: SHOP,
      lostAfter502Rate: 0.6,
      lostAfterResetRate: 0.6,
    });
    expect(over.status).toBe(400);
    expect(over.errors).toMatch(/must not exceed 1/);
    await control(emulator, "POST", "faults", { shop: SHOP, lostAfterResetRate: 0.5, lostAfterDelayMs: 25 });
    expect((await control(emulator, "GET", `shops/${SHOP}`)).faults).toMatchObject({
      lostAfter502Rate: 0,
      lostAfter504Rate: 0,
      lostAfterResetRate: 0.5,
      lostAfterDelayRate: 0,
      lostAfterDelayMs: 25,
      lostAfterMutationsOnly: false,
    });
    const cleared = await control(emulator, "POST", "faults", { shop: SHOP, clear: true });
    expect(cleared.faults).toMatchObject({ lostAfterResetRate: 0, lostAfterDelayMs: 10_000 });
    expect(await stats()).toMatchObject({
      lostAfter502: expect.any(Number),
      lostAfter504: expect.any(Number),
      lostAfterReset: expect.any(Number),
      lostAfterDelay: expect.any(Number),
      lostAfterDelayAbandoned: expect.any(Number),
    });
  });
});

describe("pre-execution faults: the request does not run", () => {
  it("errorRate: a 503 and no invite, no charge", async () => {
    const id = await disabledCustomer();
    const before = await stats();
    await control(emulator, "POST", "faults", { shop: SHOP, errorRate: 1 });
    expect((await raw(INVITE, { id })).status).toBe(503);
    expect(await stateOf(id)).toBe("DISABLED");
    expect(await emailsTo(id)).toEqual([]);
    const after = await stats();
    expect(after.faults5xx).toBe(before.faults5xx + 1);
    expect(after.mutations).toBe(before.mutations);
    expect(after.pointsSpent).toBe(before.pointsSpent);
  });

  it("timeoutRate: a dropped connection or a 504, and no invite", async () => {
    const id = await disabledCustomer();
    await control(emulator, "POST", "faults", { shop: SHOP, timeoutRate: 1, timeoutMs: 10 });
    await expect(raw(INVITE, { id })).rejects.toThrow();
    await control(emulator, "POST", "faults", { shop: SHOP, timeoutMode: "504" });
    expect((await raw(INVITE, { id })).status).toBe(504);
    expect(await stateOf(id)).toBe("DISABLED");
    expect(await emailsTo(id)).toEqual([]);
  });

  it("a pre-execution fault wins over a lost-answer fault (nothing runs, nothing is drawn for it)", async () => {
    const id = await disabledCustomer();
    const before = await stats();
    await control(emulator, "POST", "faults", { shop: SHOP, errorRate: 1, lostAfter502Rate: 1 });
    expect((await raw(INVITE, { id })).status).toBe(503);
    expect(await emailsTo(id)).toEqual([]);
    expect((await stats()).lostAfter502).toBe(before.lostAfter502);
  });
});
