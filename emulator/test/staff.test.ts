// Staff members: the owner (the shop's email) and the others, set through the control API; what the app
// can read of them (`shop { email contactEmail }`, `staffMembers` with read_users); invites' bcc must be
// staff members' addresses and `from` the shop's own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../src/server";
import { control, shopWithClient, startEmulator, type ShopClient } from "./helpers";

let emulator: Emulator;
let client: ShopClient;
let plain: ShopClient;
const SHOP = "staffed.myshopify.com";
const PLAIN = "plain.myshopify.com";

beforeAll(async () => {
  emulator = await startEmulator();
  client = await shopWithClient(emulator, {
    domain: SHOP,
    customers: 0,
    email: "owner@staffed.example.com",
    contactEmail: "hello@staffed.example.com",
    staff: [
      { email: "sam@staffed.example.com", firstName: "Sam", lastName: "Lee" },
      { email: "ana@agency.example.org", firstName: "Ana", lastName: "Diaz", accountType: "collaborator" },
    ],
    scopes: "read_customers,write_customers,read_users",
  });
  plain = await shopWithClient(emulator, { domain: PLAIN, customers: 0 });
});
afterAll(() => emulator.close());

async function customer(shop = SHOP): Promise<string> {
  const n = Math.floor(Math.random() * 1e9);
  const result = await control(emulator, "POST", `shops/${shop}/customers`, {
    customers: [{ firstName: "Invitee", lastName: `N${n}`, email: `invitee${n}@example.com` }],
  });
  return result.customers[0].id;
}

const INVITE = `mutation Invite($id: ID!, $email: EmailInput) {
  customerSendAccountInviteEmail(customerId: $id, email: $email) { customer { state } userErrors { field message code } } }`;

describe("control API", () => {
  it("creates the owner from the shop's email and lists every staff member", async () => {
    const summary = await control(emulator, "GET", `shops/${SHOP}`);
    expect(summary).toMatchObject({
      email: "owner@staffed.example.com",
      contactEmail: "hello@staffed.example.com",
      protectedCustomerData: { level: 2, fields: ["name", "email", "phone", "address"] },
    });
    expect(
      summary.staff.map((m: { email: string; isShopOwner: boolean }) => [m.email, m.isShopOwner]),
    ).toEqual([
      ["owner@staffed.example.com", true],
      ["sam@staffed.example.com", false],
      ["ana@agency.example.org", false],
    ]);
    expect(summary.staff[2]).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/StaffMember\/\d+$/),
      accountType: "COLLABORATOR",
      active: true,
      firstName: "Ana",
    });
    const plainSummary = await control(emulator, "GET", `shops/${PLAIN}`);
    expect(plainSummary.contactEmail).toBe(plainSummary.email);
    expect(plainSummary.staff).toHaveLength(1);
  });

  it("adds, lists and removes staff; the owner stays; bad input is a 4xx", async () => {
    const added = await control(emulator, "POST", `shops/${PLAIN}/staff`, {
      email: "temp@plain.example.com",
    });
    expect(added).toMatchObject({ status: 201, email: "temp@plain.example.com", isShopOwner: false });
    expect((await control(emulator, "GET", `shops/${PLAIN}/staff`)).staff).toHaveLength(2);
    expect(
      (await control(emulator, "POST", `shops/${PLAIN}/staff`, { email: "temp@plain.example.com" })).status,
    ).toBe(409);
    expect((await control(emulator, "POST", `shops/${PLAIN}/staff`, { email: "nope" })).status).toBe(400);
    const removed = await control(
      emulator,
      "DELETE",
      `shops/${PLAIN}/staff/${encodeURIComponent("temp@plain.example.com")}`,
    );
    expect(removed).toMatchObject({ status: 200, ok: true });
    const owner = (await control(emulator, "GET", `shops/${PLAIN}/staff`)).staff[0];
    expect(
      (await control(emulator, "DELETE", `shops/${PLAIN}/staff/${encodeURIComponent(owner.id)}`)).status,
    ).toBe(400);
    expect((await control(emulator, "DELETE", `shops/${PLAIN}/staff/nobody`)).status).toBe(404);
  });

  it("PATCH replaces the other staff, and a new shop email is the owner's too", async () => {
    await control(emulator, "PATCH", `shops/${PLAIN}`, {
      email: "boss@plain.example.com",
      contactEmail: "contact@plain.example.com",
      staff: [{ email: "one@plain.example.com" }],
    });
    const summary = await control(emulator, "GET", `shops/${PLAIN}`);
    expect(summary.email).toBe("boss@plain.example.com");
    expect(summary.contactEmail).toBe("contact@plain.example.com");
    expect(summary.staff.map((m: { email: string }) => m.email)).toEqual([
      "boss@plain.example.com",
      "one@plain.example.com",
    ]);
    expect((await control(emulator, "PATCH", `shops/${PLAIN}`, { contactEmail: "x" })).status).toBe(400);
  });
});

describe("Admin GraphQL", () => {
  it("shop { email contactEmail } need no extra scope", async () => {
    const { json } = await plain.gql("{ shop { email contactEmail } }");
    expect(json.data.shop).toEqual({
      email: "boss@plain.example.com",
      contactEmail: "contact@plain.example.com",
    });
  });

  it("staffMembers lists them with read_users, searched and sorted", async () => {
    const { json } = await client.gql(`{
      all: staffMembers(first: 10) { nodes { id email firstName lastName name isShopOwner accountType active } }
      collaborators: staffMembers(first: 10, query: "account_type:collaborator") { nodes { email } }
      byEmail: staffMembers(first: 10, sortKey: EMAIL) { nodes { email } }
      shop { accountOwner { email isShopOwner } } }`);
    expect(json.errors).toBeUndefined();
    expect(json.data.all.nodes.map((m: { email: string }) => m.email)).toEqual([
      "owner@staffed.example.com",
      "sam@staffed.example.com",
      "ana@agency.example.org",
    ]);
    expect(json.data.all.nodes[1]).toMatchObject({
      name: "Sam Lee",
      isShopOwner: false,
      accountType: "REGULAR",
    });
    expect(json.data.collaborators.nodes).toEqual([{ email: "ana@agency.example.org" }]);
    expect(json.data.byEmail.nodes.map((m: { email: string }) => m.email)).toEqual([
      "ana@agency.example.org",
      "owner@staffed.example.com",
      "sam@staffed.example.com",
    ]);
    expect(json.data.shop.accountOwner).toEqual({ email: "owner@staffed.example.com", isShopOwner: true });
  });

  it("staffMembers without read_users is ACCESS_DENIED", async () => {
    const { json } = await plain.gql("{ staffMembers(first: 5) { nodes { email } } }");
    expect(json.data).toEqual({ staffMembers: null });
    expect(json.errors[0]).toMatchObject({
      message: expect.stringMatching(
        /^Access denied for staffMembers field\. Required access: `read_users` access scope\./,
      ),
      path: ["staffMembers"],
      extensions: {
        code: "ACCESS_DENIED",
        requiredAccess: expect.stringMatching(/^`read_users` access scope\./),
      },
    });
  });
});

describe("the invite's bcc and from", () => {
  it("accepts staff members' addresses in bcc (any case) and the shop's or contact email as from", async () => {
    const id = await customer();
    const { json } = await client.gql(INVITE, {
      id,
      email: {
        bcc: ["SAM@staffed.example.com", "owner@staffed.example.com"],
        from: "hello@staffed.example.com",
      },
    });
    expect(json.data.customerSendAccountInviteEmail).toEqual({
      customer: { state: "INVITED" },
      userErrors: [],
    });
    const { emails } = await control(
      emulator,
      "GET",
      `outbox?shop=${SHOP}&customerId=${encodeURIComponent(id)}`,
    );
    expect(emails[0]).toMatchObject({
      from: "hello@staffed.example.com",
      bcc: ["SAM@staffed.example.com", "owner@staffed.example.com"],
    });
  });

  it("refuses a well-formed bcc that is no staff member's, and lists three like Rails' to_sentence", async () => {
    const id = await customer();
    const { json } = await client.gql(INVITE, {
      id,
      email: {
        bcc: ["a@example.com", "sam@staffed.example.com", "b@example.com", "hello@staffed.example.com"],
      },
    });
    expect(json.data.customerSendAccountInviteEmail.userErrors).toEqual([
      {
        field: ["email", "bcc"],
        message:
          "Bcc a@example.com is not a valid bcc address, b@example.com is not a valid bcc address, and hello@staffed.example.com is not a valid bcc address",
        code: "INVALID",
      },
    ]);
  });

  it("refuses a well-formed from that is not the shop's (a staff member's included)", async () => {
    const id = await customer();
    for (const from of ["someone@example.com", "sam@staffed.example.com"]) {
      const { json } = await client.gql(INVITE, { id, email: { from } });
      expect(json.data.customerSendAccountInviteEmail.userErrors).toEqual([
        { field: ["email", "from"], message: "From Sender is invalid", code: "INVALID" },
      ]);
    }
  });
});
