import type { ActionFunctionArgs } from "@remix-run/node";
import { handleCustomerCreated } from "~/services/automation/customerWebhooks.server";
import { deliverWebhook } from "~/services/webhooks/webhookDelivery.server";
import { authenticate } from "~/shopify.server";

// A new customer: with automatic invites on, a due invite is recorded (sent later by the worker).
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  const { response } = await deliverWebhook(webhook, async () => {
    await handleCustomerCreated({ shop: webhook.shop, payload: webhook.payload });
  });
  return response;
};
