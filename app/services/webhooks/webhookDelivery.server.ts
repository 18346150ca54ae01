import { z } from "zod";
import { isWebhookEventHandled, recordWebhookEvent } from "~/models/WebhookEvent.server";
import { logger } from "~/utils/logger.server";

// What every webhook route does around its handler, after `authenticate.webhook` verified the HMAC:
// - a payload naming another shop than the verified header is refused (the HMAC covers the body, not
//   the header, so a body replayed under another shop's header must not act on that shop);
// - an event already handled (X-Shopify-Event-Id, kept 48 hours) is acknowledged without acting again;
// - the event is recorded only after its handler succeeded, so a failure is retried by Shopify.
// Tested in test/webhooks/delivery.test.ts.

export interface VerifiedWebhook {
  shop: string;
  topic: string;
  payload: unknown;
  eventId?: string;
  triggeredAt?: string;
}

const shopFields = z
  .object({
    shop_domain: z.string().optional(),
    myshopify_domain: z.string().optional(),
  })
  .passthrough();

/** The shop a payload names (compliance: `shop_domain`; app/uninstalled: the shop's `myshopify_domain`). */
export function payloadShop(payload: unknown): string | null {
  const parsed = shopFields.safeParse(payload);
  if (!parsed.success) return null;
  return parsed.data.shop_domain ?? parsed.data.myshopify_domain ?? null;
}

export type DeliveryResult = "handled" | "duplicate" | "refused";

export async function deliverWebhook(
  webhook: VerifiedWebhook,
  handle: () => Promise<void>,
): Promise<{ result: DeliveryResult; response: Response }> {
  const log = logger.child({ shop: webhook.shop, topic: webhook.topic, eventId: webhook.eventId });
  const named = payloadShop(webhook.payload);
  if (named && named.toLowerCase() !== webhook.shop.toLowerCase()) {
    log.warn({ payloadShop: named }, "webhook refused: its payload names another shop than its header");
    return { result: "refused", response: new Response("payload shop does not match", { status: 400 }) };
  }
  if (webhook.eventId && (await isWebhookEventHandled({ shop: webhook.shop, eventId: webhook.eventId }))) {
    log.info("webhook event already handled: acknowledged");
    return { result: "duplicate", response: new Response() };
  }
  await handle();
  if (webhook.eventId)
    await recordWebhookEvent({ shop: webhook.shop, eventId: webhook.eventId, topic: webhook.topic });
  return { result: "handled", response: new Response() };
}
