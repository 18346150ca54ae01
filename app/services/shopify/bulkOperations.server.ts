import type { CustomerState } from "~/constants/invites";
import { BulkCustomersRunMutation } from "~/graphql/BulkCustomersRunMutation";
import { BulkOperationCancelMutation } from "~/graphql/BulkOperationCancelMutation";
import { BulkOperationStatusQuery } from "~/graphql/BulkOperationStatusQuery";
import { requestAdmin } from "~/services/shopify/adminRequest.server";
import type { CustomerSnapshot } from "~/services/campaigns/eligibility";
import type { AdminGraphql } from "~/types/admin";

// Shopify bulk queries for a query campaign's targets (decision 010): the bulk query selects what
// eligibility needs (id, state, whether a default email address exists) and nothing protected.

/** The bulk query's text for a customer search: every match, one line per customer in the result file. */
export function customersBulkQuery(search: string): string {
  const argument = search.trim() ? `(query: ${JSON.stringify(search)})` : "";
  return `{
  customers${argument} {
    edges {
      node {
        id
        state
        defaultEmailAddress {
          validFormat
        }
      }
    }
  }
}`;
}

/** One line of the result file as a snapshot; null when the line is not a customer row. */
export function snapshotOfLine(line: string): CustomerSnapshot | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object") return null;
  const row = value as { id?: unknown; state?: unknown; defaultEmailAddress?: unknown; __parentId?: unknown };
  if (typeof row.id !== "string" || typeof row.state !== "string" || row.__parentId !== undefined)
    return null;
  return { id: row.id, state: row.state as CustomerState, hasEmail: Boolean(row.defaultEmailAddress) };
}

export const BULK_COST = { run: 10, status: 1, cancel: 10 } as const;

export function runCustomersBulkQuery({
  graphql,
  search,
  timeoutMs,
}: {
  graphql: AdminGraphql;
  search: string;
  timeoutMs: number;
}) {
  return requestAdmin({
    send: (signal) =>
      graphql(BulkCustomersRunMutation, { variables: { query: customersBulkQuery(search) }, signal }),
    parse: (data) => {
      const payload = data.bulkOperationRunQuery;
      return {
        operation: payload?.bulkOperation
          ? { id: payload.bulkOperation.id, status: payload.bulkOperation.status }
          : null,
        userErrors: (payload?.userErrors ?? []).map((e) => ({ code: e.code ?? null, message: e.message })),
      };
    },
    timeoutMs,
  });
}

export function readBulkOperation({
  graphql,
  id,
  timeoutMs,
}: {
  graphql: AdminGraphql;
  id: string;
  timeoutMs: number;
}) {
  return requestAdmin({
    send: (signal) => graphql(BulkOperationStatusQuery, { variables: { id }, signal }),
    parse: (data) =>
      data.bulkOperation
        ? {
            status: `${data.bulkOperation.status}`,
            errorCode: data.bulkOperation.errorCode ? `${data.bulkOperation.errorCode}` : null,
            objectCount: Number(data.bulkOperation.objectCount),
            url: (data.bulkOperation.url as string | null | undefined) ?? null,
          }
        : null,
    timeoutMs,
  });
}

export function cancelBulkOperation({
  graphql,
  id,
  timeoutMs,
}: {
  graphql: AdminGraphql;
  id: string;
  timeoutMs: number;
}) {
  return requestAdmin({
    send: (signal) => graphql(BulkOperationCancelMutation, { variables: { id }, signal }),
    parse: (data) => ({
      status: data.bulkOperationCancel?.bulkOperation?.status
        ? `${data.bulkOperationCancel.bulkOperation.status}`
        : null,
      userErrors: (data.bulkOperationCancel?.userErrors ?? []).map((e) => e.message),
    }),
    timeoutMs,
  });
}
