import type { ActionFunctionArgs } from "@remix-run/node";
import { cancelCampaign, pauseCampaign, resumeCampaign } from "~/services/campaigns/campaigns.server";
import { getCampaignView } from "~/services/campaigns/campaignView.server";
import {
  apiError,
  apiJson,
  authenticatePost,
  methodNotAllowed,
  refuseWithoutCustomerWrite,
} from "~/api/jsonApi.server";
import { campaignJson } from "~/api/ledgerJson.server";
import { campaignIdFromParam } from "~/api/params";

// POST /api/campaigns/:id/pause | resume | cancel → { campaign }; 409 when the campaign is not in a
// state that allows it (for example resuming a completed campaign). Resuming sends again, so it needs a
// staff member who may edit customers (403); pausing and cancelling send nothing and stay open to all.
const commands = { pause: pauseCampaign, resume: resumeCampaign, cancel: cancelCampaign } as const;
const allowedFrom = {
  pause: { allowed: "queued or running", done: "paused" },
  resume: { allowed: "paused", done: "resumed" },
  cancel: { allowed: "unfinished", done: "cancelled" },
} as const;

function isCommand(value: string | undefined): value is keyof typeof commands {
  return value === "pause" || value === "resume" || value === "cancel";
}

export const loader = methodNotAllowed;

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const post = await authenticatePost(request);
  if (!post.ok) return post.response;
  const { api } = post;
  const id = campaignIdFromParam(params.id);
  if (!isCommand(params.command) || !id) return apiError(api, 404, "unknownCommand");
  if (params.command === "resume") {
    const refused = await refuseWithoutCustomerWrite(api, request);
    if (refused) return refused;
  }
  if (!(await getCampaignView({ shop: api.shop, id }))) {
    return apiError(api, 404, "campaignNotFound");
  }
  const changed = await commands[params.command]({ shop: api.shop, id });
  const view = await getCampaignView({ shop: api.shop, id });
  if (!view) return apiError(api, 404, "campaignNotFound");
  const campaign = campaignJson(view);
  if (!changed) {
    return apiError(api, 409, "commandNotAllowed", {
      values: { ...allowedFrom[params.command], status: campaign.status },
      campaign,
    });
  }
  return apiJson(api, { campaign });
};
