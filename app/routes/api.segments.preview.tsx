import type { ActionFunctionArgs } from "@remix-run/node";
import { emailDefaultsJson } from "~/api/ledgerJson.server";
import { previewSegment } from "~/services/campaigns/segmentPreview.server";
import {
  apiError,
  apiJson,
  authenticateJsonPost,
  invalidFields,
  methodNotAllowed,
  withShopifyErrors,
} from "~/api/jsonApi.server";

// POST /api/segments/preview { segmentId } → the segment's name, member count, and the eligibility of its
// first ≤250 members (a sample). Sends nothing, stores nothing. Then POST /api/campaigns { segmentId }.
export const loader = methodNotAllowed;

export const action = async ({ request }: ActionFunctionArgs) => {
  const post = await authenticateJsonPost(request);
  if (!post.ok) return post.response;
  const { api, body } = post;
  return withShopifyErrors(api, async () => {
    const preview = await previewSegment({ graphql: api.graphql, shop: api.shop, input: body });
    if (preview.kind === "invalid") return invalidFields(api, preview.errors);
    if (preview.kind === "not-found") return apiError(api, 404, "segmentNotFound");
    const { kind: _kind, ...answer } = preview;
    return apiJson(api, {
      ...answer,
      emailDefaults: await emailDefaultsJson(api.shop),
    });
  });
};
