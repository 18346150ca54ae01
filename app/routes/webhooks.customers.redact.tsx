import type { ActionFunctionArgs } from "@remix-run/node";
import { customerGid } from "~/services/compliance/compliancePayload";
import { redactCustomer } from "~/services/compliance/shopData.server";
import { deliverWebhook } from "~/services/webhooks/webhookDelivery.server";
import { authenticate } from "~/shopify.server";
import { logger } from "~/utils/logger.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  const { shop, topic, payload } = webhook;
  const { response } = await deliverWebhook(webhook, async () => {
    const customerId = customerGid(payload);
    if (customerId) await redactCustomer({ shop, customerId });
    else logger.warn({ shop, topic }, "customer redact without a customer id");
  });
  return response;
};
