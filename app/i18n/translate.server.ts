import i18next, { type TFunction } from "i18next";
import { DEFAULT_LOCALE, resolveLocale, type AppLocale } from "~/i18n/locales";
import type { FieldMessages, Message } from "~/i18n/message";
import { resources } from "~/i18n/resources";

// Server-side rendering of messages: CSV exports in the reader's language, the JSON API in English.

const instances = new Map<AppLocale, TFunction>();

export function translatorFor(locale: AppLocale = DEFAULT_LOCALE): TFunction {
  let t = instances.get(locale);
  if (!t) {
    const instance = i18next.createInstance();
    // initImmediate false: resources are bundled, so init is synchronous and `t` is ready at once.
    void instance.init({
      lng: locale,
      fallbackLng: DEFAULT_LOCALE,
      resources,
      initImmediate: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    t = instance.t;
    instances.set(locale, t);
  }
  return t;
}

/** The locale a request asks for (`?locale=`, as Shopify admin and the app's own downloads pass it). */
export function localeOfRequest(request: Request): AppLocale {
  return resolveLocale(new URL(request.url).searchParams.get("locale"));
}

export function render(t: TFunction, item: Message): string {
  return t(item.key, item.values ?? {}) as string;
}

export function renderFields(t: TFunction, fields: FieldMessages): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([field, item]) => [field, render(t, item)]));
}

/** English, as the JSON API answers. */
export const english = () => translatorFor("en");
