import { reasonMessage } from "~/i18n/message";
import { english, render } from "~/i18n/translate.server";
import { getShopSettings } from "~/models/ShopSettings.server";
import type { CampaignView } from "~/services/campaigns/campaignView.server";
import type { PreviewedCustomer } from "~/services/campaigns/preview.server";
import type { HistoryEvent } from "~/services/customers/customerHistory.server";
import type { InviteResult } from "~/services/customers/singleInvite.server";

// The ledger's codes as the JSON API answers them: each reason keeps its stable code (`reason`) and
// gains its English `message` (extensions show their own translation for codes they know).

function englishReason(code: string | null | undefined, params?: string | null) {
  return code ? render(english(), reasonMessage(code, params)) : null;
}

function paramsJson(params: Record<string, string | number> | undefined) {
  return params ? JSON.stringify(params) : null;
}

export function campaignJson(view: CampaignView) {
  const { failureCode, failureParams, recentFailures, ...rest } = view;
  return {
    ...rest,
    failureCode,
    failureMessage: failureCode
      ? render(english(), { key: `campaignStops.${failureCode}`, values: parseValues(failureParams) })
      : null,
    recentFailures: recentFailures.map((f) => ({
      customerId: f.customerId,
      reason: f.reasonCode,
      message: englishReason(f.reasonCode, f.reasonParams),
    })),
  };
}

export function previewCustomerJson(customer: PreviewedCustomer) {
  return customer.eligible
    ? { customerId: customer.customerId, eligible: true }
    : {
        customerId: customer.customerId,
        eligible: false,
        reason: customer.reason,
        message: englishReason(customer.reason, paramsJson(customer.params)),
      };
}

export function inviteResultJson(result: InviteResult) {
  return result.reason
    ? {
        status: result.status,
        reason: result.reason,
        message: englishReason(result.reason, paramsJson(result.params)),
      }
    : { status: result.status };
}

export function historyEventJson(event: HistoryEvent) {
  if (event.type !== "invite") return event;
  const { reasonParams, ...rest } = event;
  return { ...rest, message: englishReason(event.reason, reasonParams) };
}

function parseValues(json: string | null) {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === "object" ? (value as Record<string, string | number>) : {};
  } catch {
    return {};
  }
}

/** The shop's default subject and message (Settings), which the previews answer for the email form. */
export async function emailDefaultsJson(shop: string) {
  const settings = await getShopSettings({ shop });
  return { subject: settings.defaultSubject, customMessage: settings.defaultCustomMessage };
}
