import type { ActionFunctionArgs } from "@remix-run/node";
import { runFlowInviteAction } from "~/services/flow/flowAction.server";
import { authenticate } from "~/shopify.server";

// POST /flow/send-account-invite: the runtime_url of the Flow action "Send account invite"
// (extensions/send-account-invite/shopify.extension.toml). authenticate.flow verifies the HMAC of the raw
// body with the app secret (a forged or unsigned request gets 400 from the library, a GET 405) and loads
// the shop's offline session (none: 400). The answer is quick: the invite is recorded, the worker sends it.
export const loader = () => new Response(null, { status: 405, headers: { Allow: "POST" } });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, payload, admin } = await authenticate.flow(request);
  const answer = await runFlowInviteAction({ shop: session.shop, payload, graphql: admin.graphql });
  return Response.json(answer.body, { status: answer.status });
};
