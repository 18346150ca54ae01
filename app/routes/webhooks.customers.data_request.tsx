import type { ActionFunctionArgs } from "@remix-run/node";
import { customerGid } from "~/services/compliance/compliancePayload";
import { reportCustomerData } from "~/services/compliance/shopData.server";
import { deliverWebhook } from "~/services/webhooks/webhookDelivery.server";
import { authenticate } from "~/shopify.server";
import { logger } from "~/utils/logger.server";

// Compliance: the merchant asked what we hold about a customer. authenticate.webhook answers 401 to
// a bad HMAC before we get here. The report goes to the log, from where support hands it to the merchant.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  const { shop, topic, payload } = webhook;
  const { response } = await deliverWebhook(webhook, async () => {
    const customerId = customerGid(payload);
    if (customerId) {
      const report = await reportCustomerData({ shop, customerId });
      logger.info({ shop, topic, report }, "customer data request");
    } else {
      logger.warn({ shop, topic }, "customer data request without a customer id");
    }
  });
  return response;
};
