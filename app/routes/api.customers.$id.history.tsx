import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCustomerHistory } from "~/services/customerInvites.server";
import { apiError, apiJson, authenticateApi, customerGidFromParam, getOnly } from "~/utils/api.server";

// GET /api/customers/:id/history → { customer: { id, state }, events } newest first, this shop's only.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const api = await authenticateApi(request);
  const customerId = customerGidFromParam(params.id);
  if (!customerId)
    return apiError(api, 400, "Not a customer id.", { fieldErrors: { id: "must be a customer id" } });
  const history = await getCustomerHistory({ graphql: api.graphql, shop: api.shop, customerId });
  return apiJson(api, history);
};

export const action = getOnly;
