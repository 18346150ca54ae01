import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION, REQUIRED_SCOPES } from "~/constants/shopify";
import { apiVersion } from "~/shopify.server";

const toml = readFileSync("shopify.app.toml", "utf8");

describe("the Admin API version is declared once", () => {
  it("is the version shopifyApp() uses", () => {
    expect(apiVersion).toBe(ADMIN_API_VERSION);
  });

  it("is the webhooks version in shopify.app.toml", () => {
    expect(toml).toMatch(new RegExp(`api_version = "${ADMIN_API_VERSION}"`));
  });

  it("is the schema version the setup script downloads", async () => {
    const { ADMIN_API_VERSION: scriptVersion } = await import("../../scripts/fetch-admin-schema.mjs");
    expect(scriptVersion).toBe(ADMIN_API_VERSION);
  });

  it("asks for the scopes the toml declares", () => {
    expect(toml).toContain(`scopes = "${REQUIRED_SCOPES.join(",")}"`);
  });
});

describe("shopify.app.toml", () => {
  it("subscribes every webhook topic to a route file that exists", () => {
    const routes = [...toml.matchAll(/# Handled by: \/(app\/routes\/[^\s]+)/g)].map((m) => m[1]);
    expect(routes).toHaveLength(9);
    for (const route of routes) expect(() => readFileSync(route!)).not.toThrow();
    for (const topic of [
      "app/uninstalled",
      "app/scopes_update",
      "customers/data_request",
      "customers/redact",
      "shop/redact",
      "customers/create",
      "customers/enable",
      "customers/update",
      "bulk_operations/finish",
    ]) {
      expect(toml).toContain(`"${topic}"`);
    }
  });
});
