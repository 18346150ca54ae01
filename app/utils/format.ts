import { intlLocaleOf, type AppLocale } from "~/i18n/locales";

// Formatting shared by pages (client and server), in the reader's language. Pages use the bound
// versions of useFormat() (app/hooks/useFormat.ts).

export function formatNumber(value: number, locale: AppLocale): string {
  return value.toLocaleString(intlLocaleOf(locale));
}

/** In UTC, said so: the server renders the page and knows no merchant's time zone. */
export function formatDateTime(value: string | Date | null | undefined, locale: AppLocale): string {
  if (!value) return "—";
  return (
    new Date(value).toLocaleString(intlLocaleOf(locale), {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "UTC",
    }) + " UTC"
  );
}

/** A UTC day (`2026-12-01`) as a short date, e.g. "Dec 1" / "1 déc.". */
export function formatDay(day: string, locale: AppLocale): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(intlLocaleOf(locale), {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
}

/** The numeric part of a customer GID, as the admin shows it. */
export function customerNumber(gid: string): string {
  return gid.split("/").pop() ?? gid;
}
