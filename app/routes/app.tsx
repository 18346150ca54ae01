import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { env } from "~/env.server";
import { authenticate } from "~/shopify.server";
import { appBridgeScriptUrl } from "~/utils/emulatorMode.server";
import { strings } from "~/strings";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return { apiKey: env.SHOPIFY_API_KEY, appBridgeUrl: appBridgeScriptUrl() };
};

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          {strings.nav.home}
        </Link>
        <Link to="/app/campaigns">{strings.nav.campaigns}</Link>
        <Link to="/app/campaigns/new">{strings.nav.newCampaign}</Link>
        <Link to="/app/history">{strings.nav.history}</Link>
        <Link to="/app/links">{strings.nav.links}</Link>
        <Link to="/app/settings">{strings.nav.settings}</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify's responses (redirects, bounce pages) must reach the browser as they are: boundary.error.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}
