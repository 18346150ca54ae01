import type { LoaderFunctionArgs } from "@remix-run/node";
import { campaignJson } from "~/api/ledgerJson.server";
import { getCampaignView } from "~/services/campaigns/campaignView.server";
import { apiError, apiJson, authenticateApi, getOnly } from "~/api/jsonApi.server";
import { campaignIdFromParam } from "~/api/params";

// GET /api/campaigns/:id → { campaign } with counts per status and the latest failures.
// Another shop's campaign is "not found", exactly like a campaign that does not exist.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const api = await authenticateApi(request);
  const id = campaignIdFromParam(params.id);
  const campaign = id ? await getCampaignView({ shop: api.shop, id }) : null;
  if (!campaign) return apiError(api, 404, "campaignNotFound");
  return apiJson(api, { campaign: campaignJson(campaign) });
};

export const action = getOnly;
