// What ../shared/shopify-captures/customers/ shows of live Shopify, reproduced request by request: the
// invite's EmailInput validation (2026-04), both mutations on an unknown customer (2025-01), and an
// activation URL's life (2026-04). The expected bodies are written here from the captures (messages,
// fields, codes, cost, state afterwards); the capture files themselves stay outside the repository.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../src/server";
import { control, SHOP, shopWithClient, startEmulator, type ShopClient } from "./helpers";

let emulator: Emulator;
let client: ShopClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = await shopWithClient(emulator, { customers: 0, plan: "standard" });
});
afterAll(() => emulator.close());

const CREATE = `mutation Create($input: CustomerInput!) {
  customerCreate(input: $input) { customer { id state } userErrors { field message } } }`;
const INVITE = `mutation Invite($customerId: ID!, $email: EmailInput) {
  customerSendAccountInviteEmail(customerId: $customerId, email: $email) {
    customer { id state } userErrors { field message code } } }`;
const READ = `query Read($id: ID!) { customer(id: $id) { id state } }`;

/** Each captured request ran on a full bucket (2,000, restoring 100/s). */
async function fresh<T>(run: () => Promise<T>): Promise<T> {
  await control(emulator, "PATCH", `shops/${SHOP}`, { fillBucket: true });
  return run();
}
expect.extend({
  /** The bucket after a charge of `points` on a full bucket: what was restored between filling it and
   *  the charge (wall time, at most the points spent) may be back, never more. */
  toBeBucketAfter(received: number, points: number) {
    const pass = received >= 2000 - points && received <= 2000;
    return { pass, message: () => `expected ${received} to be within [${2000 - points}, 2000]` };
  },
});
const bucketAfter = (points: number) =>
  (expect as unknown as { toBeBucketAfter: (points: number) => unknown }).toBeBucketAfter(points);
const cost = (points: number) => ({
  cost: {
    requestedQueryCost: points,
    actualQueryCost: points,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: bucketAfter(points), restoreRate: 100 },
  },
});

async function createCustomer(lastName: string, contact: Record<string, string>): Promise<string> {
  const { status, json } = await fresh(() =>
    client.gql(CREATE, {
      input: { firstName: "Hermes", lastName, tags: ["invite-validation"], ...contact },
    }),
  );
  expect(status).toBe(200);
  expect(json.data.customerCreate).toEqual({
    customer: { id: expect.stringMatching(/^gid:\/\/shopify\/Customer\/\d+$/), state: "DISABLED" },
    userErrors: [],
  });
  expect(json.extensions).toEqual(cost(10));
  return json.data.customerCreate.customer.id;
}

/** The invite is refused with `userErrors`, costs 10, and leaves the customer DISABLED (read costs 1). */
async function expectRefused(id: string, email: Record<string, unknown>, userErrors: unknown[]) {
  const before = (await control(emulator, "GET", `outbox?shop=${SHOP}`)).emails.length;
  const invite = await fresh(() => client.gql(INVITE, { customerId: id, email }));
  expect(invite.status).toBe(200);
  expect(invite.json).toEqual({
    data: { customerSendAccountInviteEmail: { customer: null, userErrors } },
    extensions: cost(10),
  });
  const read = await fresh(() => client.gql(READ, { id }));
  expect(read.json).toEqual({ data: { customer: { id, state: "DISABLED" } }, extensions: cost(1) });
  expect((await control(emulator, "GET", `outbox?shop=${SHOP}`)).emails.length).toBe(before);
}

const generic = [
  { field: ["customerId"], message: "Error sending account invite to customer.", code: "INVALID" },
];

describe("customerSendAccountInviteEmail EmailInput validation (capture 2026-04)", () => {
  it("blank subject", async () => {
    const id = await createCustomer("blank-subject", { email: "hermes-invite-blank-subject@example.com" });
    await expectRefused(id, { subject: "" }, [
      { field: ["email", "subject"], message: "Subject can't be blank", code: "INVALID" },
    ]);
  });

  it("invalid to (a customer with a phone only)", async () => {
    const id = await createCustomer("invalid-to", { phone: "+14155550910" });
    await expectRefused(id, { subject: "Account invite", to: "not-an-email" }, [
      { field: ["email", "to"], message: "To is invalid", code: "INVALID" },
    ]);
  });

  it("invalid from", async () => {
    const id = await createCustomer("invalid-from", { email: "hermes-invite-invalid-from@example.com" });
    await expectRefused(id, { subject: "Account invite", from: "not-an-email" }, [
      { field: ["email", "from"], message: "From Sender is invalid", code: "INVALID" },
    ]);
  });

  it("bcc: a malformed address and a well-formed one that is no staff member's, in one sentence", async () => {
    const id = await createCustomer("invalid-bcc", { email: "hermes-invite-invalid-bcc@example.com" });
    await expectRefused(id, { subject: "Account invite", bcc: ["bad", "ok@example.com"] }, [
      {
        field: ["email", "bcc"],
        message: "Bcc bad is not a valid bcc address and ok@example.com is not a valid bcc address",
        code: "INVALID",
      },
    ]);
  });

  it("a 1,001-character subject fails the send: the generic error on customerId", async () => {
    const id = await createCustomer("oversized-subject", {
      email: "hermes-invite-oversized-subject@example.com",
    });
    await expectRefused(id, { subject: "s".repeat(1001) }, generic);
  });

  it("a 5,001-character custom message fails the send", async () => {
    const id = await createCustomer("oversized-custom-message", {
      email: "hermes-invite-oversized-custom-message@example.com",
    });
    await expectRefused(id, { subject: "Account invite", customMessage: "m".repeat(5001) }, generic);
  });

  it("a custom message with HTML fails the send", async () => {
    const id = await createCustomer("html-custom-message", {
      email: "hermes-invite-html-custom-message@example.com",
    });
    await expectRefused(
      id,
      { subject: "Account invite", customMessage: "<script>alert(1)</script>" },
      generic,
    );
  });

  it("the limits are the captured sizes minus one: 1,000 and 5,000 characters are sent", async () => {
    const id = await createCustomer("at-the-limits", { email: "hermes-invite-limits@example.com" });
    const invite = await fresh(() =>
      client.gql(INVITE, {
        customerId: id,
        email: { subject: "s".repeat(1000), customMessage: "m".repeat(5000) },
      }),
    );
    expect(invite.json.data.customerSendAccountInviteEmail).toEqual({
      customer: { id, state: "INVITED" },
      userErrors: [],
    });
  });

  it("customerDelete of each costs 10", async () => {
    const id = await createCustomer("cleanup", { email: "hermes-invite-cleanup@example.com" });
    const { json } = await fresh(() =>
      client.gql(
        `mutation Delete($input: CustomerDeleteInput!) { customerDelete(input: $input) { deletedCustomerId userErrors { field message } } }`,
        { input: { id } },
      ),
    );
    expect(json).toEqual({
      data: { customerDelete: { deletedCustomerId: id, userErrors: [] } },
      extensions: cost(10),
    });
  });
});

describe("both mutations on an unknown customer (capture 2025-01)", () => {
  it("answer their own not-found messages, 10 points each", async () => {
    const { json } = await fresh(() =>
      client.gql(
        `mutation Unknown($customerId: ID!) {
          customerGenerateAccountActivationUrl(customerId: $customerId) { accountActivationUrl userErrors { field message } }
          customerSendAccountInviteEmail(customerId: $customerId) { customer { id } userErrors { field message } } }`,
        { customerId: "gid://shopify/Customer/999999999999999" },
      ),
    );
    expect(json).toEqual({
      data: {
        customerGenerateAccountActivationUrl: {
          accountActivationUrl: null,
          userErrors: [{ field: ["customerId"], message: "The customer can't be found." }],
        },
        customerSendAccountInviteEmail: {
          customer: null,
          userErrors: [{ field: ["customerId"], message: "Customer can't be found" }],
        },
      },
      extensions: cost(20),
    });
  });
});

describe("an activation URL's life (capture 2026-04)", () => {
  it("generate (10 points), activate through the storefront, then the customer is ENABLED and the link says so", async () => {
    const { json: created } = await fresh(() =>
      client.gql(
        `mutation AdminCreate($input: CustomerInput!) { customerCreate(input: $input) {
          customer { id email firstName lastName displayName state } userErrors { field message } } }`,
        { input: { email: "hermes-storefront-admin@example.com", firstName: "Admin", lastName: "Auth" } },
      ),
    );
    const customer = created.data.customerCreate.customer;
    expect(customer).toMatchObject({
      email: "hermes-storefront-admin@example.com",
      firstName: "Admin",
      lastName: "Auth",
      displayName: "Admin Auth",
      state: "DISABLED",
    });
    const { json } = await fresh(() =>
      client.gql(
        `mutation AdminActivationUrl($customerId: ID!) { customerGenerateAccountActivationUrl(customerId: $customerId) {
          accountActivationUrl userErrors { field message } } }`,
        { customerId: customer.id },
      ),
    );
    expect(json.extensions).toEqual(cost(10));
    expect(json.data.customerGenerateAccountActivationUrl.userErrors).toEqual([]);
    const url = new URL(json.data.customerGenerateAccountActivationUrl.accountActivationUrl);
    const activate = await fetch(`${emulator.url}${url.pathname}?shop=${SHOP}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "action=activate&password=secret123",
    });
    expect(activate.status).toBe(200);
    const again = await fetch(`${emulator.url}${url.pathname}?shop=${SHOP}`);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("Customer already enabled");
    const { json: updated } = await fresh(() =>
      client.gql(
        `mutation AdminUpdate($input: CustomerInput!) { customerUpdate(input: $input) {
          customer { id displayName state } userErrors { field message } } }`,
        { input: { id: customer.id, firstName: "Updated", lastName: "Auth" } },
      ),
    );
    expect(updated).toEqual({
      data: {
        customerUpdate: {
          customer: { id: customer.id, displayName: "Updated Auth", state: "ENABLED" },
          userErrors: [],
        },
      },
      extensions: cost(10),
    });
  });
});
