import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { emailOptionsSchema, fieldErrorsFrom } from "~/services/campaignInput";
import { inviteCustomer } from "~/services/customerInvites.server";
import { apiError, apiJson, authenticateApi, customerGidFromParam, readJsonObject } from "~/utils/api.server";

// POST /api/customers/:id/invite { email? } → { result: { status: sent | skipped | failed, reason?, message? } }
// One invite from the customer's page, recorded in the ledger like any other.
const bodySchema = z.object({ email: emailOptionsSchema.optional() }).strict();

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
    return apiError(api, 400, "Some fields are not valid.", { fieldErrors: fieldErrorsFrom(parsed.error) });
  }
  const result = await inviteCustomer({
    graphql: api.graphql,
    shop: api.shop,
    customerId,
    email: parsed.data.email,
    requestedBy: api.staffId,
  });
  return apiJson(api, { result });
};
