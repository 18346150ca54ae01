import { BlockStack, Link, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { adminCustomerUrl } from "~/utils/adminLinks";
import { customerNumber } from "~/utils/format";

// A customer in a table: their name and email (read live from Shopify for the rows on screen, never
// stored), linking to their page in Shopify admin; the id when the store has not granted the app its
// customers' names and emails.

export interface CustomerProfileView {
  name: string | null;
  email: string | null;
}

export function CustomerCell({
  customerId,
  profile,
}: {
  customerId: string;
  profile: CustomerProfileView | undefined;
}) {
  const { t } = useTranslation();
  const label = profile?.name || profile?.email || t("people.customer", { id: customerNumber(customerId) });
  return (
    <BlockStack gap="050">
      <Link url={adminCustomerUrl(customerId)} target="_top" removeUnderline>
        {label}
      </Link>
      {profile?.email && profile.name ? (
        <Text as="span" variant="bodySm" tone="subdued">
          {profile.email}
        </Text>
      ) : null}
    </BlockStack>
  );
}
