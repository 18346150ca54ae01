import type { I18n } from "@shopify/ui-extensions/admin";

// The customer-list actions' answer to a selection they cannot take, before calling the app. The words
// are each extension's (`nothingSelected.*`, `tooMany.*`): what to select, and where to go instead.

/**
 * Why a selection action does nothing before it calls the app: no customers selected, or more than
 * `max` (the most one request takes).
 */
export function SelectionNotice({ i18n, count, max }: { i18n: I18n; count: number; max: number }) {
  const t = i18n.translate;
  return count === 0 ? (
    <s-banner tone="info" heading={t("nothingSelected.heading")}>
      <s-paragraph>{t("nothingSelected.body")}</s-paragraph>
    </s-banner>
  ) : (
    <s-banner tone="warning" heading={t("tooMany.heading")}>
      <s-paragraph>{t("tooMany.body", { max: i18n.formatNumber(max) })}</s-paragraph>
    </s-banner>
  );
}
