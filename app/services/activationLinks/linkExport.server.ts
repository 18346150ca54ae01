import type { TFunction } from "i18next";
import { z } from "zod";
import { SHOPIFY_PAGE_SIZE } from "~/constants/invites";
import {
  ActivationLinkExists,
  ActivationLinkRefused,
  generateActivationLink,
} from "~/services/activationLinks/activationLinks.server";
import { customerIdSchema, fieldErrorsFrom, type FieldErrors } from "~/services/campaigns/campaignInput";
import { dataOf, REQUEST_TIMEOUT_MS } from "~/services/shopify/adminRequest.server";
import { readCustomersPage } from "~/services/shopify/customerReads.server";
import type { AdminGraphql } from "~/types/admin";
import { toCsv } from "~/utils/csv";
import { logger } from "~/utils/logger.server";

// The Activation links page: links for up to 250 customers at once, for the merchant's own email tool.
// The links go into the CSV the request answers with and nowhere else (not the database, not the log),
// one customer at a time through generateActivationLink, which refuses to replace a link issued in the
// last 30 days unless the merchant asked to.

/** Most customers one export may cover (one page of a Shopify search). */
export const MAX_LINKS_PER_EXPORT = SHOPIFY_PAGE_SIZE;

/** The one schema for the Activation links form. Ids may be numeric or GIDs, one per line or comma. */
export const linkExportSchema = z
  .object({
    source: z.enum(["ids", "query"]),
    customerIds: z.string().default(""),
    query: z.string().trim().max(1_000).default(""),
    replace: z.boolean().default(false),
  })
  .transform((value, ctx) => {
    if (value.source === "query") {
      if (!value.query) ctx.addIssue({ code: "custom", path: ["query"], message: "validation.enterSearch" });
      return { source: "query" as const, query: value.query, replace: value.replace, customerIds: [] };
    }
    const ids = [
      ...new Set(
        value.customerIds
          .split(/[\s,]+/)
          .filter(Boolean)
          .map((id) => (/^\d+$/.test(id) ? `gid://shopify/Customer/${id}` : id)),
      ),
    ];
    if (ids.length === 0)
      ctx.addIssue({ code: "custom", path: ["customerIds"], message: "validation.enterIds" });
    if (ids.length > MAX_LINKS_PER_EXPORT)
      ctx.addIssue({
        code: "custom",
        path: ["customerIds"],
        message: "validation.tooManyLinks",
      });
    const bad = ids.find((id) => !customerIdSchema.safeParse(id).success);
    if (bad)
      ctx.addIssue({
        code: "custom",
        path: ["customerIds"],
        message: "validation.notCustomerId",
        params: { id: bad.slice(0, 40) },
      });
    return { source: "ids" as const, query: "", replace: value.replace, customerIds: ids };
  });

export function parseLinkExportForm(
  form: FormData,
): { success: true; data: z.output<typeof linkExportSchema> } | { success: false; errors: FieldErrors } {
  const parsed = linkExportSchema.safeParse({
    source: form.get("source") ?? "ids",
    customerIds: String(form.get("customerIds") ?? ""),
    query: String(form.get("query") ?? ""),
    replace: form.get("replace") === "on" || form.get("replace") === "true",
  });
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, errors: fieldErrorsFrom(parsed.error) };
}

export const LINKS_CSV_COLUMNS = ["customerId", "status", "activationUrl", "expiresAt", "message"];

export interface LinkExportResult {
  csv: string;
  issued: number;
  skipped: number;
  failed: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issues links one customer at a time. A customer with a live link issued in the last 30 days is
 * skipped unless `replace`; Shopify's refusals are rows of their own; a request Shopify did not answer
 * (throttled, 5xx) is tried again after a pause, then reported for that customer, and the rest go on.
 */
export async function exportActivationLinks({
  graphql,
  shop,
  input,
  issuedBy,
  t,
  pauseMs = 1_000,
}: {
  graphql: AdminGraphql;
  shop: string;
  input: z.output<typeof linkExportSchema>;
  issuedBy: string | null;
  /** The CSV's words are in the reader's language. */
  t: TFunction;
  pauseMs?: number;
}): Promise<LinkExportResult> {
  let customerIds = input.customerIds;
  if (input.source === "query") {
    const page = await readCustomersPage({
      graphql,
      query: input.query,
      after: null,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    customerIds = dataOf(page)
      .snapshots.slice(0, MAX_LINKS_PER_EXPORT)
      .map((s) => s.id);
  }
  const rows: string[][] = [LINKS_CSV_COLUMNS];
  const counts = { issued: 0, skipped: 0, failed: 0 };
  for (const customerId of customerIds) {
    for (let attempt = 1; ; attempt++) {
      try {
        const link = await generateActivationLink({
          graphql,
          shop,
          customerId,
          issuedBy,
          replace: input.replace,
        });
        rows.push([
          customerId,
          "issued",
          link.url,
          link.expiresAt.toISOString(),
          link.replaced ? t("links.rowReplaced") : "",
        ]);
        counts.issued++;
      } catch (error) {
        if (error instanceof ActivationLinkExists) {
          rows.push([customerId, "skipped", "", error.expiresAt.toISOString(), t("links.rowSkipped")]);
          counts.skipped++;
        } else if (error instanceof ActivationLinkRefused) {
          rows.push([
            customerId,
            "failed",
            "",
            "",
            error.messages.length > 0 ? error.messages.join(" ") : t("links.noLinkReturned"),
          ]);
          counts.failed++;
        } else if (attempt < 3) {
          await sleep(pauseMs * attempt);
          continue;
        } else {
          logger.warn(
            { shop, customerId, err: error instanceof Error ? error.message : String(error) },
            "activation link not issued",
          );
          rows.push([customerId, "failed", "", "", t("links.rowUnanswered")]);
          counts.failed++;
        }
      }
      break;
    }
  }
  return { csv: toCsv(rows), ...counts };
}
