// Protected customer data: the schema marks name, email, phone and address fields (`isProtected`,
// `protectedContent`). A shop grants the app Level 1 (none of them) or Level 2 (all, or the listed ones);
// a field the app may not read answers null with an ACCESS_DENIED error at its path.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../src/server";
import { control, shopWithClient, startEmulator, type ShopClient } from "./helpers";

let emulator: Emulator;
let client: ShopClient;
const SHOP = "pcd.myshopify.com";
let id: string;

const message = (type: string) =>
  `This app is not approved to access the ${type} object. See https://shopify.dev/docs/apps/launch/protected-customer-data for more details.`;

beforeAll(async () => {
  emulator = await startEmulator({ appUrl: "http://127.0.0.1:9" });
  client = await shopWithClient(emulator, {
    domain: SHOP,
    customers: 0,
    protectedCustomerData: { level: 1 },
  });
  const created = await control(emulator, "POST", `shops/${SHOP}/customers`, {
    customers: [
      {
        firstName: "Ada",
        lastName: "Lovelace",
        email: "ada@example.com",
        phone: "+14155550101",
        tags: ["vip"],
        addresses: [
          { address1: "1 Main Street", city: "Toronto", country: "Canada", countryCode: "CA", zip: "M5V" },
        ],
      },
    ],
  });
  id = created.customers[0].id;
});
afterAll(() => emulator.close());

const READ = `query Read($id: ID!) { customer(id: $id) {
  id state tags firstName email displayName phone
  defaultEmailAddress { emailAddress validFormat marketingState }
  defaultPhoneNumber { phoneNumber }
  defaultAddress { city country countryCodeV2 zip } } }`;

describe("Level 1", () => {
  it("answers the protected fields null with an error each, and the rest normally", async () => {
    const { status, json } = await client.gql(READ, { id });
    expect(status).toBe(200);
    expect(json.data.customer).toEqual({
      id,
      state: "DISABLED",
      tags: ["vip"],
      firstName: null,
      email: null,
      displayName: null, // non-null in the schema, redacted in place all the same
      phone: null,
      defaultEmailAddress: { emailAddress: null, validFormat: true, marketingState: "NOT_SUBSCRIBED" },
      defaultPhoneNumber: { phoneNumber: null },
      defaultAddress: { city: "Toronto", country: "Canada", countryCodeV2: "CA", zip: null },
    });
    expect(json.errors).toEqual([
      {
        message: message("Customer"),
        locations: [{ line: 2, column: 17 }],
        path: ["customer", "firstName"],
        extensions: { code: "ACCESS_DENIED" },
      },
      {
        message: message("Customer"),
        locations: [{ line: 2, column: 27 }],
        path: ["customer", "email"],
        extensions: { code: "ACCESS_DENIED" },
      },
      {
        message: message("Customer"),
        locations: [{ line: 2, column: 33 }],
        path: ["customer", "displayName"],
        extensions: { code: "ACCESS_DENIED" },
      },
      {
        message: message("Customer"),
        locations: [{ line: 2, column: 45 }],
        path: ["customer", "phone"],
        extensions: { code: "ACCESS_DENIED" },
      },
      {
        message: message("CustomerEmailAddress"),
        locations: [{ line: 3, column: 25 }],
        path: ["customer", "defaultEmailAddress", "emailAddress"],
        extensions: { code: "ACCESS_DENIED" },
      },
      {
        message: message("CustomerPhoneNumber"),
        locations: [{ line: 4, column: 24 }],
        path: ["customer", "defaultPhoneNumber", "phoneNumber"],
        extensions: { code: "ACCESS_DENIED" },
      },
      {
        message: message("MailingAddress"),
        locations: [{ line: 5, column: 47 }],
        path: ["customer", "defaultAddress", "zip"],
        extensions: { code: "ACCESS_DENIED" },
      },
    ]);
    expect(json.extensions.cost.actualQueryCost).toBeGreaterThan(0);
  });

  it("presence checks need no protected field: defaultEmailAddress { validFormat }", async () => {
    const { json } = await client.gql(
      `query($id: ID!) { customer(id: $id) { verifiedEmail validEmailAddress defaultEmailAddress { validFormat } } }`,
      { id },
    );
    expect(json.errors).toBeUndefined();
    expect(json.data.customer).toEqual({
      verifiedEmail: false,
      validEmailAddress: true,
      defaultEmailAddress: { validFormat: true },
    });
  });

  it("redacts in lists and mutation payloads too; the mutation still runs", async () => {
    const { json } = await client.gql("{ customers(first: 5) { nodes { id displayName } } }");
    expect(json.data.customers.nodes).toEqual([{ id, displayName: null }]);
    expect(json.errors[0].path).toEqual(["customers", "nodes", 0, "displayName"]);
    const updated = await client.gql(
      `mutation($input: CustomerInput!) { customerUpdate(input: $input) { customer { note email } userErrors { message } } }`,
      { input: { id, note: "seen" } },
    );
    expect(updated.json.data.customerUpdate).toEqual({
      customer: { note: "seen", email: null },
      userErrors: [],
    });
    expect(updated.json.errors[0].path).toEqual(["customerUpdate", "customer", "email"]);
  });

  it("redacts customers/* webhook payloads", async () => {
    await control(emulator, "POST", "webhooks", { subscriptions: { "customers/update": "/hooks" } });
    await control(emulator, "PATCH", `customers/${encodeURIComponent(id)}?shop=${SHOP}`, {
      note: "n",
      webhooks: true,
    });
    const { deliveries } = await control(
      emulator,
      "GET",
      `webhooks/deliveries?shop=${SHOP}&topic=customers/update`,
    );
    const payload = deliveries[deliveries.length - 1].payload;
    expect(payload).toMatchObject({
      email: null,
      first_name: null,
      last_name: null,
      phone: null,
    });
    // Tags are not in customer payloads since 2025-01 (protected or not).
    expect(payload).not.toHaveProperty("tags");
    expect(payload.addresses[0]).toMatchObject({
      address1: null,
      zip: null,
      city: "Toronto",
      country_code: "CA",
    });
  });
});

describe("Level 2 with some fields, and the control API", () => {
  it("grants exactly the listed fields", async () => {
    await control(emulator, "PATCH", `shops/${SHOP}`, {
      protectedCustomerData: { level: 2, fields: ["email"] },
    });
    try {
      const { json } = await client.gql(
        `query($id: ID!) { customer(id: $id) { email firstName defaultEmailAddress { emailAddress } } }`,
        { id },
      );
      expect(json.data.customer).toEqual({
        email: "ada@example.com",
        firstName: null,
        defaultEmailAddress: { emailAddress: "ada@example.com" },
      });
      expect(json.errors.map((e: { path: string[] }) => e.path)).toEqual([["customer", "firstName"]]);
    } finally {
      await control(emulator, "PATCH", `shops/${SHOP}`, { protectedCustomerData: { level: 1 } });
    }
  });

  it("defaults to Level 2 with every field, and refuses what is not a level", async () => {
    const other = await control(emulator, "POST", "shops", { domain: "pcd-default.myshopify.com" });
    expect(other.protectedCustomerData).toEqual({ level: 2, fields: ["name", "email", "phone", "address"] });
    for (const bad of [{ level: 3 }, { level: 2, fields: ["ssn"] }, { level: 1, fields: ["email"] }, "yes"]) {
      expect((await control(emulator, "PATCH", `shops/${SHOP}`, { protectedCustomerData: bad })).status).toBe(
        400,
      );
    }
  });
});
