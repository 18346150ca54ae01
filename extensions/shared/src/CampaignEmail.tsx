import type { I18n } from "@shopify/ui-extensions/admin";
import { type EmailFieldTexts, EmailTextFields } from "./EmailFields";
import type { ApiFailure } from "./apiClient";
import type { EmailDraft } from "./emailDraft";

// The email section of the campaign dialogs (customer list, segment), in their `email.*` strings.

export function campaignEmailTexts(i18n: I18n): EmailFieldTexts {
  const t = i18n.translate;
  return {
    subject: t("email.subject"),
    message: t("email.message"),
    details: t("email.details"),
    tooLong: (max) => t("email.tooLong", { max }),
    plainText: t("email.plainText"),
  };
}

export function CampaignEmail({
  i18n,
  draft,
  sendFailure,
}: {
  i18n: I18n;
  draft: EmailDraft;
  sendFailure: ApiFailure | null;
}) {
  return (
    <s-stack gap="small">
      <s-heading>{i18n.translate("email.heading")}</s-heading>
      <EmailTextFields
        i18n={i18n}
        draft={draft}
        sendFailure={sendFailure}
        texts={campaignEmailTexts(i18n)}
        rows={4}
      />
    </s-stack>
  );
}
