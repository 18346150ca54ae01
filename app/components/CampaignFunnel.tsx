import { BlockStack, Box, InlineGrid, ProgressBar, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/hooks/useFormat";

export interface Funnel {
  sent: number;
  activated: number;
  declined: number;
  expired: number;
  open: number;
  reminders: { campaigns: number; sent: number; activated: number; declined: number; expired: number } | null;
  activationRate: number | null;
}

function Step({
  label,
  value,
  share,
  tone,
}: {
  label: string;
  value: string;
  share?: string;
  tone?: "success" | "critical" | "subdued";
}) {
  return (
    <Box padding="300" background="bg-surface-secondary" borderRadius="200">
      <BlockStack gap="100">
        <Text as="p" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg" tone={tone === "subdued" ? undefined : tone}>
          {value}
        </Text>
        {share ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {share}
          </Text>
        ) : null}
      </BlockStack>
    </Box>
  );
}

/** What became of a campaign's invites: sent → activated → declined / expired, and the activation rate. */
export function CampaignFunnel({ funnel }: { funnel: Funnel }) {
  const { t } = useTranslation();
  const format = useFormat();
  const percent = (part: number) =>
    funnel.sent > 0
      ? t("funnel.share", { percent: format.number(Math.round((part / funnel.sent) * 100)) })
      : undefined;
  const reminders = funnel.reminders;
  const activated = funnel.activated + (reminders?.activated ?? 0);
  const rate = funnel.activationRate === null ? null : Math.round(funnel.activationRate * 100);
  return (
    <BlockStack gap="300">
      <InlineGrid columns={{ xs: 2, md: 5 }} gap="200">
        <Step label={t("funnel.sent")} value={format.number(funnel.sent)} />
        <Step
          label={t("funnel.activated")}
          value={format.number(activated)}
          share={percent(activated)}
          tone="success"
        />
        <Step
          label={t("funnel.declined")}
          value={format.number(funnel.declined + (reminders?.declined ?? 0))}
          share={percent(funnel.declined + (reminders?.declined ?? 0))}
        />
        <Step
          label={t("funnel.expired")}
          value={format.number(funnel.expired)}
          share={percent(funnel.expired)}
        />
        <Step
          label={t("funnel.open")}
          value={format.number(funnel.open)}
          share={percent(funnel.open)}
          tone="subdued"
        />
      </InlineGrid>
      {rate !== null ? (
        <BlockStack gap="100">
          <Text as="p" variant="bodyMd">
            {t("funnel.rate", { percent: format.number(rate) })}
          </Text>
          <ProgressBar progress={rate} size="small" tone="success" />
        </BlockStack>
      ) : null}
      {reminders && reminders.sent > 0 ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {t("funnel.reminders", {
            sent: format.number(reminders.sent),
            activated: format.number(reminders.activated),
          })}
        </Text>
      ) : null}
      <Text as="p" variant="bodySm" tone="subdued">
        {t("funnel.help")}
      </Text>
    </BlockStack>
  );
}
