import type { ActionFunctionArgs } from "@remix-run/node";
import { recordBulkFinish } from "~/services/campaigns/bulkFinish.server";
import { deliverWebhook } from "~/services/webhooks/webhookDelivery.server";
import { authenticate } from "~/shopify.server";

// bulk_operations/finish: a campaign's bulk query completed, failed or was cancelled (decision 010). The
// worker waiting for it reads the status from the campaign's row; without this webhook it polls.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  const { response } = await deliverWebhook(webhook, () =>
    recordBulkFinish({ shop: webhook.shop, payload: webhook.payload }),
  );
  return response;
};
