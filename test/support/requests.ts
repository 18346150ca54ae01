import { BROWSER_USER_AGENT, TEST_APP_URL } from "../testEnv";
import { signSessionToken, type SessionTokenOptions } from "./sessionToken";

/** What Shopify admin loads in the app's iframe: an app URL with shop, host and a fresh id_token. */
export function embeddedDocumentRequest(path: string, token: SessionTokenOptions | string): Request {
  const shop = typeof token === "string" ? "unknown.myshopify.com" : token.shop;
  const idToken = typeof token === "string" ? token : signSessionToken(token);
  const url = new URL(path, TEST_APP_URL);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", Buffer.from(`${shop}/admin`).toString("base64url"));
  url.searchParams.set("id_token", idToken);
  return new Request(url, { headers: { "User-Agent": BROWSER_USER_AGENT } });
}

/** A fetch from the app's frontend or an extension: the session token rides in Authorization. */
export function bearerRequest(path: string, token: string | null, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  headers.set("User-Agent", BROWSER_USER_AGENT);
  headers.set("Origin", "https://admin.shopify.com");
  if (token !== null) headers.set("Authorization", `Bearer ${token}`);
  return new Request(new URL(path, TEST_APP_URL), { ...init, headers });
}

export function routeArgs(request: Request, params: Record<string, string> = {}) {
  return { request, params, context: {} };
}
