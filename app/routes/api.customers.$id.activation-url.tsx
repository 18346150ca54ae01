import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import {
  ActivationLinkExists,
  ActivationLinkRefused,
  generateActivationLink,
} from "~/services/activationLinks.server";
import { apiError, apiJson, authenticateApi, customerGidFromParam, readJsonObject } from "~/utils/api.server";

// POST /api/customers/:id/activation-url { replace? } → { url, expiresAt }.
// The URL is a credential: it is in this response to the staff member who asked, and nowhere else.
// 409 when a link issued in the last 30 days would be invalidated and `replace` is not true.
const bodySchema = z.object({ replace: z.boolean().optional() }).strict();

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const api = await authenticateApi(request);
  return apiError(api, 405, "Use POST.");
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const api = await authenticateApi(request);
  if (request.method !== "POST") return apiError(api, 405, "Use POST.");
  const customerId = customerGidFromParam(params.id);
  if (!customerId)
    return apiError(api, 400, "Not a customer id.", { fieldErrors: { id: "must be a customer id" } });
  const body = await readJsonObject(request);
  if (!body.ok) return apiError(api, 400, body.error);
  const parsed = bodySchema.safeParse(body.body);
  if (!parsed.success) {
    return apiError(api, 400, "Some fields are not valid.", {
      fieldErrors: { replace: "must be true or false" },
    });
  }
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
};
