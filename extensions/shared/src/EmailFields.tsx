import type { I18n } from "@shopify/ui-extensions/admin";
import { fieldError } from "./ApiFailureBanner";
import type { ApiFailure } from "./apiClient";
import { EMAIL_LIMITS } from "./apiTypes";
import type { EmailDraft } from "./emailDraft";

// The optional invite email text: a subject field and a custom message area, with what Shopify would
// refuse (too long, HTML) or what the app refused (the send's field errors) on the field itself.

/** The words of the fields, from the extension's locale. `tooLong` gets the limit, already formatted. */
export interface EmailFieldTexts {
  subject: string;
  message: string;
  details?: string;
  tooLong: (max: string) => string;
  plainText: string;
}

export function EmailTextFields({
  i18n,
  draft,
  sendFailure,
  texts,
  rows,
}: {
  i18n: I18n;
  draft: EmailDraft;
  sendFailure: ApiFailure | null;
  texts: EmailFieldTexts;
  rows: number;
}) {
  return (
    <>
      <s-text-field
        label={texts.subject}
        value={draft.subject}
        maxLength={EMAIL_LIMITS.subjectMax}
        error={
          draft.subjectTooLong
            ? texts.tooLong(i18n.formatNumber(EMAIL_LIMITS.subjectMax))
            : draft.subjectHtml
              ? texts.plainText
              : fieldError(sendFailure, "email.subject")
        }
        onInput={(event) => draft.setSubject(event.currentTarget.value ?? "")}
      />
      <s-text-area
        label={texts.message}
        details={texts.details}
        value={draft.customMessage}
        rows={rows}
        maxLength={EMAIL_LIMITS.customMessageMax}
        error={
          draft.messageTooLong
            ? texts.tooLong(i18n.formatNumber(EMAIL_LIMITS.customMessageMax))
            : draft.messageHtml
              ? texts.plainText
              : fieldError(sendFailure, "email.customMessage")
        }
        onInput={(event) => draft.setCustomMessage(event.currentTarget.value ?? "")}
      />
    </>
  );
}

/** The labels of the email fields, for the field errors the send's banner lists under their names. */
export function emailFieldLabels(texts: EmailFieldTexts): Record<string, string> {
  return { "email.subject": texts.subject, "email.customMessage": texts.message };
}
