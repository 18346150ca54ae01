// The one place the Admin API version is named. shopify.app.toml ([webhooks] api_version),
// scripts/fetch-admin-schema.mjs and .graphqlrc.ts must agree: app/constants/shopify.test.ts checks it.
export const ADMIN_API_VERSION = "2026-10";

// Access scopes the app needs; shopify.app.toml [access_scopes] must list the same.
export const REQUIRED_SCOPES = ["read_customers", "write_customers"] as const;
