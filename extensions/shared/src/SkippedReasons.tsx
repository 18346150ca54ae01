import type { I18n } from "@shopify/ui-extensions/admin";
import { reasonLabel } from "./reasons";

// What the campaign dialogs' dry run (customer list, segment) says about the customers it would skip
// (`newAccounts.*`, `preview.skippedHeading`, `preview.reasonCount`).

/** The reasons customers are skipped for, and whether the only one is the store's new customer accounts. */
export function skipReasons(summary: { eligible: number; byReason: Record<string, number> }) {
  const reasons = Object.entries(summary.byReason).filter(([, count]) => count > 0);
  const onlyNewAccounts =
    summary.eligible === 0 && reasons.length === 1 && reasons[0]?.[0] === "NEW_CUSTOMER_ACCOUNTS";
  return { reasons, onlyNewAccounts };
}

/** Nobody can be invited because the store uses new customer accounts (one-time codes, no account). */
export function NewAccountsBanner({ i18n }: { i18n: I18n }) {
  const t = i18n.translate;
  return (
    <s-banner tone="warning" heading={t("newAccounts.heading")}>
      <s-paragraph>{t("newAccounts.body")}</s-paragraph>
    </s-banner>
  );
}

/** How many customers are skipped for each reason; `messageFor` is the server's sentence for a reason. */
export function SkippedReasons({
  i18n,
  reasons,
  messageFor,
}: {
  i18n: I18n;
  reasons: [string, number][];
  messageFor?: (reason: string) => string | undefined;
}) {
  const t = i18n.translate;
  return (
    <s-section heading={t("preview.skippedHeading")}>
      <s-unordered-list>
        {reasons.map(([reason, count]) => (
          <s-list-item key={reason}>
            {t("preview.reasonCount", { reason: reasonLabel(i18n, reason, messageFor?.(reason)), count })}
          </s-list-item>
        ))}
      </s-unordered-list>
    </s-section>
  );
}
