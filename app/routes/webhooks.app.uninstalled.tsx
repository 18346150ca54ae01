import type { ActionFunctionArgs } from "@remix-run/node";
import { handleAppUninstalled } from "~/services/compliance/shopData.server";
import { deliverWebhook } from "~/services/webhooks/webhookDelivery.server";
import { authenticate } from "~/shopify.server";

// Safe to receive twice, or after the sessions are gone. The shop's ledger is kept until shop/redact
// (48 h later) so a merchant who reinstalls finds their history; its running campaigns are paused
// (UNINSTALLED). An event triggered before the current installation (a late delivery from before a
// reinstall) is ignored, so it cannot delete the new session.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  const { response } = await deliverWebhook(webhook, async () => {
    await handleAppUninstalled({ shop: webhook.shop, triggeredAt: webhook.triggeredAt });
  });
  return response;
};
