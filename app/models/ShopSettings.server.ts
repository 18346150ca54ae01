import prisma from "~/db.server";
import { DEFAULT_REINVITE_WINDOW_HOURS } from "~/constants/invites";

export interface ShopSettingsValues {
  reinviteWindowHours: number;
  defaultSubject: string | null;
  defaultCustomMessage: string | null;
  /** Most customers one campaign may target; null: no cap of the merchant's own. */
  campaignCap: number | null;
}

/** The shop's settings, or the defaults when the merchant never saved any. */
export async function getShopSettings({ shop }: { shop: string }): Promise<ShopSettingsValues> {
  const row = await prisma.shopSettings.findUnique({ where: { shop } });
  return {
    reinviteWindowHours: row?.reinviteWindowHours ?? DEFAULT_REINVITE_WINDOW_HOURS,
    defaultSubject: row?.defaultSubject ?? null,
    defaultCustomMessage: row?.defaultCustomMessage ?? null,
    campaignCap: row?.campaignCap ?? null,
  };
}

export async function saveShopSettings({
  shop,
  values,
}: {
  shop: string;
  values: Partial<ShopSettingsValues>;
}) {
  return prisma.shopSettings.upsert({ where: { shop }, create: { shop, ...values }, update: values });
}

export async function deleteShopSettings({ shop }: { shop: string }) {
  const { count } = await prisma.shopSettings.deleteMany({ where: { shop } });
  return count;
}
