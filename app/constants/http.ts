// Request body limits in bytes, by route family (app/server/bodyLimits.server.ts enforces them while
// reading; the README's Security section explains each).
export const JSON_API_BODY_MAX_BYTES = 1_000_000;
export const WEBHOOK_BODY_MAX_BYTES = 5_000_000;
export const FLOW_BODY_MAX_BYTES = 256_000;
export const PAGE_FORM_BODY_MAX_BYTES = 256_000;
export const OTHER_BODY_MAX_BYTES = 64_000;
