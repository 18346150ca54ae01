import type { ActionFunctionArgs } from "@remix-run/node";
import { handleCustomerEnabled } from "~/services/automation/customerWebhooks.server";
import { deliverWebhook } from "~/services/webhooks/webhookDelivery.server";
import { authenticate } from "~/shopify.server";

// The customer activated their account: their open invite ends activated.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  const { response } = await deliverWebhook(webhook, async () => {
    await handleCustomerEnabled({ shop: webhook.shop, payload: webhook.payload });
  });
  return response;
};
