import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { callApi, outboxSize, storedCounts } from "../support/api";
import { customers, expectedEligible, installShop, type EmulatorCustomer } from "../support/invites";

// What a live store refuses, the app never sends: an HTML message (captured: "Error sending account
// invite to customer." for every recipient), a bcc or from that is not one of the store's addresses
// (captured: "Bcc ok@example.com is not a valid bcc address"). Refused at the JSON API with field
// errors, before anything is recorded or sent.

const shop = "live-rules.myshopify.com";
const shopEmail = "owner@live-rules.example.com";
let emulator: TestEmulator;
let targets: EmulatorCustomer[];

beforeAll(async () => {
  emulator = await startTestEmulator();
  await installShop(emulator, { domain: shop, customers: 20, seed: 12 });
  targets = expectedEligible(await customers(emulator, shop)).slice(0, 3);
});
afterAll(() => emulator?.close());

async function create(email: Record<string, unknown>, key: string) {
  return callApi("campaigns", {
    method: "POST",
    token: { shop },
    body: { customerIds: targets.map((c) => c.id), email, idempotencyKey: key },
  });
}

describe("email options a live store accepts", () => {
  it("refuses HTML in the message, with nothing recorded and nothing sent", async () => {
    const before = await storedCounts(shop);
    const answer = await create({ customMessage: "Hi <script>alert(1)</script>" }, "html");
    expect(answer.status).toBe(400);
    expect((answer.json as { fieldErrors: Record<string, string> }).fieldErrors).toEqual({
      "email.customMessage": expect.stringContaining("plain text only"),
    });
    expect(await storedCounts(shop)).toEqual(before);
    expect(await outboxSize(emulator, shop)).toBe(0);
  });

  it("refuses a bcc that is not one of the store's addresses, even a well-formed one", async () => {
    const before = await storedCounts(shop);
    const answer = await create({ bcc: ["ok@example.com"] }, "bcc");
    expect(answer.status).toBe(400);
    expect((answer.json as { fieldErrors: Record<string, string> }).fieldErrors).toEqual({
      "email.bcc.0": expect.stringContaining("ok@example.com is not one of your store's addresses"),
    });
    expect(await storedCounts(shop)).toEqual(before);
  });

  it("accepts the store's own address as bcc and from", async () => {
    const answer = await create({ bcc: [shopEmail], from: shopEmail }, "own-address");
    expect(answer.status).toBe(202);
  });

  it("refuses a search with a field Shopify would ignore, with the warning on the query field", async () => {
    const before = await storedCounts(shop);
    const answer = await callApi("campaigns", {
      method: "POST",
      token: { shop },
      body: { query: "tags:vip state:disabled", idempotencyKey: "typo" },
    });
    expect(answer.status).toBe(400);
    expect((answer.json as { fieldErrors: Record<string, string> }).fieldErrors.query).toContain("“tags”");
    expect(await storedCounts(shop)).toEqual(before);
  });
});
