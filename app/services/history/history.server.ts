import { z } from "zod";
import { CAMPAIGN_ORIGINS } from "~/constants/invites";
import { listShopActivationLinks } from "~/models/ActivationLink.server";
import { listStaffCampaigns } from "~/models/Campaign.server";
import { listShopRecipients } from "~/models/recipientPages.server";
import type { AppLocale } from "~/i18n/locales";
import { reasonMessage } from "~/i18n/message";
import { render, translatorFor } from "~/i18n/translate.server";
import { CUSTOMER_GID, fieldErrorsFrom, type FieldErrors } from "~/services/campaigns/campaignInput";
import { streamCsv } from "~/utils/csv";
import { decodeCursor, encodeCursor } from "~/utils/cursor";

// The History page: every invite (recipient rows) and every activation link of the shop, newest first,
// filtered by customer, staff member, kind and dates. Both sources are read in pages through their
// (shop, time, id) indexes and merged; the cursor is the time and id of the last row shown.

export const HISTORY_PAGE_SIZE = 50;
export const HISTORY_KINDS = ["invite", "activation_link"] as const;

const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "validation.date")
  .refine((value) => !Number.isNaN(Date.parse(value)), "validation.notADate");

/** The one schema for the History page's filters (from the URL). */
export const historyFiltersSchema = z
  .object({
    customerId: z
      .string()
      .trim()
      .transform((value) => (/^\d+$/.test(value) ? `gid://shopify/Customer/${value}` : value))
      .pipe(z.string().regex(CUSTOMER_GID, "validation.historyCustomerId"))
      .optional(),
    staff: z.string().trim().min(1).max(100).optional(),
    kind: z.enum(HISTORY_KINDS).optional(),
    /** Where the invites came from (a campaign, automatic invites, reminders, Flow…): invites only. */
    origin: z.enum(CAMPAIGN_ORIGINS).optional(),
    from: dateSchema.optional(),
    to: dateSchema.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "validation.startAfterEnd", path: ["to"] });
export type HistoryFilters = z.infer<typeof historyFiltersSchema>;

/** Filters from URL search params; blank fields are no filter. */
export function parseHistoryFilters(
  params: URLSearchParams,
): { success: true; data: HistoryFilters } | { success: false; errors: FieldErrors } {
  const raw: Record<string, string> = {};
  for (const key of ["customerId", "staff", "kind", "origin", "from", "to"]) {
    const value = params.get(key)?.trim();
    if (value) raw[key] = value;
  }
  const parsed = historyFiltersSchema.safeParse(raw);
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, errors: fieldErrorsFrom(parsed.error) };
}

export interface HistoryRow {
  id: string;
  kind: (typeof HISTORY_KINDS)[number];
  at: Date;
  customerId: string;
  staff: string | null;
  status: string;
  reason: string | null;
  /** The reason's parameters as stored (JSON), rendered with the reason when read. */
  reasonParams: string | null;
  campaignId: string | null;
  /** Where an invite came from (Campaign.origin: campaign, single, automatic, reminder, flow, segment). */
  origin: string | null;
  expiresAt: Date | null;
  /** How a sent invite ended (activated, declined, expired), and when; null while open. */
  outcome: string | null;
  outcomeAt: Date | null;
}

function range(filters: HistoryFilters) {
  const DAY = 86_400_000;
  return {
    from: filters.from ? new Date(`${filters.from}T00:00:00Z`) : null,
    // `to` is a whole day: up to the next midnight.
    to: filters.to ? new Date(Date.parse(`${filters.to}T00:00:00Z`) + DAY) : null,
  };
}

async function readPage({
  shop,
  filters,
  before,
  take,
}: {
  shop: string;
  filters: HistoryFilters;
  before: { at: Date; id: string } | null;
  take: number;
}) {
  const { from, to } = range(filters);
  const [recipients, links] = await Promise.all([
    filters.kind === "activation_link"
      ? []
      : filters.staff || filters.origin
        ? listStaffRecipients({
            shop,
            staff: filters.staff,
            origin: filters.origin,
            filters: { customerId: filters.customerId, from, to },
            before,
            take,
          })
        : listShopRecipients({ shop, filters: { customerId: filters.customerId, from, to }, before, take }),
    filters.kind === "invite" || filters.origin
      ? []
      : listShopActivationLinks({
          shop,
          filters: { customerId: filters.customerId, issuedBy: filters.staff, from, to },
          before,
          take,
        }),
  ]);
  const rows: HistoryRow[] = [
    ...recipients.map((r) => ({
      id: r.id,
      kind: "invite" as const,
      at: r.createdAt,
      customerId: r.customerId,
      staff: r.campaign.requestedBy,
      status: r.status,
      reason: r.reasonCode,
      reasonParams: r.reasonParams,
      campaignId: r.campaignId,
      origin: r.campaign.origin,
      expiresAt: null,
      outcome: r.outcome,
      outcomeAt: r.outcomeAt,
    })),
    ...links.map((l) => ({
      id: l.id,
      kind: "activation_link" as const,
      at: l.issuedAt,
      customerId: l.customerId,
      staff: l.issuedBy,
      status: l.replacedAt ? "replaced" : "issued",
      reason: null,
      reasonParams: null,
      campaignId: null,
      origin: null,
      expiresAt: l.expiresAt,
      outcome: null,
      outcomeAt: null,
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return rows.slice(0, take);
}

/** Rows are recorded while their campaign runs: none after it finished (a minute's slack for clocks). */
const SPAN_SLACK_MS = 60_000;

/**
 * A staff member's recipients (or one origin's, or both) newest first, read campaign by campaign through (campaignId, createdAt, id)
 * and merged: campaigns are visited latest-ending first, and the walk stops once no remaining campaign can
 * hold a row newer than the last one kept. One join over the whole ledger would sort every row of the
 * staff member's campaigns (the page benchmark measured 300 ms at a million rows).
 */
async function listStaffRecipients({
  shop,
  staff,
  origin,
  filters,
  before,
  take,
}: {
  shop: string;
  staff?: string;
  origin?: string;
  filters: { customerId?: string | null; from: Date | null; to: Date | null };
  before: { at: Date; id: string } | null;
  take: number;
}) {
  const now = Date.now();
  const campaigns = (await listStaffCampaigns({ shop, requestedBy: staff, origin }))
    .map((c) => ({
      id: c.id,
      start: c.createdAt.getTime(),
      end: (c.finishedAt?.getTime() ?? now) + SPAN_SLACK_MS,
    }))
    .filter(
      (c) =>
        (!filters.to || c.start < filters.to.getTime()) && (!filters.from || c.end >= filters.from.getTime()),
    )
    .filter((c) => !before || c.start <= before.at.getTime() + SPAN_SLACK_MS)
    .sort((a, b) => b.end - a.end);
  type Row = Awaited<ReturnType<typeof listShopRecipients>>[number];
  let kept: Row[] = [];
  for (const campaign of campaigns) {
    const last = kept.length >= take ? kept[take - 1] : undefined;
    if (last && campaign.end < last.createdAt.getTime()) break;
    const rows = await listShopRecipients({ shop, campaignId: campaign.id, filters, before, take });
    kept = [...kept, ...rows]
      .sort(
        (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
      )
      .slice(0, take);
  }
  return kept;
}

/** One page of the shop's history, newest first, and the cursor of the next page. */
export async function listHistory({
  shop,
  filters,
  cursor,
}: {
  shop: string;
  filters: HistoryFilters;
  cursor?: string | null;
}) {
  const rows = await readPage({ shop, filters, before: decodeCursor(cursor), take: HISTORY_PAGE_SIZE + 1 });
  const page = rows.slice(0, HISTORY_PAGE_SIZE);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > HISTORY_PAGE_SIZE && last ? encodeCursor({ at: last.at, id: last.id }) : null,
  };
}

export const HISTORY_CSV_COLUMNS = [
  "kind",
  "at",
  "customerId",
  "staff",
  "status",
  "reason",
  "message",
  "campaignId",
  "expiresAt",
  "origin",
  "outcome",
  "outcomeAt",
];

/** The filtered history as CSV in the reader's language, streamed in pages of 1,000. */
export function streamHistoryCsv({
  shop,
  filters,
  locale,
}: {
  shop: string;
  filters: HistoryFilters;
  locale: AppLocale;
}) {
  const t = translatorFor(locale);
  return streamCsv({
    header: HISTORY_CSV_COLUMNS,
    nextRows: (last: HistoryRow | null) =>
      readPage({ shop, filters, before: last ? { at: last.at, id: last.id } : null, take: 1_000 }),
    toCells: (r) => [
      r.kind,
      r.at.toISOString(),
      r.customerId,
      r.staff ?? "",
      r.status,
      r.reason ?? "",
      r.reason ? render(t, reasonMessage(r.reason, r.reasonParams)) : "",
      r.campaignId ?? "",
      r.expiresAt?.toISOString() ?? "",
      r.origin ?? "",
      r.outcome ?? "",
      r.outcomeAt?.toISOString() ?? "",
    ],
  });
}
