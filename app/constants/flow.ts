// Shopify Flow: the app's action and trigger (extensions/send-account-invite, extensions/account-invite-sent).
// Handles and field keys must match the extensions' tomls (checked by app/services/flow/flowConfig.test.ts).

/** The Flow action "Send account invite": its handle, and the route Flow posts to (`runtime_url`). */
export const FLOW_ACTION_HANDLE = "send-account-invite";
export const FLOW_ACTION_PATH = "/flow/send-account-invite";

/** The Flow trigger "Account invite sent", emitted with flowTriggerReceive after each invite the app sends. */
export const FLOW_TRIGGER_HANDLE = "account-invite-sent";
/** Its title (the toml's `name`): Flow's lifecycle callback may name the trigger by it. */
export const FLOW_TRIGGER_NAME = "Account invite sent";

/** The route Flow's trigger lifecycle callback posts to (extensions/account-invite-sent-lifecycle, `url`). */
export const FLOW_LIFECYCLE_PATH = "/flow/trigger-lifecycle";

/**
 * The trigger's properties: keys as the toml declares them (letters and spaces only, as Flow requires).
 * The customer reference arrives as `customer_id` (Flow's key for a `customer_reference` field).
 */
export const FLOW_TRIGGER_KEYS = {
  source: "Invite source",
  campaign: "Campaign ID",
  attempt: "Attempt number",
} as const;

/** Flow refuses a trigger whose properties are larger than this (captured: 50,001 bytes refused, 50,000 accepted). */
export const FLOW_TRIGGER_MAX_PROPERTIES_BYTES = 50_000;

/** Flow waits about 10 s for an action's answer; the action's own Shopify read must end well before. */
export const FLOW_ACTION_READ_TIMEOUT_MS = 4_000;

/** Trigger events per flowTriggerReceive request (aliased), and emission attempts before giving up. */
export const FLOW_TRIGGER_BATCH = 25;
export const FLOW_TRIGGER_MAX_TRIES = 8;
