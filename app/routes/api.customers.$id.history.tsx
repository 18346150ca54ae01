import type { LoaderFunctionArgs } from "@remix-run/node";
import { historyEventJson } from "~/api/ledgerJson.server";
import { customerGidFromParam } from "~/api/params";
import { message } from "~/i18n/message";
import { getCustomerHistory } from "~/services/customers/customerHistory.server";
import { apiError, apiJson, authenticateApi, getOnly } from "~/api/jsonApi.server";

// GET /api/customers/:id/history → { customer: { id, state }, events } newest first, this shop's only.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const api = await authenticateApi(request);
  const customerId = customerGidFromParam(params.id);
  if (!customerId)
    return apiError(api, 400, "notCustomerId", { fieldErrors: { id: message("validation.customerId") } });
  const history = await getCustomerHistory({ graphql: api.graphql, shop: api.shop, customerId });
  return apiJson(api, { ...history, events: history.events.map(historyEventJson) });
};

export const action = getOnly;
