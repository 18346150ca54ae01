import type { ActionFunctionArgs } from "@remix-run/node";
import { emailDefaultsJson, previewCustomerJson } from "~/api/ledgerJson.server";
import { previewInvites } from "~/services/campaigns/preview.server";
import {
  apiJson,
  authenticateJsonPost,
  invalidFields,
  methodNotAllowed,
  withShopifyErrors,
} from "~/api/jsonApi.server";

// POST /api/invites/preview { customerIds } → eligibility per customer. Sends nothing, stores nothing.
export const loader = methodNotAllowed;

export const action = async ({ request }: ActionFunctionArgs) => {
  const post = await authenticateJsonPost(request);
  if (!post.ok) return post.response;
  const { api, body } = post;
  return withShopifyErrors(api, async () => {
    const preview = await previewInvites({ graphql: api.graphql, shop: api.shop, input: body });
    if (!preview.success) return invalidFields(api, preview.errors);
    return apiJson(api, {
      customers: preview.customers.map(previewCustomerJson),
      summary: preview.summary,
      emailDefaults: await emailDefaultsJson(api.shop),
    });
  });
};
