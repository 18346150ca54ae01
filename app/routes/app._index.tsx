import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteError } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { CustomerAccountsNotice } from "~/components/CustomerAccountsNotice";
import { getShopAccounts } from "~/services/shopAccounts.server";
import { authenticate } from "~/shopify.server";
import { strings } from "~/strings";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin } = await authenticate.admin(request);
  const shop = await getShopAccounts(admin.graphql);
  return { shop };
};

export default function Overview() {
  const { shop } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title={strings.overview.title} />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {strings.overview.shopHeading}
              </Text>
              <InlineStack gap="200" blockAlign="center">
                <Text as="p" variant="bodyLg" fontWeight="semibold">
                  {shop.name}
                </Text>
                <Text as="span" tone="subdued">
                  {shop.domain}
                </Text>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <CustomerAccountsNotice mode={shop.accountsMode} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}
