import { SHOPIFY_PAGE_SIZE } from "~/constants/invites";
import { SegmentMembersPageQuery } from "~/graphql/SegmentMembersPageQuery";
import { SegmentSummaryQuery } from "~/graphql/SegmentSummaryQuery";
import {
  dataOf,
  REQUEST_TIMEOUT_MS,
  requestAdmin,
  type AdminOutcome,
} from "~/services/shopify/adminRequest.server";
import type { AdminGraphql } from "~/types/admin";

// A saved segment's members, as API 2026-10 offers them: `customerSegmentMembers(segmentId:)` pages
// through the segment evaluated now (segments are dynamic), with `totalCount` over all members. (The
// asynchronous `customerSegmentMembersQueryCreate` + `queryId` form serves ad-hoc queries too big to
// evaluate inline; a saved segment needs neither.) Members carry no account state, so eligibility reads
// the customers themselves (CustomerSnapshots) by id.

/** `gid://shopify/CustomerSegmentMember/123` → `gid://shopify/Customer/123` (the member's id is the customer's). */
export function customerGidOfMember(memberId: string): string | null {
  const match = /^gid:\/\/shopify\/CustomerSegmentMember\/([1-9]\d*)$/.exec(memberId);
  return match ? `gid://shopify/Customer/${match[1]}` : null;
}

function customerIdsOf(edges: readonly { node: { id: string } }[]): string[] {
  return edges.map((edge) => customerGidOfMember(edge.node.id)).filter((id): id is string => id !== null);
}

/** Shopify's answer when the segment is gone (deleted since the campaign was recorded). */
export function segmentMissing(outcome: AdminOutcome<unknown>): boolean {
  return (
    outcome.kind === "answered" &&
    outcome.data === undefined &&
    outcome.errors.some((e) => e.code === "NOT_FOUND" || /segment does not exist/i.test(e.message))
  );
}

/** One page of ≤250 members, as customer GIDs, with the cursor of the next page. */
export function readSegmentMembersPage({
  graphql,
  segmentId,
  after,
  timeoutMs,
}: {
  graphql: AdminGraphql;
  segmentId: string;
  after: string | null;
  timeoutMs: number;
}) {
  return requestAdmin({
    send: (signal) =>
      graphql(SegmentMembersPageQuery, {
        variables: { segmentId, after, first: SHOPIFY_PAGE_SIZE },
        signal,
      }),
    parse: (data) => ({
      customerIds: customerIdsOf(data.customerSegmentMembers.edges),
      hasNextPage: data.customerSegmentMembers.pageInfo.hasNextPage,
      endCursor: data.customerSegmentMembers.pageInfo.endCursor ?? null,
    }),
    timeoutMs,
  });
}

/** The segment's name, its member count now, and its first ≤250 members (the dry run's sample). */
export function readSegmentSummary({
  graphql,
  segmentId,
  timeoutMs,
}: {
  graphql: AdminGraphql;
  segmentId: string;
  timeoutMs: number;
}) {
  return requestAdmin({
    send: (signal) =>
      graphql(SegmentSummaryQuery, { variables: { segmentId, first: SHOPIFY_PAGE_SIZE }, signal }),
    parse: (data) => ({
      segment: data.segment ? { id: data.segment.id, name: data.segment.name } : null,
      totalCount: data.customerSegmentMembers.totalCount,
      sample: customerIdsOf(data.customerSegmentMembers.edges),
      more: data.customerSegmentMembers.pageInfo.hasNextPage,
    }),
    timeoutMs,
  });
}

/** Inside a merchant's request: does the segment exist (ShopifyUnavailable when Shopify cannot say)? */
export async function segmentExists({ graphql, segmentId }: { graphql: AdminGraphql; segmentId: string }) {
  const read = await readSegmentSummary({ graphql, segmentId, timeoutMs: REQUEST_TIMEOUT_MS });
  if (segmentMissing(read)) return false;
  return dataOf(read).segment !== null;
}

/** A members page of 250 ids, priced like any connection of 250 one-point items (emulator/README.md). */
export const SEGMENT_PAGE_COST = 2 + 11;
