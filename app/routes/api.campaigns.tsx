import type { ActionFunctionArgs } from "@remix-run/node";
import { campaignJson } from "~/api/ledgerJson.server";
import { checkSenderAddresses } from "~/services/campaigns/senderAddresses.server";
import { checkCustomerSearch } from "~/services/customers/searchCheck.server";
import { message } from "~/i18n/message";
import { getShopSettings } from "~/models/ShopSettings.server";
import { parseCampaignInput } from "~/services/campaigns/campaignInput";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { getCampaignView } from "~/services/campaigns/campaignView.server";
import { segmentExists } from "~/services/shopify/segmentReads.server";
import {
  apiError,
  apiJson,
  authenticateCustomerWrite,
  idempotencyKeyReused,
  invalidFields,
  methodNotAllowed,
  readJsonInput,
  withShopifyErrors,
} from "~/api/jsonApi.server";

// POST /api/campaigns { customerIds | query | segmentId, email?, includeDeclined?, idempotencyKey }
//   → 202 { campaign } when recorded, 200 { campaign } when the key was seen before with the same request
//   (nothing new is sent), 422 IDEMPOTENCY_KEY_REUSED when it came with another request.
// The request only records the campaign; the worker sends (app/jobs). Only a staff member who may edit
// customers can record one (403 otherwise). A segment the shop does not have: 404.
export const loader = methodNotAllowed;

export const action = async ({ request }: ActionFunctionArgs) => {
  const write = await authenticateCustomerWrite(request);
  if (!write.ok) return write.response;
  const { api } = write;
  const input = await readJsonInput(api, request, parseCampaignInput);
  if (!input.ok) return input.response;
  // The merchant's own cap for one campaign (Settings); a search query is checked on the New campaign page.
  const { campaignCap } = await getShopSettings({ shop: api.shop });
  if (campaignCap !== null && (input.data.customerIds?.length ?? 0) > campaignCap) {
    return apiError(api, 400, "tooManyCustomers", {
      fieldErrors: { customerIds: message("validation.selectionCap", { max: campaignCap }) },
    });
  }
  return withShopifyErrors(api, async () => {
    // What a live store would refuse for every recipient is refused here, before anything is recorded.
    const addressErrors = await checkSenderAddresses({ graphql: api.graphql, email: input.data.email });
    if (addressErrors) return invalidFields(api, addressErrors);
    if (input.data.query) {
      const { error } = await checkCustomerSearch({ graphql: api.graphql, query: input.data.query });
      if (error) return invalidFields(api, { query: error });
    }
    if (
      input.data.segmentId &&
      !(await segmentExists({ graphql: api.graphql, segmentId: input.data.segmentId }))
    )
      return apiError(api, 404, "segmentNotFound");
    const { campaign, created, keyReused } = await createCampaign({
      shop: api.shop,
      requestedBy: api.staffId,
      input: input.data,
    });
    if (keyReused) return idempotencyKeyReused(api);
    const view = await getCampaignView({ shop: api.shop, id: campaign.id });
    return apiJson(api, { campaign: view && campaignJson(view) }, created ? 202 : 200);
  });
};
