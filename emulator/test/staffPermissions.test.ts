// Staff members' permissions: an online token (token exchange with the online token type) carries the
// staff member the session token names (`sub`) and an `associated_user_scope` narrowed to what they
// may do; with that token the invite and activation-link mutations are refused (ACCESS_DENIED) to a
// staff member without customer permissions. The local admin acts as any staff member.
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeShopifyToEmulator } from "../preload.mjs";
import { verifyJwt } from "../src/jwt";
import type { Emulator } from "../src/server";
import { API_KEY, API_SECRET, control, post, startEmulator, VERSION, type Json } from "./helpers";

const SHOP = "staff-permissions.myshopify.com";
let emulator: Emulator;
let unroute: () => void;
let owner: Json;
let viewer: Json;
let clerk: Json;
const shopify = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET,
  apiVersion: ApiVersion.October26,
  hostName: "app.example.com",
  isEmbeddedApp: true,
  scopes: ["read_customers", "write_customers"],
  logger: { level: LogSeverity.Error, log: async () => {} },
});

const numericId = (member: Json) => String(member.id).replace("gid://shopify/StaffMember/", "");

beforeAll(async () => {
  emulator = await startEmulator({ appUrl: "https://app.example.com" });
  emulator.createShop({
    domain: SHOP,
    customers: 4,
    staff: [
      {
        email: "viewer@staff-permissions.example.com",
        firstName: "Vic",
        lastName: "Viewer",
        permissions: ["read_customers"],
      },
      { email: "clerk@staff-permissions.example.com", firstName: "Cleo", lastName: "Clerk", permissions: [] },
    ],
  });
  unroute = routeShopifyToEmulator(emulator.url);
  const { staff } = await control(emulator, "GET", `shops/${SHOP}/staff`);
  [owner, viewer, clerk] = staff;
});
afterAll(async () => {
  unroute?.();
  await emulator.close();
});

async function onlineSession(member: Json) {
  const { token } = emulator.sessionToken(SHOP, { sub: numericId(member) });
  const { session } = await shopify.auth.tokenExchange({
    shop: SHOP,
    sessionToken: token,
    requestedTokenType: RequestedTokenType.OnlineAccessToken,
  });
  return session;
}

async function firstCustomer(): Promise<string> {
  const { customers } = await control(emulator, "GET", `customers?shop=${SHOP}`);
  return customers.find((c: Json) => c.state === "DISABLED").id;
}

const graphql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
  post(
    emulator,
    `/admin/api/${VERSION}/graphql.json`,
    { query, variables },
    { "X-Shopify-Access-Token": token, "X-Forwarded-Host": SHOP },
  );

const INVITE = `mutation Invite($id: ID!) { customerSendAccountInviteEmail(customerId: $id) { customer { id } userErrors { message } } }`;
const LINK = `mutation Link($id: ID!) { customerGenerateAccountActivationUrl(customerId: $id) { accountActivationUrl userErrors { message } } }`;

describe("online token exchange for each kind of staff member", () => {
  it("gives the owner the app's full scopes and their own identity", async () => {
    const session = await onlineSession(owner);
    expect(session.isOnline).toBe(true);
    expect(session.onlineAccessInfo).toMatchObject({
      associated_user_scope: "read_customers,write_customers",
      associated_user: {
        id: Number(numericId(owner)),
        first_name: "Local",
        last_name: "Owner",
        email: owner.email,
        account_owner: true,
        collaborator: false,
      },
    });
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
  });

  it("narrows a staff member's scope to their permissions: view-only gets no write_customers", async () => {
    const session = await onlineSession(viewer);
    expect(session.onlineAccessInfo).toMatchObject({
      associated_user_scope: "read_customers",
      associated_user: { id: Number(numericId(viewer)), first_name: "Vic", account_owner: false },
    });
    // The app's own grant is unchanged: `scope` is what the app was granted.
    expect(session.scope).toBe("read_customers,write_customers");
  });

  it("gives a staff member without customer permissions an empty associated_user_scope", async () => {
    const session = await onlineSession(clerk);
    expect(session.onlineAccessInfo?.associated_user_scope).toBe("");
  });

  it("counts online exchanges apart from offline ones", async () => {
    const before = (await control(emulator, "GET", `stats?shop=${SHOP}`)) as Json;
    await onlineSession(viewer);
    const after = (await control(emulator, "GET", `stats?shop=${SHOP}`)) as Json;
    expect(after.onlineTokenExchanges).toBe(before.onlineTokenExchanges + 1);
    expect(after.tokenExchanges).toBe(before.tokenExchanges + 1);
  });

  it("refuses a deactivated staff member's session token", async () => {
    const added = await control(emulator, "POST", `shops/${SHOP}/staff`, {
      email: "gone@staff-permissions.example.com",
      active: false,
    });
    const { token } = emulator.sessionToken(SHOP, { sub: numericId(added) });
    const refused = await post(
      emulator,
      "/admin/oauth/access_token",
      {
        client_id: API_KEY,
        client_secret: API_SECRET,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: token,
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: RequestedTokenType.OnlineAccessToken,
      },
      { "X-Forwarded-Host": SHOP },
    );
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      error: "invalid_subject_token",
      error_description: "Session token is invalid: the staff member's account is deactivated.",
    });
  });

  it("refuses malformed permissions in the control API", async () => {
    const refused = await control(emulator, "POST", `shops/${SHOP}/staff`, {
      email: "bad@staff-permissions.example.com",
      permissions: ["customers"],
    });
    expect(refused.status).toBe(400);
    expect(refused.errors).toMatch(/not an access scope/);
  });
});

describe("the mutations with an online token follow the staff member's permissions", () => {
  it("refuses an invite and an activation link to a staff member without write_customers (ACCESS_DENIED)", async () => {
    const customerId = await firstCustomer();
    const session = await onlineSession(viewer);
    const invite = await graphql(session.accessToken!, INVITE, { id: customerId });
    expect(invite.status).toBe(200);
    expect(invite.json.data.customerSendAccountInviteEmail).toBeNull();
    expect(invite.json.errors[0]).toMatchObject({
      message:
        "Access denied for customerSendAccountInviteEmail field. Required access: `write_customers` access scope. Also: The user must have permission to create and edit customers.",
      extensions: { code: "ACCESS_DENIED" },
    });
    const link = await graphql(session.accessToken!, LINK, { id: customerId });
    expect(link.json.errors[0].extensions.code).toBe("ACCESS_DENIED");
    const { emails } = await control(emulator, "GET", `outbox?shop=${SHOP}`);
    expect(emails).toHaveLength(0);
    // Reading stays allowed with read_customers.
    const read = await graphql(
      session.accessToken!,
      `
        query C($id: ID!) {
          customer(id: $id) {
            state
          }
        }
      `,
      {
        id: customerId,
      },
    );
    expect(read.json.data.customer.state).toBe("DISABLED");
  });

  it("lets the owner's online token send", async () => {
    const customerId = await firstCustomer();
    const session = await onlineSession(owner);
    const invite = await graphql(session.accessToken!, INVITE, { id: customerId });
    expect(invite.json.errors).toBeUndefined();
    expect(invite.json.data.customerSendAccountInviteEmail.userErrors).toEqual([]);
  });
});

describe("the local admin acts as one staff member", () => {
  const appPage = async (query = "", cookie?: string) => {
    const response = await fetch(`${emulator.url}/store/staff-permissions/apps/account-invites${query}`, {
      headers: cookie ? { Cookie: cookie } : {},
    });
    const html = await response.text();
    const src = /<iframe[^>]*src="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, "&");
    const idToken = new URL(src).searchParams.get("id_token")!;
    return {
      html,
      src,
      sub: verifyJwt(idToken, API_SECRET).sub,
      setCookie: response.headers.get("set-cookie"),
    };
  };

  it("is the owner by default, with an 'Acting as' select listing the staff", async () => {
    const page = await appPage();
    expect(page.sub).toBe(numericId(owner));
    expect(page.html).toContain('id="acting-staff"');
    expect(page.html).toContain("Local Owner (owner)");
    expect(page.html).toContain("Vic Viewer");
  });

  it("acts as the staff member named by ?staff= (id or email), remembers it, and keeps it off the app's URL", async () => {
    const page = await appPage(`?staff=${encodeURIComponent(viewer.email)}`);
    expect(page.sub).toBe(numericId(viewer));
    expect(new URL(page.src).searchParams.has("staff")).toBe(false);
    expect(page.setCookie).toMatch(new RegExp(`local_admin_staff=${numericId(viewer)}`));
    const again = await appPage("", page.setCookie!.split(";")[0]);
    expect(again.sub).toBe(numericId(viewer));
  });

  it("mints session tokens for the acting staff member through the control API", async () => {
    const { token } = await control(emulator, "POST", "session-token", { shop: SHOP, sub: numericId(clerk) });
    expect(verifyJwt(token, API_SECRET).sub).toBe(numericId(clerk));
  });
});
