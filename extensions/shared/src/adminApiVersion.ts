// The Admin GraphQL version of the extensions' direct API queries (`shopify.query(..., { version })`).
// Must equal ADMIN_API_VERSION in app/constants/shopify.ts (checked by
// extensions/shared/tests/extensionConfig.test.ts): the app and its extensions speak one Admin API version.
export const ADMIN_API_VERSION = "2026-10";
