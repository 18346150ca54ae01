import type { CampaignOrigin } from "~/constants/invites";
import { FLOW_TRIGGER_KEYS, FLOW_TRIGGER_MAX_PROPERTIES_BYTES } from "~/constants/flow";

// The properties of one "Account invite sent" event, as the trigger's toml declares them
// (extensions/account-invite-sent/shopify.extension.toml): the customer reference, where the invite came
// from, the campaign and the attempt. Ids and numbers only: an invite carries no link the app knows, and
// nothing here may ever hold a URL, a token or an email address (test: flowTriggerPayload.test.ts).

export interface InviteSentEvent {
  customerId: string;
  origin: CampaignOrigin | string;
  campaignId: string;
  attempt: number;
}

/** `gid://shopify/Customer/123` → 123: a `customer_reference` travels as Flow's `customer_id`, a number. */
export function numericCustomerId(gid: string): number {
  const match = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(gid);
  const id = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`not a customer GID: ${gid.slice(0, 80)}`);
  return id;
}

export function inviteSentPayload(event: InviteSentEvent): Record<string, string | number> {
  return {
    customer_id: numericCustomerId(event.customerId),
    [FLOW_TRIGGER_KEYS.source]: event.origin,
    [FLOW_TRIGGER_KEYS.campaign]: event.campaignId,
    [FLOW_TRIGGER_KEYS.attempt]: event.attempt,
  };
}

/** Flow counts the properties' JSON in bytes (UTF-8); above the limit the event is refused. */
export function payloadBytes(payload: unknown): number {
  return Buffer.byteLength(JSON.stringify(payload), "utf8");
}

export function payloadFits(payload: unknown): boolean {
  return payloadBytes(payload) <= FLOW_TRIGGER_MAX_PROPERTIES_BYTES;
}
