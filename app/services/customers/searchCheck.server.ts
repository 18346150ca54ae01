import { CustomerSearchCheckQuery } from "~/graphql/CustomerSearchCheckQuery";
import { message, type Message } from "~/i18n/message";
import {
  dataOf,
  requestAdmin,
  REQUEST_TIMEOUT_MS,
  type SearchWarning,
} from "~/services/shopify/adminRequest.server";
import type { AdminGraphql } from "~/types/admin";

// A live store ignores any search term it does not support (a misspelled field such as `tags:vip`,
// a field the connection does not filter on) and answers as if it were absent, with a warning. A
// campaign over such a search would target far more customers than the merchant meant, so every
// warning is an error the merchant sees before anything is recorded: on the New campaign page and at
// POST /api/campaigns. Tested in test/routes/campaignPages.test.ts and test/api/routes.test.ts.

export async function checkCustomerSearch({
  graphql,
  query,
}: {
  graphql: AdminGraphql;
  query: string;
}): Promise<{ warnings: SearchWarning[]; error: Message | null }> {
  const outcome = await requestAdmin({
    send: (signal) => graphql(CustomerSearchCheckQuery, { variables: { query }, signal }),
    parse: (data) => data.customers.nodes.length,
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  dataOf(outcome);
  const warnings = outcome.kind === "answered" ? outcome.searchWarnings : [];
  return { warnings, error: warnings.length > 0 ? searchWarningMessage(warnings) : null };
}

/** The first warning as the merchant reads it: the field Shopify did not understand, and Shopify's words. */
export function searchWarningMessage(warnings: SearchWarning[]): Message {
  const first = warnings[0]!;
  return first.field
    ? message("validation.searchField", { field: first.field, shopifyMessage: first.message })
    : message("validation.searchWarning", { shopifyMessage: first.message });
}
