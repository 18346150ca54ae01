import { findCustomerActivationLinks } from "~/models/ActivationLink.server";
import { findCustomerRecipients } from "~/models/recipientPages.server";
import { customerIdSchema } from "~/services/campaigns/campaignInput";
import { readCustomerStates } from "~/services/shopify/customerReads.server";
import type { AdminGraphql } from "~/types/admin";

// A customer's invites and activation links, newest first, with the state Shopify reports now (null
// when Shopify could not be asked: the history still shows). The customer block extension reads it.

export type HistoryEvent =
  | {
      type: "invite";
      at: Date;
      status: string;
      reason: string | null;
      reasonParams: string | null;
      campaignId: string;
    }
  | { type: "activation_link"; at: Date; expiresAt: Date; replacedAt: Date | null };

export async function getCustomerHistory({
  graphql,
  shop,
  customerId,
  timeoutMs = 10_000,
}: {
  graphql: AdminGraphql;
  shop: string;
  customerId: string;
  timeoutMs?: number;
}) {
  const id = customerIdSchema.parse(customerId);
  const [recipients, links, states] = await Promise.all([
    findCustomerRecipients({ shop, customerId: id }),
    findCustomerActivationLinks({ shop, customerId: id }),
    readCustomerStates({ graphql, ids: [id], timeoutMs }),
  ]);
  const events: HistoryEvent[] = [
    ...recipients.map((r) => ({
      type: "invite" as const,
      at: r.finishedAt ?? r.sendingAt ?? r.createdAt,
      status: r.status,
      reason: r.reasonCode,
      reasonParams: r.reasonParams,
      campaignId: r.campaignId,
    })),
    ...links.map((l) => ({
      type: "activation_link" as const,
      at: l.issuedAt,
      expiresAt: l.expiresAt,
      replacedAt: l.replacedAt,
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());
  const state = states.kind === "answered" && states.data ? (states.data.get(id) ?? null) : null;
  return { customer: { id, state }, events };
}
