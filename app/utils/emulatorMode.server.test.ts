import { afterEach, describe, expect, it, vi } from "vitest";

async function loadWith(emulatorUrl: string | undefined) {
  vi.resetModules();
  if (emulatorUrl) process.env.SHOPIFY_EMULATOR_URL = emulatorUrl;
  else delete process.env.SHOPIFY_EMULATOR_URL;
  return import("~/utils/emulatorMode.server");
}

const shopifyPolicy = "frame-ancestors https://demo.myshopify.com https://admin.shopify.com;";

afterEach(() => {
  delete process.env.SHOPIFY_EMULATOR_URL;
});

describe("emulator mode", () => {
  it("changes nothing when SHOPIFY_EMULATOR_URL is unset (production)", async () => {
    const mode = await loadWith(undefined);
    const headers = new Headers({ "Content-Security-Policy": shopifyPolicy });
    mode.allowEmulatorFraming(headers);
    expect(headers.get("Content-Security-Policy")).toBe(shopifyPolicy);
    expect(mode.appBridgeScriptUrl()).toBeUndefined();
  });

  it("lets the local admin frame the app and serves the App Bridge stand-in", async () => {
    const mode = await loadWith("http://127.0.0.1:4010");
    const headers = new Headers({ "Content-Security-Policy": shopifyPolicy });
    mode.allowEmulatorFraming(headers);
    expect(headers.get("Content-Security-Policy")).toBe(
      "frame-ancestors http://127.0.0.1:4010 https://demo.myshopify.com https://admin.shopify.com;",
    );
    expect(mode.appBridgeScriptUrl()).toBe("http://127.0.0.1:4010/__emulator/app-bridge.js");
  });

  it("does not add a framing policy where Shopify's library set none", async () => {
    const mode = await loadWith("http://127.0.0.1:4010");
    const headers = new Headers();
    mode.allowEmulatorFraming(headers);
    expect(headers.has("Content-Security-Policy")).toBe(false);
  });
});
