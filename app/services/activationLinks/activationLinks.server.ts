import { createHmac } from "node:crypto";
import { ACTIVATION_LINK_LIFETIME_DAYS } from "~/constants/invites";
import { env } from "~/env.server";
import { CustomerGenerateAccountActivationUrlMutation } from "~/graphql/CustomerGenerateAccountActivationUrlMutation";
import { findLiveActivationLink, recordActivationLink } from "~/models/ActivationLink.server";
import { closeCustomerInvites } from "~/models/ledger.server";
import { customerIdSchema } from "~/services/campaigns/campaignInput";
import { askAdmin } from "~/services/shopify/adminRequest.server";
import type { AdminGraphql } from "~/types/admin";
import { logger } from "~/utils/logger.server";

// Activation links for one customer at a time. A link lets whoever holds it set the account's
// password, so it goes to the staff member who asked and nowhere else: not to the log, not to the
// database (an export holds its links sealed for an hour at most: linkExport.server.ts). Generating a link invalidates the previous one (Shopify), so a link issued in the last 30
// days is only replaced when the merchant says so. Tested in test/invites/activationLinks.test.ts.

/** A live link exists and `replace` was not set (routes answer 409 with `api.linkExists`). */
export class ActivationLinkExists extends Error {
  constructor(
    readonly issuedAt: Date,
    readonly expiresAt: Date,
  ) {
    super("a live activation link exists");
    this.name = "ActivationLinkExists";
  }
}

/**
 * Shopify refused (userErrors: e.g. the customer already has an account, or does not exist): its own
 * messages, or none when it answered without a link.
 */
export class ActivationLinkRefused extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join(" "));
    this.name = "ActivationLinkRefused";
  }
}

const DAY_MS = 86_400_000;

/**
 * The 30-day guard, for one link and for exports (linkIssuer.server.ts): a live link issued in the last
 * 30 days is only replaced when the merchant said so, since a new link invalidates it.
 */
export function isProtected(live: { issuedAt: Date }, now: Date): boolean {
  return now.getTime() - live.issuedAt.getTime() < ACTIVATION_LINK_LIFETIME_DAYS * DAY_MS;
}

/** When a link issued `now` stops working (Shopify: 30 days). */
export function activationLinkExpiry(now: Date): Date {
  return new Date(now.getTime() + ACTIVATION_LINK_LIFETIME_DAYS * DAY_MS);
}

/** A keyed, non-reversible fingerprint: support can confirm a link the merchant shows them. */
export function fingerprintActivationUrl(url: string): string {
  return createHmac("sha256", env.SHOPIFY_API_SECRET).update(url).digest("hex").slice(0, 32);
}

export async function generateActivationLink({
  graphql,
  shop,
  customerId,
  issuedBy,
  replace = false,
  now = new Date(),
}: {
  graphql: AdminGraphql;
  shop: string;
  customerId: string;
  issuedBy: string | null;
  replace?: boolean;
  now?: Date;
}): Promise<{ url: string; expiresAt: Date; replaced: boolean }> {
  const id = customerIdSchema.parse(customerId);
  const log = logger.child({ shop, customerId: id });
  const live = await findLiveActivationLink({ shop, customerId: id, now });
  if (live && isProtected(live, now) && !replace) {
    throw new ActivationLinkExists(live.issuedAt, live.expiresAt);
  }

  // Through the one edge: a timeout, and ShopifyUnavailable when Shopify was busy or did not answer.
  const payload = await askAdmin({
    send: (signal) =>
      graphql(CustomerGenerateAccountActivationUrlMutation, { variables: { customerId: id }, signal }),
    parse: (data) => data.customerGenerateAccountActivationUrl ?? null,
  });
  if (!payload || payload.userErrors.length > 0 || !payload.accountActivationUrl) {
    const messages = payload?.userErrors.map((error) => error.message) ?? [];
    log.warn({ userErrors: messages }, "activation link refused by Shopify");
    throw new ActivationLinkRefused(messages);
  }

  const url = payload.accountActivationUrl;
  const expiresAt = activationLinkExpiry(now);
  const link = await recordActivationLink({
    shop,
    customerId: id,
    issuedAt: now,
    expiresAt,
    issuedBy,
    fingerprint: fingerprintActivationUrl(url),
  });
  // The new link replaces the invite's link: an invite still open ends superseded.
  await closeCustomerInvites({ shop, customerId: id, outcome: "expired", reason: "SUPERSEDED", at: now });
  log.info({ linkId: link.id, replaced: Boolean(live) }, "activation link issued");
  return { url, expiresAt, replaced: Boolean(live) };
}
