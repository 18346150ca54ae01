import type { I18n } from "@shopify/ui-extensions/admin";
import { fieldError } from "./ApiFailureBanner";
import type { ApiFailure } from "./apiClient";
import { EMAIL_LIMITS } from "./apiTypes";
import type { EmailDraft } from "./emailDraft";

// The campaign dialogs' optional email text (`email.*` in their locale files): the customer-list and the
// segment actions ask for it the same way.

/** The email section of a campaign dialog (`email.*` strings), with the send's field errors on its fields. */
export function EmailFields({
  i18n,
  draft,
  sendFailure,
}: {
  i18n: I18n;
  draft: EmailDraft;
  sendFailure: ApiFailure | null;
}) {
  const t = i18n.translate;
  return (
    <s-stack gap="small">
      <s-heading>{t("email.heading")}</s-heading>
      <s-text-field
        label={t("email.subject")}
        value={draft.subject}
        maxLength={EMAIL_LIMITS.subjectMax}
        error={
          draft.subjectTooLong
            ? t("email.tooLong", { max: i18n.formatNumber(EMAIL_LIMITS.subjectMax) })
            : draft.subjectHtml
              ? t("email.plainText")
              : fieldError(sendFailure, "email.subject")
        }
        onInput={(event) => draft.setSubject(event.currentTarget.value ?? "")}
      />
      <s-text-area
        label={t("email.message")}
        details={t("email.details")}
        value={draft.customMessage}
        rows={4}
        maxLength={EMAIL_LIMITS.customMessageMax}
        error={
          draft.messageTooLong
            ? t("email.tooLong", { max: i18n.formatNumber(EMAIL_LIMITS.customMessageMax) })
            : draft.messageHtml
              ? t("email.plainText")
              : fieldError(sendFailure, "email.customMessage")
        }
        onInput={(event) => draft.setCustomMessage(event.currentTarget.value ?? "")}
      />
    </s-stack>
  );
}

/** The labels of the email fields, for the field errors the send's banner lists under their names. */
export function emailFieldLabels(i18n: I18n): Record<string, string> {
  return {
    "email.subject": i18n.translate("email.subject"),
    "email.customMessage": i18n.translate("email.message"),
  };
}
