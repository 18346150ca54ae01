import { z } from "zod";
import { FLOW_ACTION_HANDLE, FLOW_ACTION_READ_TIMEOUT_MS } from "~/constants/flow";
import { message, type FieldMessages, type Message } from "~/i18n/message";
import { english, render } from "~/i18n/translate.server";
import { findCampaignByKey } from "~/models/Campaign.server";
import { createCampaignOnce } from "~/models/ledger.server";
import { getShopSettings } from "~/models/ShopSettings.server";
import { customerIdSchema, emailOptionsSchema, fieldErrorsFrom } from "~/services/campaigns/campaignInput";
import { readCustomerSnapshots } from "~/services/shopify/customerReads.server";
import type { AdminGraphql } from "~/types/admin";
import { logger } from "~/utils/logger.server";

// The Flow action "Send account invite" (extensions/send-account-invite): Flow posts the step's fields
// for one customer; the app records a one-customer campaign (origin "flow") and answers at once, and the
// worker sends the invite paced with the shop's other work. Flow waits about 10 s and resends on a
// timeout or a 5xx with the same `action_run_id`: the campaign's idempotency key is derived from it, so a
// resent request answers with the campaign it recorded the first time and nothing is sent twice.
//
// What Flow shows the merchant: only a 200 is a success; another 4xx ends the step as failed and shows
// the answer's body, so refusals carry one English sentence in `message` (Flow has no language of the
// staff member to offer) and the field errors in `errors`. 5xx and 429 are retried by Flow for up to 24 h.

export const flowActionPayloadSchema = z.object({
  shopify_domain: z.string(),
  action_run_id: z.string().trim().min(1).max(200),
  handle: z.string().optional(),
  properties: z.record(z.string(), z.unknown()),
});

/** A customer reference as Flow sends it (a number, a numeric string, or a GID) as a GID. */
export function customerGidOf(value: unknown): string | null {
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== "string") return null;
  const trimmed = text.trim();
  const gid = /^[1-9]\d*$/.test(trimmed) ? `gid://shopify/Customer/${trimmed}` : trimmed;
  return customerIdSchema.safeParse(gid).success ? gid : null;
}

/** A text field left blank in the Flow editor arrives empty (or absent): the shop's default applies. */
function textOf(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return null;
  return value.trim() === "" ? undefined : value;
}

export type FlowActionAnswer = { status: number; body: Record<string, unknown> };

function refusal(status: number, summary: Message, fields: FieldMessages = {}): FlowActionAnswer {
  const t = english();
  const errors = Object.fromEntries(Object.entries(fields).map(([key, item]) => [key, render(t, item)]));
  const details = Object.entries(errors)
    .map(([field, text]) => `${t(`flow.fields.${field}`, { defaultValue: field })}: ${text}`)
    .join("; ");
  const text = render(t, summary);
  return { status, body: { message: details ? `${text} ${details}.` : text, errors } };
}

export async function runFlowInviteAction({
  shop,
  payload,
  graphql,
  timeoutMs = FLOW_ACTION_READ_TIMEOUT_MS,
}: {
  shop: string;
  payload: unknown;
  graphql: AdminGraphql;
  timeoutMs?: number;
}): Promise<FlowActionAnswer> {
  const log = logger.child({ shop, component: "flow-action" });
  const parsed = flowActionPayloadSchema.safeParse(payload);
  if (!parsed.success) return refusal(400, message("flow.badRequest"));
  const { action_run_id: runId, handle, properties } = parsed.data;
  if (handle !== undefined && handle !== FLOW_ACTION_HANDLE)
    return refusal(400, message("flow.unknownAction", { handle: handle.slice(0, 60) }));

  // Flow resends with the same id: the first request's campaign is the answer, whatever came since.
  const idempotencyKey = `flow:${runId}`;
  const earlier = await findCampaignByKey({ shop, idempotencyKey });
  if (earlier) return { status: 200, body: { campaignId: earlier.id, recorded: false } };

  const fields: FieldMessages = {};
  const customerId = customerGidOf(properties.customer_id);
  if (!customerId)
    fields.customer_id =
      properties.customer_id === undefined || properties.customer_id === null || properties.customer_id === ""
        ? message("validation.required")
        : message("validation.historyCustomerId");
  const subject = textOf(properties.subject);
  const customMessage = textOf(properties.message);
  if (subject === null) fields.subject = message("validation.wrongType");
  if (customMessage === null) fields.message = message("validation.wrongType");
  const settings = await getShopSettings({ shop });
  // The same rules as every campaign's email options (length, plain text only).
  const options = emailOptionsSchema.safeParse({
    subject: subject ?? settings.defaultSubject ?? undefined,
    customMessage: customMessage ?? settings.defaultCustomMessage ?? undefined,
  });
  if (!options.success) {
    const errors = fieldErrorsFrom(options.error);
    if (errors.subject) fields.subject ??= errors.subject;
    if (errors.customMessage) fields.message ??= errors.customMessage;
  }
  if (Object.keys(fields).length > 0 || !customerId || !options.success)
    return refusal(400, message("flow.invalid"), fields);

  // A customer of another store (or none) is refused now, while Flow can show it on the step.
  const read = await readCustomerSnapshots({ graphql, ids: [customerId], timeoutMs });
  if (read.kind === "refused")
    return refusal(503, message("api.shopifyRefused", { shopifyMessage: `HTTP ${read.status}` }));
  if (read.kind !== "answered" || !read.data) {
    // Flow retries a 5xx with the same action_run_id; nothing was recorded.
    log.warn({ outcome: read.kind }, "could not check the Flow action's customer; Flow will retry");
    return refusal(503, message(read.kind === "throttled" ? "api.shopifyBusy" : "api.shopifyUnanswered"));
  }
  if (!read.data.get(customerId)) {
    return refusal(400, message("flow.invalid"), {
      customer_id: message("flow.customerNotFound", {
        id: customerId.replace(/^gid:\/\/shopify\/Customer\//, ""),
      }),
    });
  }

  const email = Object.fromEntries(Object.entries(options.data).filter(([, v]) => v !== undefined));
  const { campaign, created } = await createCampaignOnce({
    shop,
    source: "selection",
    origin: "flow",
    customerIds: [customerId],
    ...(Object.keys(email).length > 0 ? { email } : {}),
    includeDeclined: false,
    requestedBy: null,
    idempotencyKey,
  });
  log.info({ campaignId: campaign.id, created }, "Flow action recorded an invite");
  return { status: 200, body: { campaignId: campaign.id, recorded: created } };
}
