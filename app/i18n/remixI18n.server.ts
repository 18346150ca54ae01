import { RemixI18Next } from "remix-i18next/server";
import { DEFAULT_LOCALE, resolveLocale, SUPPORTED_LOCALES, type AppLocale } from "~/i18n/locales";
import { i18nextOptions } from "~/i18n/i18nextOptions";

// The language of a document: the `locale` parameter Shopify admin puts on the URL it loads the
// embedded app with (`fr`, `fr-CA`), else English. Data requests of client navigations carry no `locale`:
// the browser keeps the language of its document (root.tsx never revalidates its loader).
export const remixI18n = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LOCALES],
    fallbackLanguage: DEFAULT_LOCALE,
    searchParamKey: "locale",
    // Only the URL: the admin's language is the merchant's choice, the browser's Accept-Language is not.
    order: ["searchParams"],
  },
  i18next: i18nextOptions,
});

export async function localeOfDocument(request: Request): Promise<AppLocale> {
  return resolveLocale(await remixI18n.getLocale(request));
}
