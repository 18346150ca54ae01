import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { updateSessionScopes } from "~/models/Session.server";
import { deliverWebhook } from "~/services/webhooks/webhookDelivery.server";
import { authenticate } from "~/shopify.server";
import { logger } from "~/utils/logger.server";

const payloadSchema = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  const { shop, topic, payload } = webhook;
  const { response } = await deliverWebhook(webhook, async () => {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) {
      logger.warn({ shop, topic }, "scopes_update payload without current scopes: ignored");
      return;
    }
    const updated = await updateSessionScopes({ shop, scope: parsed.data.current.join(",") });
    logger.info({ shop, topic, updated }, "scopes updated");
  });
  return response;
};
