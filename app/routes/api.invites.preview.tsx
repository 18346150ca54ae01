import type { ActionFunctionArgs } from "@remix-run/node";
import { previewCustomerJson } from "~/api/ledgerJson.server";
import { getShopSettings } from "~/models/ShopSettings.server";
import { previewInvites } from "~/services/campaigns/preview.server";
import {
  apiError,
  apiJson,
  authenticateApi,
  methodNotAllowed,
  readJsonObject,
  withShopifyErrors,
} from "~/api/jsonApi.server";

// POST /api/invites/preview { customerIds } → eligibility per customer. Sends nothing, stores nothing.
export const loader = methodNotAllowed;

export const action = async ({ request }: ActionFunctionArgs) => {
  const api = await authenticateApi(request);
  if (request.method !== "POST") return apiError(api, 405, "usePost");
  const body = await readJsonObject(request);
  if (!body.ok) return apiError(api, 400, body.error);
  return withShopifyErrors(api, async () => {
    const preview = await previewInvites({ graphql: api.graphql, shop: api.shop, input: body.body });
    if (!preview.success) {
      return apiError(api, 400, "invalidFields", { fieldErrors: preview.errors });
    }
    const settings = await getShopSettings({ shop: api.shop });
    return apiJson(api, {
      customers: preview.customers.map(previewCustomerJson),
      summary: preview.summary,
      emailDefaults: { subject: settings.defaultSubject, customMessage: settings.defaultCustomMessage },
    });
  });
};
