import { z } from "zod";
import type { CustomerState } from "~/constants/invites";

// The customer in a customers/create, customers/update or customers/enable webhook: REST-shaped, with a
// numeric `id` and `admin_graphql_api_id`, the state in lower case, times as ISO strings with an offset.
// Since 2025-01 these payloads carry no tags (they are read from the Admin API when an invite is due).
// Only what the app acts on is read; the toml's `include_fields` asks Shopify for nothing more.

const payloadSchema = z.object({
  id: z.union([z.number(), z.string()]),
  admin_graphql_api_id: z.string().optional(),
  state: z.string().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});

export interface WebhookCustomer {
  id: string;
  state: CustomerState | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

function dateOf(value: string | undefined): Date | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The payload's customer, or null when it does not name one. */
export function webhookCustomer(payload: unknown): WebhookCustomer | null {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return null;
  const { id, admin_graphql_api_id: gid, state, created_at, updated_at } = parsed.data;
  const numeric = String(id);
  const customerId =
    gid && /^gid:\/\/shopify\/Customer\/\d+$/.test(gid)
      ? gid
      : /^\d+$/.test(numeric)
        ? `gid://shopify/Customer/${numeric}`
        : null;
  if (!customerId) return null;
  const upper = state?.toUpperCase();
  return {
    id: customerId,
    state:
      upper === "DISABLED" || upper === "INVITED" || upper === "ENABLED" || upper === "DECLINED"
        ? upper
        : null,
    createdAt: dateOf(created_at),
    updatedAt: dateOf(updated_at),
  };
}
