import "@shopify/shopify-app-remix/adapters/node";
import { RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { ADMIN_API_VERSION } from "~/constants/shopify";
import prisma from "~/db.server";
import { env } from "~/env.server";
import { logger } from "~/utils/logger.server";

function resolveApiVersion(version: string): ApiVersion {
  const found = Object.values(ApiVersion).find((candidate) => candidate === version);
  if (!found) throw new Error(`@shopify/shopify-app-remix does not know Admin API version ${version}`);
  return found;
}

export const apiVersion = resolveApiVersion(ADMIN_API_VERSION);

const shopifyLog = logger.child({ component: "shopify-api" });

function logShopify(severity: LogSeverity, message: string) {
  if (severity === LogSeverity.Error) shopifyLog.error(message);
  else if (severity === LogSeverity.Warning) shopifyLog.warn(message);
  else if (severity === LogSeverity.Info) shopifyLog.info(message);
  else shopifyLog.debug(message);
}

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: env.SCOPES.split(",").map((scope) => scope.trim()),
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  future: {
    // Token exchange: no OAuth redirects inside the admin (Shopify-managed installation).
    unstable_newEmbeddedAuthStrategy: true,
    // Required for public apps created after 2026-04-01; refreshed by the library when close to expiry.
    expiringOfflineAccessTokens: true,
  },
  logger: {
    level: LogSeverity.Info,
    // The library's own log lines go through our structured logger (which redacts tokens).
    log: logShopify,
  },
  hooks: {
    // A new offline session from token exchange: an installation (or a reinstall). Webhooks triggered
    // before it belong to an earlier installation (services/compliance/shopData.server.ts).
    afterAuth: async ({ session }) => {
      await prisma.shopInstallation.upsert({
        where: { shop: session.shop },
        create: { shop: session.shop, installedAt: new Date() },
        update: { installedAt: new Date() },
      });
    },
  },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

// Online access tokens, for the staff member's permissions (app/services/staff/, decision 008).
// shopifyApp() 6 keeps its own @shopify/shopify-api instance private (no `api` property), and its
// `useOnlineTokens` would re-exchange the offline token and rerun afterAuth whenever any staff member's
// online session expires; so the app asks for online tokens itself, through the same library, which
// verifies the session token again before posting it to Shopify.
const appUrl = new URL(env.SHOPIFY_APP_URL);
const onlineTokens = shopifyApi({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: env.SCOPES.split(",").map((scope) => scope.trim()),
  hostName: appUrl.host,
  hostScheme: appUrl.protocol === "http:" ? "http" : "https",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Info, log: async (severity, message) => logShopify(severity, message) },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

/** Exchanges a (verified) session token for the staff member's online access session. */
export function exchangeOnlineToken({ shop, sessionToken }: { shop: string; sessionToken: string }) {
  return onlineTokens.auth.tokenExchange({
    shop,
    sessionToken,
    requestedTokenType: RequestedTokenType.OnlineAccessToken,
  });
}

if (env.SHOPIFY_EMULATOR_URL) {
  logger.warn(
    { emulator: env.SHOPIFY_EMULATOR_URL },
    "emulator mode: local admin framing and the App Bridge stand-in are on; never set SHOPIFY_EMULATOR_URL in production",
  );
}

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
