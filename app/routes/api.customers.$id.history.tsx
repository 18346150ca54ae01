import type { LoaderFunctionArgs } from "@remix-run/node";
import { historyEventJson } from "~/api/ledgerJson.server";
import { getCustomerHistory } from "~/services/customers/customerHistory.server";
import { apiJson, authenticateApi, customerIdParam, getOnly } from "~/api/jsonApi.server";

// GET /api/customers/:id/history → { customer: { id, state }, events } newest first, this shop's only.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const api = await authenticateApi(request);
  const customer = customerIdParam(api, params.id);
  if (!customer.ok) return customer.response;
  const { customerId } = customer;
  const history = await getCustomerHistory({ graphql: api.graphql, shop: api.shop, customerId });
  return apiJson(api, { ...history, events: history.events.map(historyEventJson) });
};

export const action = getOnly;
