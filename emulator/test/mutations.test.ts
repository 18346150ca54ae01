import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../src/server";
import { control, SHOP, shopWithClient, startEmulator, type ShopClient } from "./helpers";

let emulator: Emulator;
let client: ShopClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = await shopWithClient(emulator, { customers: 0 });
});
afterAll(() => emulator.close());

async function customer(state: string, extra: Record<string, unknown> = {}): Promise<string> {
  const n = Math.floor(Math.random() * 1e9);
  const result = await control(emulator, "POST", `shops/${SHOP}/customers`, {
    customers: [{ firstName: "Test", lastName: `C${n}`, email: `c${n}@example.com`, state, ...extra }],
  });
  return result.customers[0].id;
}

const stateOf = async (id: string) =>
  (await control(emulator, "GET", `customers/${encodeURIComponent(id)}?shop=${SHOP}`)).state;

const INVITE = `mutation Invite($id: ID!, $email: EmailInput) {
  customerSendAccountInviteEmail(customerId: $id, email: $email) { customer { id state } userErrors { code field message } } }`;
const ACTIVATION = `mutation Url($id: ID!) {
  customerGenerateAccountActivationUrl(customerId: $id) { accountActivationUrl userErrors { field message } } }`;

async function invite(id: string, email?: Record<string, unknown>) {
  const { json } = await client.gql(INVITE, { id, email });
  return { payload: json.data.customerSendAccountInviteEmail, cost: json.extensions.cost };
}
async function activationUrl(id: string) {
  const { json } = await client.gql(ACTIVATION, { id });
  return { payload: json.data.customerGenerateAccountActivationUrl, cost: json.extensions.cost };
}

async function openLink(url: string, action?: "activate" | "decline") {
  const path = new URL(url).pathname;
  const response = await fetch(
    `${emulator.url}${path}?shop=${SHOP}`,
    action
      ? {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: `action=${action}&password=secret123`,
        }
      : {},
  );
  return { status: response.status, html: await response.text() };
}

describe("customerSendAccountInviteEmail", () => {
  it("invites a disabled customer: INVITED, an outbox entry with its own link, cost 10", async () => {
    const id = await customer("DISABLED");
    const { payload, cost } = await invite(id, {
      subject: "Join us",
      customMessage: "Hello!",
      bcc: ["owner@test-shop.example.com"],
    });
    expect(payload).toEqual({ customer: { id, state: "INVITED" }, userErrors: [] });
    expect(cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
    const { emails } = await control(
      emulator,
      "GET",
      `outbox?shop=${SHOP}&customerId=${encodeURIComponent(id)}`,
    );
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      shop: SHOP,
      kind: "invite",
      customerId: id,
      to: expect.stringMatching(/@example\.com$/),
      from: `owner@test-shop.example.com`,
      subject: "Join us",
      customMessage: "Hello!",
      bcc: ["owner@test-shop.example.com"],
      inviteToken: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(emails[0].inviteUrl).toBe(
      `https://${SHOP}/account/activate/${id.split("/").pop()}/${emails[0].inviteToken}`,
    );
  });

  it("re-invites INVITED and DECLINED customers (both end INVITED)", async () => {
    for (const state of ["INVITED", "DECLINED"]) {
      const id = await customer(state);
      expect((await invite(id)).payload).toEqual({ customer: { id, state: "INVITED" }, userErrors: [] });
    }
  });

  it("refuses an unknown customer the way Shopify does", async () => {
    const { payload, cost } = await invite("gid://shopify/Customer/123");
    expect(payload).toEqual({
      customer: null,
      userErrors: [{ code: "INVALID", field: ["customerId"], message: "Customer can't be found" }],
    });
    expect(cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
  });

  it("treats a 64-bit id beyond JavaScript's safe integers as a customer that does not exist", async () => {
    const { payload } = await invite("gid://shopify/Customer/9223372036854775807");
    expect(payload.userErrors).toEqual([
      { code: "INVALID", field: ["customerId"], message: "Customer can't be found" },
    ]);
    const { json } = await client.gql(INVITE, { id: "gid://shopify/Customer/92233720368547758070" });
    expect(json.errors?.[0]?.extensions?.problems?.[0]?.explanation).toMatch(/Invalid global id/);
  });

  it("refuses an enabled customer and a customer without email, sending nothing", async () => {
    const before = (await control(emulator, "GET", `outbox?shop=${SHOP}`)).emails.length;
    const enabled = await customer("ENABLED");
    expect((await invite(enabled)).payload).toEqual({
      customer: null,
      userErrors: [{ code: "INVALID", field: ["customerId"], message: "Account already enabled" }],
    });
    const noEmail = await customer("DISABLED", { email: null });
    expect((await invite(noEmail)).payload.userErrors).toEqual([
      { code: "INVALID", field: ["customerId"], message: "Customer must have an email address" },
    ]);
    expect(await stateOf(noEmail)).toBe("DISABLED");
    expect((await control(emulator, "GET", `outbox?shop=${SHOP}`)).emails.length).toBe(before);
  });

  it("validates EmailInput and reports every field problem together", async () => {
    const id = await customer("DISABLED");
    const { payload } = await invite(id, {
      to: "not-an-email",
      from: "also bad",
      bcc: ["ok@example.com", "nope"],
      subject: " ",
    });
    expect(payload.customer).toBeNull();
    expect(payload.userErrors).toEqual([
      { code: "INVALID", field: ["email", "to"], message: "To is invalid" },
      { code: "INVALID", field: ["email", "from"], message: "From Sender is invalid" },
      { code: "INVALID", field: ["email", "subject"], message: "Subject can't be blank" },
      {
        code: "INVALID",
        field: ["email", "bcc"],
        message: "Bcc ok@example.com is not a valid bcc address and nope is not a valid bcc address",
      },
    ]);
    expect(await stateOf(id)).toBe("DISABLED");
  });

  it("charges three aliased invites 30 points, each with its own userErrors", async () => {
    const a = await customer("DISABLED");
    const b = await customer("ENABLED");
    const { json } = await client.gql(`mutation {
      a: customerSendAccountInviteEmail(customerId: "${a}") { userErrors { message } }
      b: customerSendAccountInviteEmail(customerId: "${b}") { userErrors { message } }
      c: customerSendAccountInviteEmail(customerId: "gid://shopify/Customer/1") { userErrors { message } } }`);
    expect(json.data.a.userErrors).toEqual([]);
    expect(json.data.b.userErrors).toEqual([{ message: "Account already enabled" }]);
    expect(json.data.c.userErrors).toEqual([{ message: "Customer can't be found" }]);
    expect(json.extensions.cost).toMatchObject({ requestedQueryCost: 30, actualQueryCost: 30 });
  });
});

describe("customerGenerateAccountActivationUrl", () => {
  it("returns a 30-day link for DISABLED and INVITED customers without changing their state", async () => {
    for (const state of ["DISABLED", "INVITED"]) {
      const id = await customer(state);
      const { payload, cost } = await activationUrl(id);
      expect(payload.userErrors).toEqual([]);
      expect(payload.accountActivationUrl).toMatch(
        new RegExp(`^https://${SHOP}/account/activate/${id.split("/").pop()}/[0-9a-f]{64}$`),
      );
      expect(cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
      expect(await stateOf(id)).toBe(state);
      const { links } = await control(
        emulator,
        "GET",
        `links?shop=${SHOP}&customerId=${encodeURIComponent(id)}`,
      );
      expect(Date.parse(links[0].expiresAt) - Date.parse(links[0].createdAt)).toBe(30 * 86_400_000);
    }
  });

  it("refuses enabled, declined and unknown customers", async () => {
    expect((await activationUrl(await customer("ENABLED"))).payload).toEqual({
      accountActivationUrl: null,
      userErrors: [{ field: ["customerId"], message: "Customer already enabled" }],
    });
    expect((await activationUrl(await customer("DECLINED"))).payload.userErrors[0].message).toMatch(
      /disabled or invited/,
    );
    expect((await activationUrl("gid://shopify/Customer/99")).payload).toEqual({
      accountActivationUrl: null,
      userErrors: [{ field: ["customerId"], message: "The customer can't be found." }],
    });
  });
});

describe("account links", () => {
  it("a second activation URL invalidates the first", async () => {
    const id = await customer("DISABLED");
    const first = (await activationUrl(id)).payload.accountActivationUrl;
    const second = (await activationUrl(id)).payload.accountActivationUrl;
    expect(first).not.toBe(second);
    expect(await openLink(first)).toMatchObject({
      status: 410,
      html: expect.stringContaining("a newer one was sent"),
    });
    expect((await openLink(second)).status).toBe(200);
    const { links } = await control(
      emulator,
      "GET",
      `links?shop=${SHOP}&customerId=${encodeURIComponent(id)}`,
    );
    expect(links.map((l: { status: string }) => l.status)).toEqual(["superseded", "active"]);
  });

  it("a new invite invalidates the previous invite's link", async () => {
    const id = await customer("DISABLED");
    await invite(id);
    await invite(id);
    const { emails } = await control(
      emulator,
      "GET",
      `outbox?shop=${SHOP}&customerId=${encodeURIComponent(id)}`,
    );
    expect((await openLink(emails[0].inviteUrl)).status).toBe(410);
    expect((await openLink(emails[1].inviteUrl)).status).toBe(200);
  });

  it("activating through the invite link enables the customer; the link cannot be used again", async () => {
    const id = await customer("DISABLED");
    await invite(id);
    const [email] = (
      await control(emulator, "GET", `outbox?shop=${SHOP}&customerId=${encodeURIComponent(id)}`)
    ).emails;
    const page = await openLink(email.inviteUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain("Activate your account");
    expect((await openLink(email.inviteUrl, "activate")).status).toBe(200);
    expect(await stateOf(id)).toBe("ENABLED");
    expect(await openLink(email.inviteUrl)).toMatchObject({
      status: 410,
      html: expect.stringContaining("Customer already enabled"),
    });
    expect((await openLink(email.inviteUrl, "activate")).status).toBe(410);
    expect((await invite(id)).payload.userErrors[0].message).toBe("Account already enabled");
  });

  it("declining sets DECLINED and consumes the link", async () => {
    const id = await customer("DISABLED");
    await invite(id);
    const [email] = (
      await control(emulator, "GET", `outbox?shop=${SHOP}&customerId=${encodeURIComponent(id)}`)
    ).emails;
    expect((await openLink(email.inviteUrl, "decline")).status).toBe(200);
    expect(await stateOf(id)).toBe("DECLINED");
    expect((await openLink(email.inviteUrl)).status).toBe(410);
  });

  it("expires after 30 days of the emulator's clock", async () => {
    const id = await customer("INVITED");
    const url = (await activationUrl(id)).payload.accountActivationUrl;
    await control(emulator, "POST", "clock", { advanceSeconds: 30 * 86_400 - 60 });
    expect((await openLink(url)).status).toBe(200);
    await control(emulator, "POST", "clock", { advanceSeconds: 120 });
    expect(await openLink(url)).toMatchObject({ status: 410, html: expect.stringContaining("expired") });
    await control(emulator, "POST", "clock", { reset: true });
  });

  it("an unknown token answers 404", async () => {
    const id = await customer("DISABLED");
    expect(
      (await openLink(`https://${SHOP}/account/activate/${id.split("/").pop()}/${"ab".repeat(32)}`)).status,
    ).toBe(404);
  });
});

describe("legacy accounts only", () => {
  it("both mutations refuse when the shop uses new customer accounts", async () => {
    const id = await customer("DISABLED");
    await control(emulator, "PATCH", `shops/${SHOP}`, { customerAccountsVersion: "NEW_CUSTOMER_ACCOUNTS" });
    try {
      expect((await invite(id)).payload.userErrors[0].message).toMatch(/Legacy customer accounts/);
      expect((await activationUrl(id)).payload.userErrors[0].message).toMatch(/Legacy customer accounts/);
      const { json } = await client.gql("{ shop { customerAccountsV2 { customerAccountsVersion } } }");
      expect(json.data.shop.customerAccountsV2.customerAccountsVersion).toBe("NEW_CUSTOMER_ACCOUNTS");
    } finally {
      await control(emulator, "PATCH", `shops/${SHOP}`, { customerAccountsVersion: "CLASSIC" });
    }
  });
});

describe("customerCreate, customerUpdate, customerDelete", () => {
  it("creates DISABLED customers, updates them and deletes them with userErrors on bad input", async () => {
    const created = (
      await client.gql(
        `mutation($input: CustomerInput!) { customerCreate(input: $input) { customer { id state email tags } userErrors { field message } } }`,
        {
          input: {
            firstName: "Nia",
            lastName: "Long",
            email: "nia.long@example.com",
            tags: ["vip", "vip", "new"],
          },
        },
      )
    ).json.data.customerCreate;
    expect(created.customer).toMatchObject({
      state: "DISABLED",
      email: "nia.long@example.com",
      tags: ["new", "vip"], // Shopify's order: sorted, each once
    });
    const duplicate = (
      await client.gql(
        `mutation { customerCreate(input: { email: "nia.long@example.com" }) { customer { id } userErrors { field message } } }`,
      )
    ).json.data.customerCreate;
    expect(duplicate).toEqual({
      customer: null,
      userErrors: [{ field: ["email"], message: "Email has already been taken" }],
    });
    const updated = (
      await client.gql(
        `mutation($input: CustomerInput!) { customerUpdate(input: $input) { customer { id lastName note } userErrors { field message } } }`,
        {
          input: { id: created.customer.id, lastName: "Longer", note: "VIP" },
        },
      )
    ).json.data.customerUpdate;
    expect(updated).toEqual({
      customer: { id: created.customer.id, lastName: "Longer", note: "VIP" },
      userErrors: [],
    });
    const deleted = (
      await client.gql(
        `mutation($id: ID!) { customerDelete(input: { id: $id }) { deletedCustomerId userErrors { message } } }`,
        { id: created.customer.id },
      )
    ).json.data.customerDelete;
    expect(deleted).toEqual({ deletedCustomerId: created.customer.id, userErrors: [] });
    const gone = (
      await client.gql(`query($id: ID!) { customer(id: $id) { id } }`, { id: created.customer.id })
    ).json.data.customer;
    expect(gone).toBeNull();
  });
});
