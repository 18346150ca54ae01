import { env } from "~/env.server";

// Everything the app does differently when it runs against the local emulator (`npm run demo`, browser
// tests), behind the one documented switch, SHOPIFY_EMULATOR_URL. Nothing here runs when it is unset.
// The network routing itself happens outside the app, in emulator/preload.mjs.

/** The App Bridge script: Shopify's CDN normally, the emulator's stand-in in emulator mode. */
export function appBridgeScriptUrl(): string | undefined {
  return env.SHOPIFY_EMULATOR_URL
    ? new URL("/__emulator/app-bridge.js", env.SHOPIFY_EMULATOR_URL).href
    : undefined;
}

/** Lets the emulator's local admin frame the app, besides the shop and admin.shopify.com. */
export function allowEmulatorFraming(headers: Headers): void {
  if (!env.SHOPIFY_EMULATOR_URL) return;
  const policy = headers.get("Content-Security-Policy");
  if (!policy?.includes("frame-ancestors")) return;
  const origin = new URL(env.SHOPIFY_EMULATOR_URL).origin;
  headers.set("Content-Security-Policy", policy.replace("frame-ancestors", `frame-ancestors ${origin}`));
}
