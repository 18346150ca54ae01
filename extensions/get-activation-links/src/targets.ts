// Must match the target in ../shopify.extension.toml (checked by extensions/shared/tests/extensionConfig.test.ts).
export const GET_LINKS_TARGET = "admin.customer-index.selection-action.render";
export const GET_LINKS_SHOULD_RENDER_TARGET = "admin.customer-index.selection-action.should-render";
