import type { ActionFunctionArgs } from "@remix-run/node";
import { deleteShopData } from "~/services/compliance/shopData.server";
import { deliverWebhook } from "~/services/webhooks/webhookDelivery.server";
import { authenticate } from "~/shopify.server";

// Sent 48 hours after uninstall: remove everything the app holds for the shop. Safe to run twice.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  const { shop } = webhook;
  const { response } = await deliverWebhook(webhook, async () => {
    await deleteShopData({ shop });
  });
  return response;
};
