import { createHash } from "node:crypto";
import type { TFunction } from "i18next";
import { z } from "zod";
import {
  HOLDING_LINK_EXPORT_STATUSES,
  MAX_LINKS_PER_EXPORT,
  type LinkExportStatus,
} from "~/constants/linkExports";
import { message, type FieldMessages } from "~/i18n/message";
import {
  clearDownloadedLinkExport,
  createLinkExport,
  expireLinkExports,
  findLinkExportItems,
  findStaffLinkExport,
  listStaffLinkExports,
  type LinkExportRow,
} from "~/models/LinkExport.server";
import { openLink } from "~/services/activationLinks/linkSealing.server";
import { customerIdSchema, fieldErrorsFrom } from "~/services/campaigns/campaignInput";
import { requestFingerprint } from "~/services/campaigns/requestFingerprint";
import { checkCustomerSearch } from "~/services/customers/searchCheck.server";
import type { AdminGraphql } from "~/types/admin";
import { toCsv } from "~/utils/csv";
import { appClock } from "~/utils/clock";
import { logger } from "~/utils/logger.server";

// Activation-link exports: a staff member asks for the links of up to 1,000 customers (typed ids, a
// selection from the customer list, or a search the worker resolves). The request only records the
// export; the worker issues the links (app/services/sending/linkIssuer.server.ts) and holds them sealed
// (linkSealing.server.ts) until that staff member confirms the download, or for one hour after the
// request at most. The CSV can be fetched again and again within that hour: a download interrupted
// halfway loses nothing. The confirmation carries the SHA-256 of the file the page received, and only
// the digest of the complete file deletes the links. README "Activation link exports";
// docs/decisions/011-activation-link-exports.md.

export { MAX_LINKS_PER_EXPORT };

export type LinkExportInput =
  | {
      source: "selection";
      customerIds: string[];
      query: null;
      replace: boolean;
      idempotencyKey: string | null;
    }
  | { source: "query"; customerIds: []; query: string; replace: boolean; idempotencyKey: string | null };

const querySchema = z.string().trim().min(1, "validation.enterSearch").max(1_000);

/** POST /api/link-exports: `{ customerIds | query, replace?, idempotencyKey? }`. */
export const linkExportApiSchema = z
  .object({
    customerIds: z
      .array(customerIdSchema)
      .min(1, "validation.selectCustomers")
      .max(MAX_LINKS_PER_EXPORT, "validation.tooManyLinks")
      .optional(),
    query: querySchema.optional(),
    replace: z.boolean().default(false),
    idempotencyKey: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((input) => (input.customerIds === undefined) !== (input.query === undefined), {
    message: "validation.idsOrQuery",
    path: ["customerIds"],
  });

export function parseLinkExportJson(
  body: unknown,
): { success: true; data: LinkExportInput } | { success: false; errors: FieldMessages } {
  const parsed = linkExportApiSchema.safeParse(body);
  if (!parsed.success) return { success: false, errors: fieldErrorsFrom(parsed.error) };
  const { customerIds, query, replace, idempotencyKey } = parsed.data;
  return {
    success: true,
    data: query
      ? { source: "query", customerIds: [], query, replace, idempotencyKey: idempotencyKey ?? null }
      : {
          source: "selection",
          customerIds: [...new Set(customerIds)],
          query: null,
          replace,
          idempotencyKey: idempotencyKey ?? null,
        },
  };
}

/** The Activation links form: typed ids (numeric or GIDs, one per line or comma) or a search. */
export function parseLinkExportForm(
  form: FormData,
): { success: true; data: LinkExportInput } | { success: false; errors: FieldMessages } {
  const replace = form.get("replace") === "on" || form.get("replace") === "true";
  const idempotencyKey = String(form.get("idempotencyKey") ?? "").slice(0, 200) || null;
  if (form.get("source") === "query") {
    const query = querySchema.safeParse(String(form.get("query") ?? ""));
    if (!query.success) return { success: false, errors: { query: message("validation.enterSearch") } };
    return {
      success: true,
      data: { source: "query", customerIds: [], query: query.data, replace, idempotencyKey },
    };
  }
  const ids = [
    ...new Set(
      String(form.get("customerIds") ?? "")
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((id) => (/^\d+$/.test(id) ? `gid://shopify/Customer/${id}` : id)),
    ),
  ];
  if (ids.length === 0) return { success: false, errors: { customerIds: message("validation.enterIds") } };
  if (ids.length > MAX_LINKS_PER_EXPORT)
    return {
      success: false,
      errors: { customerIds: message("validation.tooManyLinks", { max: MAX_LINKS_PER_EXPORT }) },
    };
  const bad = ids.find((id) => !customerIdSchema.safeParse(id).success);
  if (bad)
    return {
      success: false,
      errors: { customerIds: message("validation.notCustomerId", { id: bad.slice(0, 40) }) },
    };
  return {
    success: true,
    data: { source: "selection", customerIds: ids, query: null, replace, idempotencyKey },
  };
}

/**
 * Records the export; nothing is issued here. A search Shopify would only partly understand is refused
 * before anything is recorded (it would otherwise cover far more customers than meant).
 */
export async function startLinkExport({
  graphql,
  shop,
  requestedBy,
  input,
  now = appClock.now(),
}: {
  graphql: AdminGraphql;
  shop: string;
  requestedBy: string;
  input: LinkExportInput;
  now?: Date;
}): Promise<
  { ok: true; linkExport: LinkExportView; created: boolean } | { ok: false; errors: FieldMessages }
> {
  if (input.source === "query") {
    const { error } = await checkCustomerSearch({ graphql, query: input.query });
    if (error) return { ok: false, errors: { query: error } };
  }
  const { linkExport, created } = await createLinkExport({
    shop,
    requestedBy,
    source: input.source,
    customerIds: input.customerIds,
    query: input.query,
    replace: input.replace,
    idempotencyKey: input.idempotencyKey,
    // A key names one request: the same key with other customers, search or "replace" is refused (422).
    requestFingerprint: requestFingerprint({
      customerIds: input.customerIds,
      query: input.query,
      replace: input.replace,
    }),
    now,
  });
  if (created)
    logger.info(
      { shop, linkExportId: linkExport.id, source: input.source, customers: linkExport.total },
      "link export recorded",
    );
  return { ok: true, linkExport: linkExportView(linkExport, now), created };
}

export interface LinkExportView {
  id: string;
  status: LinkExportStatus;
  source: "selection" | "query";
  query: string | null;
  replace: boolean;
  /** Customers in the export (a query's grow as the worker reads its pages). */
  total: number;
  counts: { issued: number; skipped: number; failed: number; pending: number };
  /** The search matched more customers than one export takes: the first MAX_LINKS_PER_EXPORT are in it. */
  truncated: boolean;
  /** The links can be downloaded now (ready and within the hour). */
  downloadable: boolean;
  createdAt: string;
  readyAt: string | null;
  /** Until when the links are held (nothing after it). */
  expiresAt: string;
  clearedAt: string | null;
}

/** What a page or the API shows of an export; never a link. An export past its hour reads "expired". */
export function linkExportView(row: LinkExportRow, now: Date): LinkExportView {
  const overdue =
    row.expiresAt.getTime() <= now.getTime() &&
    (HOLDING_LINK_EXPORT_STATUSES as readonly string[]).includes(row.status);
  const status = (overdue ? "expired" : row.status) as LinkExportStatus;
  const done = row.issuedCount + row.skippedCount + row.failedCount;
  return {
    id: row.id,
    status,
    source: row.source === "query" ? "query" : "selection",
    query: row.query,
    replace: row.replace,
    total: row.total,
    counts: {
      issued: row.issuedCount,
      skipped: row.skippedCount,
      failed: row.failedCount,
      pending: status === "queued" || status === "running" ? Math.max(0, row.total - done) : 0,
    },
    truncated: row.truncated,
    downloadable: status === "ready",
    createdAt: row.createdAt.toISOString(),
    readyAt: row.readyAt?.toISOString() ?? null,
    expiresAt: row.expiresAt.toISOString(),
    clearedAt: row.clearedAt?.toISOString() ?? (overdue ? now.toISOString() : null),
  };
}

export async function getLinkExportView({
  shop,
  requestedBy,
  id,
  now = appClock.now(),
}: {
  shop: string;
  requestedBy: string;
  id: string;
  now?: Date;
}): Promise<LinkExportView | null> {
  const row = await findStaffLinkExport({ shop, requestedBy, id });
  return row ? linkExportView(row, now) : null;
}

export async function listLinkExportViews({
  shop,
  requestedBy,
  now = appClock.now(),
}: {
  shop: string;
  requestedBy: string;
  now?: Date;
}): Promise<LinkExportView[]> {
  const rows = await listStaffLinkExports({ shop, requestedBy, take: 10 });
  return rows.map((row) => linkExportView(row, now));
}

export const LINKS_CSV_COLUMNS = ["customerId", "status", "activationUrl", "expiresAt", "message"];

export type LinkExportFile =
  | { ok: true; csv: string; sha256: string; filename: string; view: LinkExportView }
  | { ok: false; reason: "notFound" | "notReady" | "expired" };

/**
 * The export's CSV, for the staff member who asked, as often as asked within the hour (the links stay
 * until the download is confirmed). An export past its hour is deleted here rather than served.
 */
export async function linkExportFile({
  shop,
  requestedBy,
  id,
  t,
  now = appClock.now(),
}: {
  shop: string;
  requestedBy: string;
  id: string;
  /** The CSV's words are in the reader's language. */
  t: TFunction;
  now?: Date;
}): Promise<LinkExportFile> {
  const row = await findStaffLinkExport({ shop, requestedBy, id });
  if (!row) return { ok: false, reason: "notFound" };
  const view = linkExportView(row, now);
  if (view.status === "expired") {
    await expireLinkExports({ now, shop });
    return { ok: false, reason: "expired" };
  }
  if (view.status !== "ready")
    return { ok: false, reason: view.status === "downloaded" ? "expired" : "notReady" };
  const items = await findLinkExportItems({ shop, exportId: id });
  const rows: string[][] = [LINKS_CSV_COLUMNS];
  for (const item of items) {
    if (item.status === "issued" && item.sealedUrl) {
      rows.push([
        item.customerId,
        "issued",
        openLink(item.sealedUrl, { shop, exportId: id, customerId: item.customerId }),
        item.linkExpiresAt?.toISOString() ?? "",
        item.replaced ? t("links.rowReplaced") : "",
      ]);
    } else {
      rows.push([item.customerId, item.status, "", "", itemMessage(t, item.reasonCode, item.reasonParams)]);
    }
  }
  const csv = toCsv(rows);
  const stamp = row.createdAt.toISOString().replace(/[:.]/g, "-").slice(0, 19);
  return { ok: true, csv, sha256: sha256(csv), filename: `activation-links-${stamp}.csv`, view };
}

function itemMessage(t: TFunction, code: string | null, paramsJson: string | null): string {
  if (!code) return "";
  let params: Record<string, unknown> = {};
  try {
    params = paramsJson ? (JSON.parse(paramsJson) as Record<string, unknown>) : {};
  } catch {
    params = {};
  }
  if (code === "SHOPIFY_ERROR" && typeof params.shopifyMessage === "string")
    return t("links.reasons.SHOPIFY_ERROR_detail", { shopifyMessage: params.shopifyMessage });
  return t(`links.reasons.${code}`);
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The page saved the file: with the digest of what it received equal to the file's, the links are
 * deleted. Any other digest (a truncated or altered download) deletes nothing: the staff member can
 * download again within the hour.
 */
export async function confirmLinkExportDownload({
  shop,
  requestedBy,
  id,
  receivedSha256,
  t,
  now = appClock.now(),
}: {
  shop: string;
  requestedBy: string;
  id: string;
  receivedSha256: string;
  t: TFunction;
  now?: Date;
}): Promise<"cleared" | "mismatch" | "notFound" | "notReady" | "expired"> {
  const file = await linkExportFile({ shop, requestedBy, id, t, now });
  if (!file.ok) return file.reason;
  if (file.sha256 !== receivedSha256.trim().toLowerCase()) return "mismatch";
  const cleared = await clearDownloadedLinkExport({ shop, requestedBy, id, now });
  if (cleared) logger.info({ shop, linkExportId: id }, "link export downloaded: its links are deleted");
  return cleared ? "cleared" : "expired";
}
