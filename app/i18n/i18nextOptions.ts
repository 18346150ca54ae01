import type { InitOptions } from "i18next";
import { DEFAULT_LOCALE, SUPPORTED_LOCALES } from "~/i18n/locales";
import { resources } from "~/i18n/resources";

// The i18next options of the app's pages, the same on the server (entry.server.tsx, one instance per
// document) and in the browser (entry.client.tsx): bundled resources, so `init` is synchronous and the
// first render already speaks the document's language.
export const i18nextOptions = {
  resources,
  supportedLngs: [...SUPPORTED_LOCALES],
  fallbackLng: DEFAULT_LOCALE,
  defaultNS: "translation",
  initImmediate: false,
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  returnNull: false,
} satisfies InitOptions;

export const reactI18nextOptions = {
  ...i18nextOptions,
  // Nothing to wait for: the resources are bundled.
  react: { useSuspense: false },
} satisfies InitOptions;
