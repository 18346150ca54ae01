import { SHOPIFY_PAGE_SIZE } from "~/constants/invites";
import { AudienceSegmentCountQuery } from "~/graphql/AudienceSegmentCountQuery";
import type { Message } from "~/i18n/message";
import type { AudienceChoices } from "~/services/customers/customerSearch";
import { buildCustomerQuery } from "~/services/customers/customerSearch";
import { checkCustomerSearch } from "~/services/customers/searchCheck.server";
import { askAdmin, dataOf, REQUEST_TIMEOUT_MS } from "~/services/shopify/adminRequest.server";
import { countCustomers } from "~/services/shopify/customerCounts.server";
import { readCustomersPage } from "~/services/shopify/customerReads.server";
import type { AdminGraphql } from "~/types/admin";

// How many customers a campaign's audience reaches, by a means a live store supports:
// - no choice at all: the shop's customers (`customersCount` without a query is exact);
// - account states and tags only: customer segment members with the same criteria in ShopifyQL;
// - free search terms: the customer search itself, page by page, up to `countUpTo` customers
//   (exact below it, "at least" above). `customersCount(query:)` cannot filter by state or tag.
// A search with warnings (an unknown field) is not counted: its error is the answer.

export interface AudienceCount {
  count: number;
  exact: boolean;
}

const SEGMENT_STATUS: Record<string, string> = {
  DISABLED: "DISABLED",
  INVITED: "INVITED",
  ENABLED: "ENABLED",
  DECLINED: "DECLINED",
};

/** The ShopifyQL segment query for states and tags; null when the audience has free search terms. */
export function segmentQueryOf({ states, tags, query }: AudienceChoices): string | null {
  if (query.trim()) return null;
  const quote = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  const clauses: string[] = [];
  if (states.length > 0 && states.length < Object.keys(SEGMENT_STATUS).length) {
    const parts = states.map((state) => `customer_account_status = ${quote(SEGMENT_STATUS[state]!)}`);
    clauses.push(parts.length > 1 ? `(${parts.join(" OR ")})` : parts[0]!);
  }
  for (const tag of tags) clauses.push(`customer_tags CONTAINS ${quote(tag)}`);
  return clauses.length > 0 ? clauses.join(" AND ") : null;
}

export async function countAudience({
  graphql,
  audience,
  countUpTo = 1_000,
}: {
  graphql: AdminGraphql;
  audience: AudienceChoices;
  countUpTo?: number;
}): Promise<{ count: AudienceCount | null; searchError: Message | null }> {
  const search = buildCustomerQuery(audience);
  if (!search) return { count: await countCustomers({ graphql, query: "" }), searchError: null };
  const checked = await checkCustomerSearch({ graphql, query: search });
  if (checked.error) return { count: null, searchError: checked.error };
  const segment = segmentQueryOf(audience);
  if (segment) {
    const total = await askAdmin({
      send: (signal) => graphql(AudienceSegmentCountQuery, { variables: { query: segment }, signal }),
      parse: (data) => data.customerSegmentMembers.totalCount,
    });
    return { count: { count: total, exact: true }, searchError: null };
  }
  return { count: await countSearchPages({ graphql, query: search, upTo: countUpTo }), searchError: null };
}

async function countSearchPages({
  graphql,
  query,
  upTo,
}: {
  graphql: AdminGraphql;
  query: string;
  upTo: number;
}): Promise<AudienceCount> {
  let counted = 0;
  let after: string | null = null;
  for (;;) {
    const outcome = await readCustomersPage({ graphql, query, after, timeoutMs: REQUEST_TIMEOUT_MS });
    const page: { snapshots: unknown[]; hasNextPage: boolean; endCursor: string | null } = dataOf(outcome);
    counted += page.snapshots.length;
    if (!page.hasNextPage || !page.endCursor) return { count: counted, exact: true };
    if (counted >= upTo) return { count: counted, exact: false };
    after = page.endCursor;
    if (counted + SHOPIFY_PAGE_SIZE > upTo * 10) return { count: counted, exact: false };
  }
}
