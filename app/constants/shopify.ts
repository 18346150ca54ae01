// The one place the Admin API version is named. shopify.app.toml ([webhooks] api_version),
// scripts/fetch-admin-schema.mjs and .graphqlrc.ts must agree: app/constants/shopify.test.ts checks it.
export const ADMIN_API_VERSION = "2026-10";

// Access scopes the app needs; shopify.app.toml [access_scopes] must list the same.
export const REQUIRED_SCOPES = ["read_customers", "write_customers"] as const;

// What a staff member needs to send invites or issue activation links: Shopify's own rule for
// customerSendAccountInviteEmail is "permission to create and edit customers", which an online token's
// `associated_user_scope` reports as write_customers (app/services/staff/, decision 008).
export const CUSTOMER_WRITE_SCOPE = "write_customers";

// How long a staff member's permissions, learned by online token exchange, are trusted before they are
// asked again (at most until that online token expires): a permission removed in admin applies within it.
export const STAFF_PERMISSIONS_TTL_MS = 5 * 60_000;

/** Why a staff member may not send: no customer-write permission (403), or it could not be learned (503). */
export type StaffRefusal = "customerWriteRequired" | "permissionsUnavailable";
