import { getAutomationSettings } from "~/models/AutomationSettings.server";
import { closeCustomerInvites, recordAutomaticInvite } from "~/models/ledger.server";
import { getShopSettings } from "~/models/ShopSettings.server";
import { webhookCustomer } from "~/services/automation/customerPayload";
import { logger } from "~/utils/logger.server";

// What the customer webhooks do (each route calls one of these inside deliverWebhook, so a retried
// event acts once):
// - customers/create records a due automatic invite (nothing is read or sent here: the worker decides
//   eligibility from the customer as it is when the invite is due, tags included);
// - customers/enable and customers/update end the customer's open invite (activated, declined).
// The reconciliation of open invites (followUps.server.ts) catches what a lost webhook missed.

/**
 * How wide one automatic campaign's time window is: a sixth of the delay, between 1 minute and 1 hour.
 * Customers created together (an import) share a campaign and go out in batches; an invite leaves at
 * most one window after its due time.
 */
export function automaticWindowMs(delayMinutes: number) {
  return Math.min(60, Math.max(1, Math.round(delayMinutes / 6))) * 60_000;
}

export async function handleCustomerCreated({
  shop,
  payload,
  now = new Date(),
}: {
  shop: string;
  payload: unknown;
  now?: Date;
}) {
  const log = logger.child({ shop, topic: "customers/create" });
  const settings = await getAutomationSettings({ shop });
  if (!settings.autoInviteEnabled) return { recorded: false as const };
  const customer = webhookCustomer(payload);
  if (!customer) {
    log.warn("customers/create without a customer id: nothing recorded");
    return { recorded: false as const };
  }
  // A customer who created their own account has nothing to activate. Every other state is decided
  // when the invite is due, from the customer read then.
  if (customer.state === "ENABLED") return { recorded: false as const };
  const createdAt = customer.createdAt ?? now;
  const defaults = await getShopSettings({ shop });
  const result = await recordAutomaticInvite({
    shop,
    customerId: customer.id,
    dueAt: new Date(createdAt.getTime() + settings.autoInviteDelayMinutes * 60_000),
    windowMs: automaticWindowMs(settings.autoInviteDelayMinutes),
    template: {
      email: {
        ...(defaults.defaultSubject ? { subject: defaults.defaultSubject } : {}),
        ...(defaults.defaultCustomMessage ? { customMessage: defaults.defaultCustomMessage } : {}),
      },
      reminders: { reminderAfterDays: settings.reminderAfterDays, reminderMax: settings.reminderMax },
    },
    paused: settings.paused,
    now,
  });
  if (!result.recorded) log.info({ customerId: customer.id }, "automatic invite already recorded");
  return result;
}

/** customers/enable: the customer activated their account; their open invite ends activated. */
export async function handleCustomerEnabled({ shop, payload }: { shop: string; payload: unknown }) {
  const customer = webhookCustomer(payload);
  if (!customer) return 0;
  return closeCustomerInvites({
    shop,
    customerId: customer.id,
    outcome: "activated",
    at: customer.updatedAt ?? new Date(),
  });
}

/**
 * customers/update (filtered in the toml to enabled and declined customers): an activation the enable
 * webhook may also report (the second one finds nothing open), or a declined invite.
 */
export async function handleCustomerUpdated({ shop, payload }: { shop: string; payload: unknown }) {
  const customer = webhookCustomer(payload);
  if (!customer) return 0;
  const at = customer.updatedAt ?? new Date();
  if (customer.state === "ENABLED")
    return closeCustomerInvites({ shop, customerId: customer.id, outcome: "activated", at });
  if (customer.state === "DECLINED")
    return closeCustomerInvites({ shop, customerId: customer.id, outcome: "declined", at });
  return 0;
}
