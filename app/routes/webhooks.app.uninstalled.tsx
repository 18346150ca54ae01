import type { ActionFunctionArgs } from "@remix-run/node";
import { handleAppUninstalled } from "~/services/compliance/shopData.server";
import { authenticate } from "~/shopify.server";

// Safe to receive twice, or after the sessions are gone. The shop's ledger is kept until shop/redact
// (48 h later) so a merchant who reinstalls finds their history; its running campaigns are paused.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticate.webhook(request);
  await handleAppUninstalled({ shop });
  return new Response();
};
