import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCampaignView } from "~/services/customerInvites.server";
import { apiError, apiJson, authenticateApi, campaignIdFromParam, getOnly } from "~/utils/api.server";

// GET /api/campaigns/:id → { campaign } with counts per status and the latest failures.
// Another shop's campaign is "not found", exactly like a campaign that does not exist.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const api = await authenticateApi(request);
  const id = campaignIdFromParam(params.id);
  const campaign = id ? await getCampaignView({ shop: api.shop, id }) : null;
  if (!campaign) return apiError(api, 404, "This campaign does not exist in this shop.");
  return apiJson(api, { campaign });
};

export const action = getOnly;
