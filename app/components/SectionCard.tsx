import { BlockStack, Card, Text, type BlockStackProps } from "@shopify/polaris";
import type { ReactNode } from "react";

/**
 * A section of a page: a card with its heading (h2) and, when given, a subdued description, then its
 * content, `gap` apart.
 */
export function SectionCard({
  title,
  description,
  gap,
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  gap: BlockStackProps["gap"];
  children?: ReactNode;
}) {
  return (
    <Card>
      <BlockStack gap={gap}>
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {description ? (
          <Text as="p" tone="subdued">
            {description}
          </Text>
        ) : null}
        {children}
      </BlockStack>
    </Card>
  );
}
