import {
  deleteShopActivationLinks,
  deleteCustomerActivationLinks,
  findCustomerActivationLinks,
} from "~/models/ActivationLink.server";
import { deleteFlowEvents } from "~/models/FlowTriggerEvent.server";
import { deleteTriggerUses } from "~/models/FlowTriggerUse.server";
import { deleteShopCampaigns } from "~/models/ledger.server";
import {
  clearShopLinkExports,
  deleteCustomerLinkExportItems,
  deleteShopLinkExports,
} from "~/models/LinkExport.server";
import { pauseShopCampaigns } from "~/models/Campaign.server";
import { deleteCustomerRecipients } from "~/models/ledger.server";
import { findCustomerRecipients } from "~/models/recipientPages.server";
import { deleteSessions } from "~/models/Session.server";
import { deleteShopPacer } from "~/models/ShopPacer.server";
import { deleteShopSettings } from "~/models/ShopSettings.server";
import { deleteAutomationSettings } from "~/models/AutomationSettings.server";
import { deleteInstallation, findInstallation } from "~/models/ShopInstallation.server";
import { deleteShopWebhookEvents } from "~/models/WebhookEvent.server";
import { logger } from "~/utils/logger.server";

// What the app stores about a shop and its customers, and how it is removed (compliance webhooks).
// About customers the ledger holds GIDs, account states, timestamps and outcomes: no names, no email
// addresses, no activation URLs.

export interface CustomerDataReport {
  shop: string;
  customerId: string;
  /** Every record the app holds about this customer, ready to hand to the merchant. */
  records: Record<string, unknown[]>;
}

export async function reportCustomerData({ shop, customerId }: { shop: string; customerId: string }) {
  const [invites, activationLinks] = await Promise.all([
    findCustomerRecipients({ shop, customerId }),
    findCustomerActivationLinks({ shop, customerId }),
  ]);
  const report: CustomerDataReport = { shop, customerId, records: { invites, activationLinks } };
  return report;
}

/** customers/redact: the customer's recipient rows (their campaigns' counters follow) and links. */
export async function redactCustomer({ shop, customerId }: { shop: string; customerId: string }) {
  const recipients = await deleteCustomerRecipients({ shop, customerId });
  const activationLinks = await deleteCustomerActivationLinks({ shop, customerId });
  // A link the customer's export may still hold (an hour at most) goes too.
  await deleteCustomerLinkExportItems({ shop, customerId });
  // The Flow trigger's outbox names the customer too (ids only); events not yet emitted go with it.
  const flowEvents = await deleteFlowEvents({ shop, customerId });
  logger.info({ shop, customerId, recipients, activationLinks, flowEvents }, "customer redacted");
  return { deleted: recipients + activationLinks, recipients, activationLinks };
}

/**
 * app/uninstalled: the shop's tokens are gone, so its sessions go and its campaigns pause (the worker would
 * otherwise retry a shop it cannot reach). The ledger stays until shop/redact, 48 hours later, so a merchant
 * who reinstalls finds their history and resumes.
 */
export async function handleAppUninstalled({ shop, triggeredAt }: { shop: string; triggeredAt?: string }) {
  const installation = await findInstallation({ shop });
  const triggered = triggeredAt ? Date.parse(triggeredAt) : Number.NaN;
  if (installation && Number.isFinite(triggered) && triggered < installation.installedAt.getTime()) {
    logger.warn(
      { shop, triggeredAt, installedAt: installation.installedAt.toISOString() },
      "app/uninstalled from before the current installation: ignored",
    );
    return { sessions: 0, pausedCampaigns: 0, ignored: true };
  }
  const sessions = await deleteSessions({ shop });
  const pausedCampaigns = await pauseShopCampaigns({ shop, code: "UNINSTALLED" });
  // Activation links held for a download are not kept for a shop that removed the app.
  const linkExports = await clearShopLinkExports({ shop });
  logger.info(
    { shop, sessions, pausedCampaigns, linkExports },
    "app uninstalled: sessions removed, campaigns paused, held links deleted",
  );
  return { sessions, pausedCampaigns, ignored: false };
}

/** shop/redact: everything the app holds for the shop. */
export async function deleteShopData({ shop }: { shop: string }) {
  const sessions = await deleteSessions({ shop });
  const { campaigns, recipients } = await deleteShopCampaigns({ shop });
  const activationLinks = await deleteShopActivationLinks({ shop });
  await deleteShopLinkExports({ shop });
  const pacers = await deleteShopPacer({ shop });
  const settings = await deleteShopSettings({ shop });
  await deleteAutomationSettings({ shop });
  await deleteShopWebhookEvents({ shop });
  await deleteFlowEvents({ shop });
  await deleteTriggerUses({ shop });
  await deleteInstallation({ shop });
  logger.info(
    { shop, sessions, campaigns, recipients, activationLinks, pacers, settings },
    "shop data deleted",
  );
  return { sessions, campaigns, recipients, activationLinks };
}
