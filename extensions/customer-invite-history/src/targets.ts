// Must match the target in ../shopify.extension.toml (checked by extensions/shared/tests/extensionConfig.test.ts).
export const INVITE_HISTORY_TARGET = "admin.customer-details.block.render";
