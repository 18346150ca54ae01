import { useState } from "preact/hooks";
import { type EmailOptions, EMAIL_LIMITS, containsHtml } from "./apiTypes";

// The optional invite email text (subject, custom message) a dialog lets the merchant write: what was
// typed, what Shopify would refuse (too long, HTML), and the options sent with the request.

function emailOptions(subject: string, customMessage: string): EmailOptions | undefined {
  const email: EmailOptions = {};
  if (subject.trim()) email.subject = subject.trim();
  if (customMessage.trim()) email.customMessage = customMessage.trim();
  return email.subject || email.customMessage ? email : undefined;
}

export function useEmailDraft() {
  const [subject, setSubject] = useState("");
  const [customMessage, setCustomMessage] = useState("");
  const subjectTooLong = subject.trim().length > EMAIL_LIMITS.subjectMax;
  const messageTooLong = customMessage.trim().length > EMAIL_LIMITS.customMessageMax;
  const subjectHtml = containsHtml(subject);
  const messageHtml = containsHtml(customMessage);
  return {
    subject,
    setSubject,
    customMessage,
    setCustomMessage,
    subjectTooLong,
    messageTooLong,
    subjectHtml,
    messageHtml,
    /** Something typed that Shopify would refuse: nothing is sent until it is fixed. */
    blocked: subjectTooLong || messageTooLong || subjectHtml || messageHtml,
    /** The options to send: trimmed, undefined when both are empty (Shopify's standard invite). */
    options: () => emailOptions(subject, customMessage),
    /** The shop's saved defaults, where the merchant has not typed anything yet. */
    prefill(defaults: { subject: string | null; customMessage: string | null } | null | undefined) {
      if (!defaults) return;
      setSubject((current) => current || defaults.subject || "");
      setCustomMessage((current) => current || defaults.customMessage || "");
    },
  };
}

export type EmailDraft = ReturnType<typeof useEmailDraft>;
