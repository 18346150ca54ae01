import { ShopEmailsQuery } from "~/graphql/ShopEmailsQuery";
import { message, type FieldMessages } from "~/i18n/message";
import type { CampaignEmail } from "~/models/campaignEmail";
import { askAdmin } from "~/services/shopify/adminRequest.server";
import type { AdminGraphql } from "~/types/admin";

// A live store sends an invite's bcc only to staff members' addresses and refuses the whole invite
// otherwise, for every recipient; `from` must be a sender the store accepts. The app can read the store's
// own addresses (its email and its customer contact email), so those are what it offers and accepts.

export async function readShopAddresses(graphql: AdminGraphql): Promise<string[]> {
  const shop = await askAdmin({
    send: (signal) => graphql(ShopEmailsQuery, { signal }),
    parse: (data) => data.shop,
  });
  return [...new Set([shop.email, shop.contactEmail].filter((v): v is string => Boolean(v)))];
}

/** Field errors for a bcc or from that is not one of the store's addresses; null when none. */
export async function checkSenderAddresses({
  graphql,
  email,
}: {
  graphql: AdminGraphql;
  email: CampaignEmail | undefined;
}): Promise<FieldMessages | null> {
  if (!email?.from && !email?.bcc?.length) return null;
  const allowed = new Set((await readShopAddresses(graphql)).map((a) => a.toLowerCase()));
  const errors: FieldMessages = {};
  const choices = [...allowed].join(", ");
  if (email.from && !allowed.has(email.from.toLowerCase()))
    errors["email.from"] = message("validation.shopAddress", { address: email.from, choices });
  email.bcc?.forEach((address, index) => {
    if (!allowed.has(address.toLowerCase()))
      errors[`email.bcc.${index}`] = message("validation.shopAddress", { address, choices });
  });
  return Object.keys(errors).length > 0 ? errors : null;
}
