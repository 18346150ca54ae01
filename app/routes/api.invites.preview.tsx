import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getShopSettings } from "~/models/ShopSettings.server";
import { PreviewUnavailable, previewInvites } from "~/services/campaigns.server";
import { apiError, apiJson, authenticateApi, readJsonObject } from "~/utils/api.server";

// POST /api/invites/preview { customerIds } → eligibility per customer. Sends nothing, stores nothing.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const api = await authenticateApi(request);
  return apiError(api, 405, "Use POST with { customerIds }.");
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const api = await authenticateApi(request);
  if (request.method !== "POST") return apiError(api, 405, "Use POST with { customerIds }.");
  const body = await readJsonObject(request);
  if (!body.ok) return apiError(api, 400, body.error);
  try {
    const preview = await previewInvites({ graphql: api.graphql, shop: api.shop, input: body.body });
    if (!preview.success) {
      return apiError(api, 400, "Some fields are not valid.", { fieldErrors: preview.errors });
    }
    const settings = await getShopSettings({ shop: api.shop });
    return apiJson(api, {
      customers: preview.customers,
      summary: preview.summary,
      emailDefaults: { subject: settings.defaultSubject, customMessage: settings.defaultCustomMessage },
    });
  } catch (error) {
    if (error instanceof PreviewUnavailable) return apiError(api, 503, error.message);
    throw error;
  }
};
