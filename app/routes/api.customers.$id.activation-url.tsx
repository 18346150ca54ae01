import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import {
  ActivationLinkExists,
  ActivationLinkRefused,
  generateActivationLink,
} from "~/services/activationLinks.server";
import {
  apiError,
  apiJson,
  authenticateApi,
  customerGidFromParam,
  methodNotAllowed,
  parseJsonBody,
  withShopifyErrors,
} from "~/utils/api.server";

// POST /api/customers/:id/activation-url { replace? } → { url, expiresAt }.
// The URL is a credential: it is in this response to the staff member who asked, and nowhere else.
// 409 when a link issued in the last 30 days would be invalidated and `replace` is not true.
const bodySchema = z.object({ replace: z.boolean().optional() }).strict();

export const loader = methodNotAllowed;

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const api = await authenticateApi(request);
  const parsed = await parseJsonBody(api, request, bodySchema);
  if (!parsed.ok) return parsed.response;
  const customerId = customerGidFromParam(params.id);
  if (!customerId)
    return apiError(api, 400, "Not a customer id.", { fieldErrors: { id: "must be a customer id" } });
  return withShopifyErrors(api, async () => {
    try {
      const link = await generateActivationLink({
        graphql: api.graphql,
        shop: api.shop,
        customerId,
        issuedBy: api.staffId,
        replace: parsed.data.replace ?? false,
      });
      const response = apiJson(api, {
        url: link.url,
        expiresAt: link.expiresAt.toISOString(),
        replaced: link.replaced,
      });
      response.headers.set("Cache-Control", "no-store");
      return response;
    } catch (error) {
      if (error instanceof ActivationLinkExists) {
        return apiError(api, 409, error.message, {
          issuedAt: error.issuedAt.toISOString(),
          expiresAt: error.expiresAt.toISOString(),
        });
      }
      if (error instanceof ActivationLinkRefused) return apiError(api, 422, error.message);
      throw error;
    }
  });
};
