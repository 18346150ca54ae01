import type { ActionFunctionArgs } from "@remix-run/node";
import { cancelCampaign, pauseCampaign, resumeCampaign } from "~/services/campaigns.server";
import { getCampaignView } from "~/services/customerInvites.server";
import {
  apiError,
  apiJson,
  authenticateApi,
  campaignIdFromParam,
  methodNotAllowed,
} from "~/utils/api.server";

// POST /api/campaigns/:id/pause | resume | cancel → { campaign }; 409 when the campaign is not in a
// state that allows it (for example resuming a completed campaign).
const commands = { pause: pauseCampaign, resume: resumeCampaign, cancel: cancelCampaign } as const;
const allowedFrom = { pause: "queued or running", resume: "paused", cancel: "not finished" } as const;

function isCommand(value: string | undefined): value is keyof typeof commands {
  return value === "pause" || value === "resume" || value === "cancel";
}

export const loader = methodNotAllowed;

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const api = await authenticateApi(request);
  if (request.method !== "POST") return apiError(api, 405, "Use POST.");
  const id = campaignIdFromParam(params.id);
  if (!isCommand(params.command) || !id) return apiError(api, 404, "Unknown campaign or command.");
  if (!(await getCampaignView({ shop: api.shop, id }))) {
    return apiError(api, 404, "This campaign does not exist in this shop.");
  }
  const changed = await commands[params.command]({ shop: api.shop, id });
  const campaign = await getCampaignView({ shop: api.shop, id });
  if (!campaign) return apiError(api, 404, "This campaign does not exist in this shop.");
  if (!changed) {
    return apiError(
      api,
      409,
      `Only a campaign that is ${allowedFrom[params.command]} can be ${params.command === "cancel" ? "cancelled" : `${params.command}d`}; this one is ${campaign.status}.`,
      { campaign },
    );
  }
  return apiJson(api, { campaign });
};
