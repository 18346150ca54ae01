import prisma from "~/db.server";
import { isUniqueViolation } from "~/models/ShopPacer.server";

// Webhook events already handled, by Shopify's X-Shopify-Event-Id, for 48 hours (Shopify retries a
// delivery up to 8 times over 4 hours).

export const WEBHOOK_EVENT_RETENTION_MS = 48 * 3_600_000;

export async function isWebhookEventHandled({ shop, eventId }: { shop: string; eventId: string }) {
  const row = await prisma.webhookEvent.findUnique({ where: { shop_eventId: { shop, eventId } } });
  return row !== null;
}

/** Events past the retention are forgotten at most once a minute per process (an import sends thousands). */
const PRUNE_EVERY_MS = 60_000;
let lastPrunedAt = 0;

/** Records a handled event (twice is harmless) and forgets events past the retention. */
export async function recordWebhookEvent({
  shop,
  eventId,
  topic,
  now = new Date(),
}: {
  shop: string;
  eventId: string;
  topic: string;
  now?: Date;
}) {
  await prisma.webhookEvent
    .create({ data: { shop, eventId, topic, receivedAt: now } })
    .catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
    });
  if (Math.abs(now.getTime() - lastPrunedAt) < PRUNE_EVERY_MS) return;
  lastPrunedAt = now.getTime();
  await prisma.webhookEvent.deleteMany({
    where: { receivedAt: { lt: new Date(now.getTime() - WEBHOOK_EVENT_RETENTION_MS) } },
  });
}

export async function deleteShopWebhookEvents({ shop }: { shop: string }) {
  const { count } = await prisma.webhookEvent.deleteMany({ where: { shop } });
  return count;
}
