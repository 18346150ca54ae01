// The languages the app speaks, and how a locale Shopify admin passes (`fr`, `fr-CA`, `pt-BR`) maps to
// one of them. Shared by the server (document loads, CSV exports) and the browser.

export const SUPPORTED_LOCALES = ["en", "fr"] as const;
export type AppLocale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = "en";

/** The app's language for a BCP 47 tag; English for anything it does not speak. */
export function resolveLocale(tag: string | null | undefined): AppLocale {
  const language = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return SUPPORTED_LOCALES.find((locale) => locale === language) ?? DEFAULT_LOCALE;
}

/** The BCP 47 tag for Intl formatting (dates, numbers). */
export function intlLocaleOf(locale: AppLocale): string {
  return locale === "fr" ? "fr-FR" : "en-US";
}
