import { Badge, Banner, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { CustomerAccountsMode } from "~/services/shopAccounts.server";
import { strings } from "~/strings";

// What the shop's customer-accounts mode means for invites (see docs/decisions/003-legacy-customer-accounts.md).
export function CustomerAccountsNotice({ mode }: { mode: CustomerAccountsMode }) {
  const text = strings.overview;
  if (mode === "new") {
    return (
      <Banner tone="warning" title={text.newAccounts.title}>
        <BlockStack gap="200">
          <InlineStack>
            <Badge tone="attention">{text.newAccounts.badge}</Badge>
          </InlineStack>
          <p>{text.newAccounts.body}</p>
        </BlockStack>
      </Banner>
    );
  }
  const copy = mode === "classic" ? text.classic : text.unknown;
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {text.accountsHeading}
          </Text>
          <Badge tone={mode === "classic" ? "success" : undefined}>{copy.badge}</Badge>
        </InlineStack>
        <Text as="p">{copy.body}</Text>
      </BlockStack>
    </Card>
  );
}
