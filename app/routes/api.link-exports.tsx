import type { ActionFunctionArgs } from "@remix-run/node";
import {
  apiError,
  apiJson,
  authenticatePost,
  idempotencyKeyReused,
  invalidFields,
  methodNotAllowed,
  readJsonInput,
  refuseWithoutCustomerWrite,
  withShopifyErrors,
} from "~/api/jsonApi.server";
import { LinkExportKeyReused, LinkExportKeyTaken } from "~/models/LinkExport.server";
import { parseLinkExportJson, startLinkExport } from "~/services/activationLinks/linkExport.server";

// POST /api/link-exports { customerIds | query, replace?, idempotencyKey? }
//   → 202 { linkExport } when recorded, 200 { linkExport } for a key seen before with the same request
//   (nothing new is issued), 422 for a key seen with another request.
// The request only records the export; the worker issues the links, and the staff member who asked
// downloads them from the app's Activation links page (an admin action cannot save a file). No link is
// ever in a JSON answer. README "Activation link exports".
export const loader = methodNotAllowed;

export const action = async ({ request }: ActionFunctionArgs) => {
  const post = await authenticatePost(request);
  if (!post.ok) return post.response;
  const { api } = post;
  // The links belong to the staff member who asked: a token without one cannot start an export.
  if (!api.staffId) return apiError(api, 403, "linkExportStaffOnly");
  // Issuing links needs customer-write permission (decision 008): 403 CUSTOMER_WRITE_REQUIRED.
  const refused = await refuseWithoutCustomerWrite(api, request);
  if (refused) return refused;
  const input = await readJsonInput(api, request, parseLinkExportJson);
  if (!input.ok) return input.response;
  const staffId = api.staffId;
  return withShopifyErrors(api, async () => {
    try {
      const started = await startLinkExport({
        graphql: api.graphql,
        shop: api.shop,
        requestedBy: staffId,
        input: input.data,
      });
      if (!started.ok) return invalidFields(api, started.errors);
      return apiJson(api, { linkExport: started.linkExport }, started.created ? 202 : 200);
    } catch (error) {
      if (error instanceof LinkExportKeyTaken) return apiError(api, 409, "linkExportKeyTaken");
      // Stripe's rule, as for campaigns: the same key with another request is the caller's mistake.
      if (error instanceof LinkExportKeyReused) return idempotencyKeyReused(api);
      throw error;
    }
  });
};
