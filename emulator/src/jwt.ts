// HS256 JSON Web Tokens, as Shopify admin signs session (id) tokens with the app's secret.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub?: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid?: string;
  sig?: string;
  [key: string]: unknown;
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

export function signJwt(payload: object, secret: string): string {
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  const signature = b64url(createHmac("sha256", secret).update(`${header}.${body}`).digest());
  return `${header}.${body}.${signature}`;
}

export class JwtError extends Error {}

/** Verifies signature and algorithm only; claims are checked by the caller. */
export function verifyJwt(token: string, secret: string): Record<string, unknown> {
  const parts = token.split(".");
  if (parts.length !== 3) throw new JwtError("malformed token");
  const [header, body, signature] = parts as [string, string, string];
  let headerJson: { alg?: string };
  let payload: Record<string, unknown>;
  try {
    headerJson = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw new JwtError("malformed token");
  }
  if (headerJson.alg !== "HS256") throw new JwtError(`unsupported algorithm ${String(headerJson.alg)}`);
  const expected = createHmac("sha256", secret).update(`${header}.${body}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new JwtError("signature mismatch");
  if (!payload || typeof payload !== "object") throw new JwtError("malformed payload");
  return payload;
}

/** A session token exactly like the ones Shopify admin gives an embedded app. */
export function signSessionToken({
  shop,
  apiKey,
  secret,
  sub = "1",
  expiresInSeconds = 60,
  nowMs = Date.now(),
}: {
  shop: string;
  apiKey: string;
  secret: string;
  sub?: string;
  expiresInSeconds?: number;
  nowMs?: number;
}): { token: string; claims: SessionTokenClaims } {
  const now = Math.floor(nowMs / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: apiKey,
    sub,
    exp: now + expiresInSeconds,
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  return { token: signJwt(claims, secret), claims };
}
