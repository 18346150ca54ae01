import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseHistoryFilters, streamHistoryCsv } from "~/services/history/history.server";
import { localeOfRequest, render, renderFields, translatorFor } from "~/i18n/translate.server";
import { authenticate } from "~/shopify.server";
import { csvHeaders } from "~/utils/csv";

// GET /app/history/csv?customerId&staff&kind&from&to: the filtered history, streamed as CSV.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale = localeOfRequest(request);
  const filters = parseHistoryFilters(new URL(request.url).searchParams);
  if (!filters.success) {
    const t = translatorFor(locale);
    return Response.json(
      { error: render(t, { key: "common.fixFields" }), fieldErrors: renderFields(t, filters.errors) },
      { status: 400 },
    );
  }
  const day = new Date().toISOString().slice(0, 10);
  return new Response(streamHistoryCsv({ shop: session.shop, filters: filters.data, locale }), {
    headers: csvHeaders(`history-${day}.csv`),
  });
};
