import { createHmac, randomUUID } from "node:crypto";
import { ADMIN_API_VERSION } from "~/constants/shopify";
import { TEST_API_SECRET, TEST_APP_URL } from "../testEnv";

// A webhook as Shopify delivers it: JSON body, HMAC-SHA256 of the raw body with the app secret (base64).
export function signedWebhookRequest({
  topic,
  shop,
  payload,
  secret = TEST_API_SECRET,
  eventId = randomUUID(),
  triggeredAt = new Date(),
}: {
  topic: string;
  shop: string;
  payload: unknown;
  secret?: string;
  /** Shopify's id of the event: the same for every retry of one delivery. */
  eventId?: string;
  triggeredAt?: Date;
}): Request {
  const body = JSON.stringify(payload);
  return new Request(new URL(`/webhooks/${topic}`, TEST_APP_URL), {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": ADMIN_API_VERSION,
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Event-Id": eventId,
      "X-Shopify-Triggered-At": triggeredAt.toISOString(),
      "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body).digest("base64"),
    },
  });
}

export async function responseStatus(run: () => Promise<Response>): Promise<number> {
  try {
    return (await run()).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}
