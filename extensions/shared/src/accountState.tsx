import type { I18n } from "@shopify/ui-extensions/admin";
import type { CustomerState } from "./apiTypes";

// A customer's account state as both customer-page extensions show it (`account`, `states.*`).

export const STATE_TONE: Record<CustomerState, "info" | "success" | "warning" | "neutral"> = {
  DISABLED: "neutral",
  INVITED: "info",
  ENABLED: "success",
  DECLINED: "warning",
};

/** "Customer account" and the state's badge (`states.unknown` when Shopify did not say). */
export function AccountStateLine({ i18n, state }: { i18n: I18n; state: CustomerState | null }) {
  const t = i18n.translate;
  return (
    <s-stack direction="inline" gap="small" alignItems="center">
      <s-text type="strong">{t("account")}</s-text>
      <s-badge tone={state ? STATE_TONE[state] : "neutral"}>{t(`states.${state ?? "unknown"}`)}</s-badge>
    </s-stack>
  );
}
