import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { reactI18nextOptions } from "~/i18n/i18nextOptions";
import { resolveLocale } from "~/i18n/locales";

// Remix's default entry.client, inside the app's i18next instance. The language is the document's
// (`<html lang>`, chosen by the server from `?locale=`) and stays for every client navigation. The
// resources are bundled, so init is synchronous and hydration starts at once, as by default.
void i18next.use(initReactI18next).init({
  ...reactI18nextOptions,
  lng: resolveLocale(document.documentElement.lang),
});

startTransition(() => {
  hydrateRoot(
    document,
    <I18nextProvider i18n={i18next}>
      <StrictMode>
        <RemixBrowser />
      </StrictMode>
    </I18nextProvider>,
  );
});
