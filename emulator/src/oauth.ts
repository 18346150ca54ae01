// POST /admin/oauth/access_token: token exchange (session token → access token) and refresh-token
// rotation, as @shopify/shopify-api calls them (lib/auth/oauth/token-exchange.ts, refresh-token.ts).
// Errors are OAuth-shaped: HTTP 400 { error, error_description }.
import { timingSafeEqual } from "node:crypto";
import { verifyJwt, type JwtError } from "./jwt";
import { staffScopes, type Shop } from "./model";
import {
  EXPIRING_ACCESS_TOKEN_SECONDS,
  ONLINE_TOKEN_SECONDS,
  REFRESH_TOKEN_SECONDS,
  type TokenStore,
} from "./tokens";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";
/** Clock skew accepted on exp/nbf, in seconds (shopify-api allows 10 s on its side too). */
export const JWT_LEEWAY_SECONDS = 10;

export interface OAuthResult {
  status: number;
  body: Record<string, unknown>;
}

const oauthError = (error: string, description: string, status = 400): OAuthResult => ({
  status,
  body: { error, error_description: description },
});

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function handleAccessToken({
  shop,
  body,
  apiKey,
  apiSecret,
  tokens,
  wallNow,
}: {
  shop: Shop;
  body: Record<string, unknown>;
  apiKey: string;
  apiSecret: string;
  tokens: TokenStore;
  wallNow: number;
}): OAuthResult {
  const clientId = String(body.client_id ?? "");
  const clientSecret = String(body.client_secret ?? "");
  if (!clientId || !safeEqual(clientId, apiKey) || !safeEqual(clientSecret, apiSecret)) {
    return oauthError("invalid_client", "Client credentials are invalid.");
  }
  const grantType = String(body.grant_type ?? "");

  if (grantType === "refresh_token") {
    const refreshToken = String(body.refresh_token ?? "");
    if (!refreshToken) return oauthError("invalid_request", "Missing refresh_token.");
    const consumed = tokens.consumeRefresh(refreshToken, shop.domain);
    if (!consumed.ok) return oauthError("invalid_grant", `The refresh token is invalid: ${consumed.reason}.`);
    const access = tokens.issueAccess({
      shop: shop.domain,
      scope: shop.scopes,
      online: false,
      expiresInSeconds: EXPIRING_ACCESS_TOKEN_SECONDS,
    });
    const refresh = tokens.issueRefresh(shop.domain, shop.scopes);
    shop.stats.tokenRefreshes++;
    return {
      status: 200,
      body: {
        access_token: access.token,
        scope: shop.scopes,
        expires_in: EXPIRING_ACCESS_TOKEN_SECONDS,
        refresh_token: refresh.token,
        refresh_token_expires_in: REFRESH_TOKEN_SECONDS,
      },
    };
  }

  if (grantType !== TOKEN_EXCHANGE_GRANT) {
    return oauthError(
      "unsupported_grant_type",
      `grant_type '${grantType}' is not supported by the emulator.`,
    );
  }
  const subjectToken = String(body.subject_token ?? "");
  if (!subjectToken) return oauthError("missing_subject_token", "subject_token is required.");
  if (body.subject_token_type !== ID_TOKEN_TYPE) {
    return oauthError("invalid_request", `subject_token_type must be ${ID_TOKEN_TYPE}.`);
  }
  const requested = String(body.requested_token_type ?? OFFLINE_TOKEN_TYPE);
  if (requested !== OFFLINE_TOKEN_TYPE && requested !== ONLINE_TOKEN_TYPE) {
    return oauthError("invalid_request", `requested_token_type '${requested}' is not supported.`);
  }

  let claims: Record<string, unknown>;
  try {
    claims = verifyJwt(subjectToken, apiSecret);
  } catch (error) {
    return oauthError("invalid_subject_token", `Session token is invalid: ${(error as JwtError).message}.`);
  }
  const now = Math.floor(wallNow / 1000);
  const invalid = (why: string) => oauthError("invalid_subject_token", `Session token is invalid: ${why}.`);
  if (claims.aud !== apiKey) return invalid("aud does not match the client_id");
  let destHost = "";
  try {
    destHost = new URL(String(claims.dest)).hostname.toLowerCase();
  } catch {
    return invalid("dest is not a URL");
  }
  if (destHost !== shop.domain) return invalid("dest does not match the shop");
  if (claims.iss !== `https://${shop.domain}/admin`) return invalid("iss does not match the shop");
  if (typeof claims.exp !== "number" || claims.exp + JWT_LEEWAY_SECONDS < now)
    return invalid("token has expired");
  if (typeof claims.nbf === "number" && claims.nbf - JWT_LEEWAY_SECONDS > now)
    return invalid("token is not yet valid (nbf)");

  const userId = String(claims.sub ?? "1");
  const member = shop.staff.find((m) => String(m.id) === userId) ?? null;
  // A deactivated staff member cannot be logged in to admin, so cannot hold a session token [choice].
  if (member && !member.active) return invalid("the staff member's account is deactivated");

  shop.installed = true;
  shop.stats.tokenExchanges++;

  if (requested === ONLINE_TOKEN_TYPE) {
    shop.stats.onlineTokenExchanges++;
    // The app's scopes narrowed to what this staff member may do. A `sub` that names none of the shop's
    // staff members (tests sign their own tokens) acts with full permissions [choice, emulator/README.md].
    const userScope = member ? staffScopes(shop.scopes, member) : shop.scopes;
    const access = tokens.issueAccess({
      shop: shop.domain,
      scope: userScope,
      online: true,
      userId,
      expiresInSeconds: ONLINE_TOKEN_SECONDS,
    });
    const handle = shop.domain.replace(/\.myshopify\.com$/, "");
    return {
      status: 200,
      body: {
        access_token: access.token,
        scope: shop.scopes,
        expires_in: ONLINE_TOKEN_SECONDS,
        associated_user_scope: userScope,
        associated_user: member
          ? {
              id: member.id,
              first_name: member.firstName,
              last_name: member.lastName,
              email: member.email,
              account_owner: member.isShopOwner,
              locale: member.locale,
              collaborator:
                member.accountType === "COLLABORATOR" || member.accountType === "COLLABORATOR_TEAM_MEMBER",
              email_verified: true,
            }
          : {
              id: Number.isSafeInteger(Number(userId)) ? Number(userId) : userId,
              first_name: "Local",
              last_name: "Staff",
              email: `staff-${userId}@${handle}.example.com`,
              account_owner: true,
              locale: shop.locale,
              collaborator: false,
              email_verified: true,
            },
      },
    };
  }
  const expiring = String(body.expiring ?? "0") === "1";
  if (!expiring) {
    const access = tokens.issueAccess({
      shop: shop.domain,
      scope: shop.scopes,
      online: false,
      expiresInSeconds: null,
    });
    return { status: 200, body: { access_token: access.token, scope: shop.scopes } };
  }
  const access = tokens.issueAccess({
    shop: shop.domain,
    scope: shop.scopes,
    online: false,
    expiresInSeconds: EXPIRING_ACCESS_TOKEN_SECONDS,
  });
  const refresh = tokens.issueRefresh(shop.domain, shop.scopes);
  return {
    status: 200,
    body: {
      access_token: access.token,
      scope: shop.scopes,
      expires_in: EXPIRING_ACCESS_TOKEN_SECONDS,
      refresh_token: refresh.token,
      refresh_token_expires_in: REFRESH_TOKEN_SECONDS,
    },
  };
}
