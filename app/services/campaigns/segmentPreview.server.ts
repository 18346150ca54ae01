import {
  fieldErrorsFrom,
  segmentPreviewInputSchema,
  type FieldErrors,
} from "~/services/campaigns/campaignInput";
import { decideCustomers, summarize } from "~/services/campaigns/eligibilityPass.server";
import { dryRunContext } from "~/services/campaigns/preview.server";
import { dataOf, REQUEST_TIMEOUT_MS } from "~/services/shopify/adminRequest.server";
import { readCustomerSnapshots } from "~/services/shopify/customerReads.server";
import { readSegmentSummary, segmentMissing } from "~/services/shopify/segmentReads.server";
import type { AdminGraphql } from "~/types/admin";

// The dry run of "Invite this segment" (extensions/invite-segment): the segment's name and member count
// now, and its first ≤250 members decided by the same eligibility pass the worker uses. Nothing is
// written; the campaign's worker decides every member when it runs.

export type SegmentPreviewResult =
  | { kind: "invalid"; errors: FieldErrors }
  | { kind: "not-found" }
  | {
      kind: "ready";
      segment: { id: string; name: string };
      totalCount: number;
      sampled: number;
      more: boolean;
      summary: { eligible: number; skipped: number; byReason: Record<string, number> };
    };

export async function previewSegment({
  graphql,
  shop,
  input,
  timeoutMs = REQUEST_TIMEOUT_MS,
}: {
  graphql: AdminGraphql;
  shop: string;
  input: unknown;
  timeoutMs?: number;
}): Promise<SegmentPreviewResult> {
  const parsed = segmentPreviewInputSchema.safeParse(input);
  if (!parsed.success) return { kind: "invalid", errors: fieldErrorsFrom(parsed.error) };
  const { segmentId, includeDeclined } = parsed.data;
  const [context, read] = await Promise.all([
    dryRunContext({ graphql, shop, includeDeclined }),
    readSegmentSummary({ graphql, segmentId, timeoutMs }),
  ]);
  if (segmentMissing(read)) return { kind: "not-found" };
  const summary = dataOf(read);
  if (!summary.segment) return { kind: "not-found" };
  const snapshots =
    summary.sample.length > 0
      ? dataOf(await readCustomerSnapshots({ graphql, ids: summary.sample, timeoutMs }))
      : new Map();
  const decided = await decideCustomers(
    context,
    summary.sample.map((id) => ({ id, snapshot: snapshots.get(id) ?? null })),
  );
  return {
    kind: "ready",
    segment: summary.segment,
    totalCount: summary.totalCount,
    sampled: summary.sample.length,
    more: summary.more,
    summary: summarize(decided),
  };
}
