import type { ActionFunctionArgs } from "@remix-run/node";
import { customerGid } from "~/services/compliance/compliancePayload";
import { redactCustomer } from "~/services/compliance/shopData.server";
import { authenticate } from "~/shopify.server";
import { logger } from "~/utils/logger.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, payload } = await authenticate.webhook(request);
  const customerId = customerGid(payload);
  if (customerId) {
    await redactCustomer({ shop, customerId });
  } else {
    logger.warn({ shop, topic }, "customer redact without a customer id");
  }
  return new Response();
};
