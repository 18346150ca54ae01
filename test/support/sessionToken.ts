import { createHmac, randomUUID } from "node:crypto";
import { TEST_API_KEY, TEST_API_SECRET } from "../testEnv";

// Session tokens (id tokens) exactly as Shopify admin issues them to an embedded app: HS256 JWTs
// signed with the app's secret. https://shopify.dev/docs/apps/build/authentication-authorization/session-tokens
export interface SessionTokenOptions {
  shop: string;
  secret?: string;
  apiKey?: string;
  userId?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

export function signSessionToken({
  shop,
  secret = TEST_API_SECRET,
  apiKey = TEST_API_KEY,
  userId = "42",
  expiresIn = 60,
}: SessionTokenOptions): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: apiKey,
      sub: userId,
      exp: now + expiresIn,
      nbf: Math.min(now, now + expiresIn) - 5,
      iat: Math.min(now, now + expiresIn) - 5,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = base64url(createHmac("sha256", secret).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
}
