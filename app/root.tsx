import type { LoaderFunctionArgs } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { localeOfDocument } from "~/i18n/remixI18n.server";

// The document's language, from Shopify admin's `?locale=` (app/i18n/remixI18n.server.ts).
export const loader = async ({ request }: LoaderFunctionArgs) => ({
  locale: await localeOfDocument(request),
  // Without `?locale=` the embedded app may still learn the admin's language from App Bridge (app.tsx).
  localeFromUrl: new URL(request.url).searchParams.has("locale"),
});

// Client navigations' data requests carry no `locale`: the document's language stays.
export const shouldRevalidate = () => false;

export default function App() {
  // The instance's language: the loader's, unless App Bridge changed it after hydration.
  const { i18n } = useTranslation();
  return (
    <html lang={i18n.language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <link rel="stylesheet" href="https://cdn.shopify.com/static/fonts/inter/v4/styles.css" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
