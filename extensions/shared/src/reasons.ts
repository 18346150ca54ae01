import type { I18n } from "@shopify/ui-extensions/admin";
import { KNOWN_REASONS } from "./apiTypes";

const known = new Set<string>(KNOWN_REASONS);

/** The merchant's words for a skip/failure reason: the locale's when known, else the server's sentence. */
export function reasonLabel(i18n: I18n, reason: string, serverMessage?: string | null): string {
  if (known.has(reason)) return i18n.translate(`reasons.${reason}`);
  return serverMessage ?? reason;
}

/** A date for merchants, in their locale. */
export function formatDateTime(i18n: I18n, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return i18n.formatDate(date, { dateStyle: "medium", timeStyle: "short" });
}
