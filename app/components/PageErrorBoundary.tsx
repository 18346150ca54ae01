import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useTranslation } from "react-i18next";
import { isMessage, useMessage } from "~/hooks/useMessage";

// Every page's ErrorBoundary: a 404 (another shop's or a deleted record) and unexpected errors get a
// friendly card with a next step; Shopify's own responses (redirects, bounce pages) go to boundary.error.
// A 404's body is a message (`Response.json(message(...))`), rendered in the page's language.
export function PageErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const { text } = useMessage();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <ErrorCard title={t("errors.notFoundTitle")} body={isMessage(error.data) ? text(error.data) : ""} />
    );
  }
  if (isRouteErrorResponse(error)) return boundary.error(error);
  return <ErrorCard title={t("errors.title")} body={t("errors.body")} />;
}

function ErrorCard({ title, body }: { title: string; body: string }) {
  const { t } = useTranslation();
  return (
    <Page>
      <Card>
        <BlockStack gap="300">
          <Banner tone="critical" title={title}>
            <Text as="p">{body}</Text>
          </Banner>
          <InlineStack gap="200">
            <Button onClick={() => window.location.reload()}>{t("errors.reload")}</Button>
            <Button url="/app" variant="plain">
              {t("errors.backToOverview")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}
