import { z } from "zod";

// customers/data_request and customers/redact carry the customer's numeric id (REST style).
const schema = z.object({ customer: z.object({ id: z.union([z.number(), z.string()]) }) });

export function customerGid(payload: unknown): string | null {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) return null;
  const id = String(parsed.data.customer.id);
  if (id.startsWith("gid://shopify/Customer/")) return id;
  return /^\d+$/.test(id) ? `gid://shopify/Customer/${id}` : null;
}
