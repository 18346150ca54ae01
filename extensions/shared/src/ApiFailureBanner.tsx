import type { I18n } from "@shopify/ui-extensions/admin";
import type { ApiFailure } from "./apiClient";

// One message per way a call can fail, so every extension tells the merchant the same thing and what
// to do next. The strings live under `errors.*` in each extension's locale file
// (extensions/shared/tests/locales.test.ts checks that every extension has them).

export function ApiFailureBanner({
  failure,
  i18n,
  onRetry,
  fieldLabels = {},
}: {
  failure: ApiFailure;
  i18n: I18n;
  onRetry?: () => void;
  /** Field errors shown on a field of the form; the others are listed in the banner. */
  fieldLabels?: Record<string, string>;
}) {
  const t = i18n.translate;
  const retry = onRetry ? (
    <s-button slot="secondary-actions" onClick={onRetry}>
      {t("errors.retry")}
    </s-button>
  ) : null;
  switch (failure.kind) {
    case "network":
      return (
        <s-banner tone="critical" heading={t("errors.network.heading")}>
          <s-paragraph>{t("errors.network.body")}</s-paragraph>
          {retry}
        </s-banner>
      );
    case "unauthorized":
      return (
        <s-banner tone="warning" heading={t("errors.unauthorized.heading")}>
          <s-paragraph>{t("errors.unauthorized.body")}</s-paragraph>
        </s-banner>
      );
    case "invalid": {
      const others = Object.entries(failure.fieldErrors).filter(([key]) => !(key in fieldLabels));
      return (
        <s-banner tone="critical" heading={t("errors.invalid.heading")}>
          {failure.message ? <s-paragraph>{failure.message}</s-paragraph> : null}
          {others.map(([key, message]) => (
            <s-paragraph key={key}>{t("errors.fieldError", { field: key, message })}</s-paragraph>
          ))}
        </s-banner>
      );
    }
    case "forbidden":
      return (
        <s-banner tone="warning" heading={t("errors.forbidden.heading")}>
          <s-paragraph>{t("errors.forbidden.body")}</s-paragraph>
        </s-banner>
      );
    case "keyReused":
      return (
        <s-banner tone="warning" heading={t("errors.keyReused.heading")}>
          <s-paragraph>{t("errors.keyReused.body")}</s-paragraph>
        </s-banner>
      );
    case "notFound":
      return (
        <s-banner tone="critical" heading={t("errors.notFound.heading")}>
          <s-paragraph>{failure.message ?? t("errors.notFound.body")}</s-paragraph>
        </s-banner>
      );
    case "conflict":
      return (
        <s-banner tone="warning" heading={t("errors.conflict.heading")}>
          <s-paragraph>{failure.message ?? t("errors.conflict.body")}</s-paragraph>
        </s-banner>
      );
    case "server":
      return (
        <s-banner tone="critical" heading={t("errors.server.heading")}>
          <s-paragraph>{failure.message ?? t("errors.server.body", { status: failure.status })}</s-paragraph>
          {retry}
        </s-banner>
      );
  }
}

/** The field error for `key`, from a 400 answer, to put on that field (`error={...}`). */
export function fieldError(failure: ApiFailure | null, key: string): string | undefined {
  return failure?.kind === "invalid" ? failure.fieldErrors[key] : undefined;
}
