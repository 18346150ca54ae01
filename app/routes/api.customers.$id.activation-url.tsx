import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import {
  ActivationLinkExists,
  ActivationLinkRefused,
  generateActivationLink,
} from "~/services/activationLinks/activationLinks.server";
import {
  apiError,
  apiJson,
  methodNotAllowed,
  readCustomerWrite,
  withShopifyErrors,
} from "~/api/jsonApi.server";

// POST /api/customers/:id/activation-url { replace? } → { url, expiresAt }.
// The URL is a credential: it is in this response to the staff member who asked, and nowhere else.
// 409 when a link issued in the last 30 days would be invalidated and `replace` is not true.
// Only for a staff member who may edit customers (403 otherwise, before the body is read).
const bodySchema = z.object({ replace: z.boolean().optional() }).strict();

export const loader = methodNotAllowed;

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const write = await readCustomerWrite(request, params.id, bodySchema);
  if (!write.ok) return write.response;
  const { api, data, customerId } = write;
  return withShopifyErrors(api, async () => {
    try {
      const link = await generateActivationLink({
        graphql: api.graphql,
        shop: api.shop,
        customerId,
        issuedBy: api.staffId,
        replace: data.replace ?? false,
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
        return apiError(api, 409, "linkExists", {
          issuedAt: error.issuedAt.toISOString(),
          expiresAt: error.expiresAt.toISOString(),
        });
      }
      if (error instanceof ActivationLinkRefused)
        return apiError(api, 422, "shopifyRefused", { values: { shopifyMessage: error.messages.join(" ") } });
      throw error;
    }
  });
};
