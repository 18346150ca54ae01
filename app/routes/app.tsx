import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { NavMenu, useAppBridge } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { env } from "~/env.server";
import { resolveLocale } from "~/i18n/locales";
import { polarisTranslations } from "~/i18n/polarisTranslations";
import type { loader as rootLoader } from "~/root";
import { authenticate } from "~/shopify.server";
import { appBridgeScriptUrl } from "~/utils/emulatorMode.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return { apiKey: env.SHOPIFY_API_KEY, appBridgeUrl: appBridgeScriptUrl() };
};

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <AppProvider
      isEmbeddedApp
      apiKey={apiKey}
      i18n={polarisTranslations[resolveLocale(i18n.language)]}
      {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}
    >
      <AdminLanguage />
      <NavMenu>
        <Link to="/app" rel="home">
          {t("nav.home")}
        </Link>
        <Link to="/app/campaigns">{t("nav.campaigns")}</Link>
        <Link to="/app/campaigns/new">{t("nav.newCampaign")}</Link>
        <Link to="/app/automation">{t("nav.automation")}</Link>
        <Link to="/app/history">{t("nav.history")}</Link>
        <Link to="/app/links">{t("nav.links")}</Link>
        <Link to="/app/settings">{t("nav.settings")}</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

/**
 * Shopify admin opens the app with `?locale=`; a document loaded without it (a reload of a bare URL)
 * takes the admin user's language from App Bridge (`shopify.config.locale`) once hydrated.
 */
function AdminLanguage() {
  const shopify = useAppBridge();
  const { i18n } = useTranslation();
  const localeFromUrl = useRouteLoaderData<typeof rootLoader>("root")?.localeFromUrl ?? true;
  useEffect(() => {
    const adminLocale = shopify.config?.locale;
    if (localeFromUrl || !adminLocale) return;
    const locale = resolveLocale(adminLocale);
    if (locale !== i18n.language) void i18n.changeLanguage(locale);
  }, [localeFromUrl, shopify, i18n]);
  return null;
}

// Shopify's responses (redirects, bounce pages) must reach the browser as they are: boundary.error.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}
