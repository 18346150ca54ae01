import type { ActionFunctionArgs } from "@remix-run/node";
import {
  apiError,
  apiJson,
  authenticateApi,
  methodNotAllowed,
  readJsonObject,
  withShopifyErrors,
} from "~/api/jsonApi.server";
import { LinkExportKeyTaken } from "~/models/LinkExport.server";
import { parseLinkExportJson, startLinkExport } from "~/services/activationLinks/linkExport.server";

// POST /api/link-exports { customerIds | query, replace?, idempotencyKey? }
//   → 202 { linkExport } when recorded, 200 { linkExport } for a key seen before (nothing new is issued).
// The request only records the export; the worker issues the links, and the staff member who asked
// downloads them from the app's Activation links page (an admin action cannot save a file). No link is
// ever in a JSON answer. README "Activation link exports".
export const loader = methodNotAllowed;

export const action = async ({ request }: ActionFunctionArgs) => {
  const api = await authenticateApi(request);
  if (request.method !== "POST") return apiError(api, 405, "usePost");
  // The links belong to the staff member who asked: a token without one cannot start an export.
  if (!api.staffId) return apiError(api, 403, "linkExportStaffOnly");
  const body = await readJsonObject(request);
  if (!body.ok) return apiError(api, 400, body.error);
  const input = parseLinkExportJson(body.body);
  if (!input.success) return apiError(api, 400, "invalidFields", { fieldErrors: input.errors });
  const staffId = api.staffId;
  return withShopifyErrors(api, async () => {
    try {
      const started = await startLinkExport({
        graphql: api.graphql,
        shop: api.shop,
        requestedBy: staffId,
        input: input.data,
      });
      if (!started.ok) return apiError(api, 400, "invalidFields", { fieldErrors: started.errors });
      return apiJson(api, { linkExport: started.linkExport }, started.created ? 202 : 200);
    } catch (error) {
      if (error instanceof LinkExportKeyTaken) return apiError(api, 409, "linkExportKeyTaken");
      throw error;
    }
  });
};
