import type { ActionFunctionArgs } from "@remix-run/node";
import { emailDefaultsJson } from "~/api/ledgerJson.server";
import { previewSegment } from "~/services/campaigns/segmentPreview.server";
import {
  apiError,
  apiJson,
  authenticatePost,
  invalidFields,
  methodNotAllowed,
  readJsonObject,
  withShopifyErrors,
} from "~/api/jsonApi.server";

// POST /api/segments/preview { segmentId } → the segment's name, member count, and the eligibility of its
// first ≤250 members (a sample). Sends nothing, stores nothing. Then POST /api/campaigns { segmentId }.
export const loader = methodNotAllowed;

export const action = async ({ request }: ActionFunctionArgs) => {
  const post = await authenticatePost(request);
  if (!post.ok) return post.response;
  const { api } = post;
  const body = await readJsonObject(request);
  if (!body.ok) return apiError(api, 400, body.error);
  return withShopifyErrors(api, async () => {
    const preview = await previewSegment({ graphql: api.graphql, shop: api.shop, input: body.body });
    if (preview.kind === "invalid") return invalidFields(api, preview.errors);
    if (preview.kind === "not-found") return apiError(api, 404, "segmentNotFound");
    const { kind: _kind, ...answer } = preview;
    return apiJson(api, {
      ...answer,
      emailDefaults: await emailDefaultsJson(api.shop),
    });
  });
};
