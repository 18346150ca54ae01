import { SHOPIFY_PAGE_SIZE } from "~/constants/invites";
import { CustomerProfilesQuery } from "~/graphql/CustomerProfilesQuery";
import { REQUEST_TIMEOUT_MS, requestAdmin } from "~/services/shopify/adminRequest.server";
import type { AdminGraphql } from "~/types/admin";

// Customers shown as people: the name and email of the rows on screen, read from Shopify when the page
// loads, never stored or logged. Without Level 2 protected customer data (names, emails) the store
// answers ACCESS_DENIED, and the pages show ids with a note; when Shopify cannot be asked, ids as well.

export interface CustomerProfile {
  name: string | null;
  email: string | null;
}

export type ProfilesRead =
  | { access: "granted"; profiles: Record<string, CustomerProfile> }
  | { access: "denied" | "unavailable"; profiles: Record<string, CustomerProfile> };

export async function readCustomerProfiles({
  graphql,
  ids,
}: {
  graphql: AdminGraphql;
  ids: string[];
}): Promise<ProfilesRead> {
  const unique = [...new Set(ids)].slice(0, SHOPIFY_PAGE_SIZE);
  if (unique.length === 0) return { access: "granted", profiles: {} };
  const outcome = await requestAdmin({
    send: (signal) => graphql(CustomerProfilesQuery, { variables: { ids: unique }, signal }),
    parse: (data) => data.nodes,
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  if (outcome.kind !== "answered") return { access: "unavailable", profiles: {} };
  if (outcome.errors.some((e) => e.code === "ACCESS_DENIED")) return { access: "denied", profiles: {} };
  if (!outcome.data) return { access: "unavailable", profiles: {} };
  const profiles: Record<string, CustomerProfile> = {};
  for (const node of outcome.data) {
    if (!node || !("id" in node) || !node.id) continue;
    profiles[node.id] = {
      name: "displayName" in node ? (node.displayName ?? null) : null,
      email: "defaultEmailAddress" in node ? (node.defaultEmailAddress?.emailAddress ?? null) : null,
    };
  }
  return { access: "granted", profiles };
}
