import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseHistoryFilters, streamHistoryCsv } from "~/services/history.server";
import { authenticate } from "~/shopify.server";
import { csvHeaders } from "~/utils/csv";

// GET /app/history/csv?customerId&staff&kind&from&to: the filtered history, streamed as CSV.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const filters = parseHistoryFilters(new URL(request.url).searchParams);
  if (!filters.success)
    return Response.json(
      { error: "Some filters are not valid.", fieldErrors: filters.errors },
      { status: 400 },
    );
  const day = new Date().toISOString().slice(0, 10);
  return new Response(streamHistoryCsv({ shop: session.shop, filters: filters.data }), {
    headers: csvHeaders(`history-${day}.csv`),
  });
};
