// Shared by the emulator's tests: an emulator on a random port, a shop, an access token, and small
// HTTP helpers speaking to it the way the app's library does.
import { createEmulator, type Emulator, type EmulatorOptions } from "../src/server";
import type { CreateShopOptions } from "../src/store";

/** Parsed JSON responses in tests: shapes are asserted, not typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const API_KEY = "emulator-test-key";
export const API_SECRET = "emulator-test-secret";
export const SHOP = "test-shop.myshopify.com";
export const VERSION = "2026-10";

export async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return createEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, port: 0, ...options });
}

export async function post(
  emulator: Emulator,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${emulator.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text, headers: response.headers };
}

export async function control(
  emulator: Emulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<Json> {
  const response = await fetch(`${emulator.url}/__emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, ...(await response.json()) };
}

/** Exchanges a fresh session token for an offline access token, as shopify-api does. */
export async function exchangeToken(
  emulator: Emulator,
  shop = SHOP,
  extra: Record<string, unknown> = {},
): Promise<Json> {
  const { token } = emulator.sessionToken(shop);
  const result = await post(
    emulator,
    "/admin/oauth/access_token",
    {
      client_id: API_KEY,
      client_secret: API_SECRET,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: token,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: "1",
      ...extra,
    },
    { "X-Forwarded-Host": shop },
  );
  return result;
}

export interface ShopClient {
  token: string;
  gql: (
    query: string,
    variables?: Record<string, unknown>,
    operationName?: string,
  ) => Promise<{ status: number; json: Json }>;
}

export async function shopWithClient(
  emulator: Emulator,
  options: Partial<CreateShopOptions> = {},
): Promise<ShopClient> {
  const domain = options.domain ?? SHOP;
  emulator.createShop({ domain, customers: 20, seed: 7, ...options });
  const exchanged = await exchangeToken(emulator, domain);
  const token = exchanged.json.access_token as string;
  return {
    token,
    gql: (query, variables, operationName) =>
      post(
        emulator,
        `/admin/api/${VERSION}/graphql.json`,
        { query, variables, operationName },
        {
          "X-Shopify-Access-Token": token,
          "X-Forwarded-Host": domain,
        },
      ),
  };
}
