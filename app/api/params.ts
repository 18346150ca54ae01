import { customerIdSchema } from "~/services/campaigns/campaignInput";

// Path parameters of the JSON API's routes.

/**
 * `/api/customers/:id/...` takes Shopify's numeric id (or a whole GID, URL-encoded). Remix decodes the
 * path but keeps `%2F` inside a segment, so the GID's slashes are decoded here; a `%` that is not an
 * escape (Remix passes a malformed segment through as is) is not an id.
 */
export function customerGidFromParam(param: string | undefined): string | null {
  if (!param) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(param);
  } catch {
    return null;
  }
  const gid = decoded.startsWith("gid://shopify/Customer/") ? decoded : `gid://shopify/Customer/${decoded}`;
  return customerIdSchema.safeParse(gid).success ? gid : null;
}

/** Campaign ids are cuids: anything else cannot name a campaign. */
export function campaignIdFromParam(param: string | undefined): string | null {
  return param && /^[a-z0-9]{10,40}$/.test(param) ? param : null;
}

/** Link export ids are cuids too. */
export function linkExportIdFromParam(param: string | undefined): string | null {
  return campaignIdFromParam(param);
}
