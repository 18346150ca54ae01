import type { ActionFunctionArgs } from "@remix-run/node";
import { handleCustomerUpdated } from "~/services/automation/customerWebhooks.server";
import { deliverWebhook } from "~/services/webhooks/webhookDelivery.server";
import { authenticate } from "~/shopify.server";

// Subscribed with a filter (enabled or declined customers only, shopify.app.toml): ends open invites.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  const { response } = await deliverWebhook(webhook, async () => {
    await handleCustomerUpdated({ shop: webhook.shop, payload: webhook.payload });
  });
  return response;
};
