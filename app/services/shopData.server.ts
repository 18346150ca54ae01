import { deleteSessions } from "~/models/Session.server";
import { logger } from "~/utils/logger.server";

// What the app stores about a shop and its customers, and how it is removed. Today: the shop's
// sessions (staff tokens). The invite ledger adds its tables here (issue: invite engine).

export interface CustomerDataReport {
  shop: string;
  customerId: string;
  /** Every record the app holds about this customer, ready to hand to the merchant. */
  records: Record<string, unknown[]>;
}

export async function reportCustomerData({ shop, customerId }: { shop: string; customerId: string }) {
  const report: CustomerDataReport = { shop, customerId, records: {} };
  return report;
}

export async function redactCustomer({ shop, customerId }: { shop: string; customerId: string }) {
  logger.info({ shop, customerId }, "customer redacted: the app stored no data for this customer");
  return { deleted: 0 };
}

export async function deleteShopData({ shop }: { shop: string }) {
  const sessions = await deleteSessions({ shop });
  logger.info({ shop, sessions }, "shop data deleted");
  return { sessions };
}
