import en from "~/locales/en.json";
import fr from "~/locales/fr.json";
import type { Resource } from "i18next";

// Every translation, bundled (a few kilobytes each): the server renders any locale without I/O, and the
// browser gets the same resources. Both files hold the same keys (app/i18n/locales.test.ts).

export const resources = {
  en: { translation: en },
  fr: { translation: fr },
} satisfies Resource;
