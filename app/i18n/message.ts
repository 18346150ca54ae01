import type { OutcomeReason } from "~/constants/invites";

// A merchant-facing message as data: a translation key and its values. Services and loaders return
// messages; pages render them in the reader's language, the JSON API in English (with a stable code).

export interface Message {
  key: string;
  values?: Record<string, string | number>;
}

export function message(key: string, values?: Message["values"]): Message {
  return values ? { key, values } : { key };
}

/** A field map of messages, as forms and the JSON API answer with 400. */
export type FieldMessages = Record<string, Message>;

/** A ledger reason (`reasonCode` with its `reasonParams` JSON) as a message. */
export function reasonMessage(code: OutcomeReason | string, paramsJson?: string | null): Message {
  const values = parseParams(paramsJson);
  // Shopify's own words, when it gave some, follow ours.
  if (code === "SHOPIFY_ERROR" && values?.shopifyMessage)
    return message("reasons.SHOPIFY_ERROR_detail", values);
  return message(`reasons.${code}`, values);
}

function parseParams(json: string | null | undefined): Message["values"] {
  if (!json) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
    const values: Record<string, string | number> = {};
    for (const [key, item] of Object.entries(value))
      if (typeof item === "string" || typeof item === "number") values[key] = item;
    return values;
  } catch {
    return undefined;
  }
}
