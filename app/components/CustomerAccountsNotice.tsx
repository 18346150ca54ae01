import { Badge, Banner, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { CustomerAccountsMode } from "~/types/admin";

// What the shop's customer-accounts mode means for invites (see docs/decisions/003-legacy-customer-accounts.md).
export function CustomerAccountsNotice({ mode }: { mode: CustomerAccountsMode }) {
  const { t } = useTranslation();
  if (mode === "new") {
    return (
      <Banner tone="warning" title={t("overview.newAccounts.title")}>
        <BlockStack gap="200">
          <InlineStack>
            <Badge tone="attention">{t("overview.newAccounts.badge")}</Badge>
          </InlineStack>
          <p>{t("overview.newAccounts.body")}</p>
        </BlockStack>
      </Banner>
    );
  }
  const copy = mode === "classic" ? "overview.classic" : "overview.unknown";
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("overview.accountsHeading")}
          </Text>
          <Badge tone={mode === "classic" ? "success" : undefined}>{t(`${copy}.badge`)}</Badge>
        </InlineStack>
        <Text as="p">{t(`${copy}.body`)}</Text>
      </BlockStack>
    </Card>
  );
}
