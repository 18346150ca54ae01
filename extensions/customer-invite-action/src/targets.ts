// Must match the target in ../shopify.extension.toml (checked by extensions/shared/tests/extensionConfig.test.ts).
export const CUSTOMER_INVITE_TARGET = "admin.customer-details.action.render";
export const CUSTOMER_INVITE_SHOULD_RENDER_TARGET = "admin.customer-details.action.should-render";
