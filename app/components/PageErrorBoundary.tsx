import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { strings } from "~/strings";

// Every page's ErrorBoundary: a 404 (another shop's or a deleted record) and unexpected errors get a
// friendly card with a next step; Shopify's own responses (redirects, bounce pages) go to boundary.error.
export function PageErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <ErrorCard
        title={strings.errors.notFoundTitle}
        body={typeof error.data === "string" ? error.data : ""}
      />
    );
  }
  if (isRouteErrorResponse(error)) return boundary.error(error);
  return <ErrorCard title={strings.errors.title} body={strings.errors.body} />;
}

function ErrorCard({ title, body }: { title: string; body: string }) {
  return (
    <Page>
      <Card>
        <BlockStack gap="300">
          <Banner tone="critical" title={title}>
            <Text as="p">{body}</Text>
          </Banner>
          <InlineStack gap="200">
            <Button onClick={() => window.location.reload()}>{strings.errors.reload}</Button>
            <Button url="/app" variant="plain">
              {strings.errors.backToOverview}
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}
