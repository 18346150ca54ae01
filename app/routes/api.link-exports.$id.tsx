import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiError, apiJson, authenticateApi, getOnly } from "~/api/jsonApi.server";
import { linkExportIdFromParam } from "~/api/params";
import { getLinkExportView } from "~/services/activationLinks/linkExport.server";

// GET /api/link-exports/:id → { linkExport }: status and issued/skipped/failed/pending of total, never a
// link. Another staff member's export, or another shop's, is "not found", like one that does not exist.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const api = await authenticateApi(request);
  const id = linkExportIdFromParam(params.id);
  const linkExport =
    id && api.staffId ? await getLinkExportView({ shop: api.shop, requestedBy: api.staffId, id }) : null;
  if (!linkExport) return apiError(api, 404, "linkExportNotFound");
  const response = apiJson(api, { linkExport });
  response.headers.set("Cache-Control", "no-store");
  return response;
};

export const action = getOnly;
