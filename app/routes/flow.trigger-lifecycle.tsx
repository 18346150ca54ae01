import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveTriggerLifecycle } from "~/services/flow/flowLifecycle.server";
import { authenticate } from "~/shopify.server";
import { logger } from "~/utils/logger.server";

// POST /flow/trigger-lifecycle: Flow's trigger lifecycle callback (extensions/account-invite-sent-lifecycle).
// Signed like a Flow action: authenticate.flow verifies the HMAC of the raw body with the app secret (a
// forged or unsigned request gets 400, a GET 405) and loads the shop's offline session from
// `shopify_domain`. One small write, then 200: Flow refuses to enable the merchant's workflow otherwise.
export const loader = () => new Response(null, { status: 405, headers: { Allow: "POST" } });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, payload } = await authenticate.flow(request);
  const answer = await receiveTriggerLifecycle({ shop: session.shop, payload, log: logger });
  return Response.json(answer.body, { status: answer.status });
};
