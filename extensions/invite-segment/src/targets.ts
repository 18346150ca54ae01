// Must match the target in ../shopify.extension.toml (checked by extensions/shared/tests/extensionConfig.test.ts).
export const INVITE_SEGMENT_TARGET = "admin.customer-segment-details.action.render";
export const INVITE_SEGMENT_SHOULD_RENDER_TARGET = "admin.customer-segment-details.action.should-render";
