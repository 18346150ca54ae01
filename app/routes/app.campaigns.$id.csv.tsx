import type { LoaderFunctionArgs } from "@remix-run/node";
import { streamCampaignCsv } from "~/services/campaigns/campaignCsv.server";
import { localeOfRequest, translatorFor } from "~/i18n/translate.server";
import { authenticate } from "~/shopify.server";
import { campaignIdFromParam } from "~/api/params";
import { csvHeaders } from "~/utils/csv";

// GET /app/campaigns/:id/csv: the campaign's results, one row per recipient (customerId, status, reason,
// message, attempts, finishedAt), streamed. The page fetches it with the session token (useDownload).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = campaignIdFromParam(params.id);
  const locale = localeOfRequest(request);
  const stream = id ? await streamCampaignCsv({ shop: session.shop, id, locale }) : null;
  if (!stream || !id) return new Response(translatorFor(locale)("campaign.notFound"), { status: 404 });
  return new Response(stream, { headers: csvHeaders(`campaign-${id}.csv`) });
};
