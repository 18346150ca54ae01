import { BlockStack, ProgressBar, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

export interface ProgressCounts {
  total: number;
  targetsResolved: boolean;
  sent: number;
  skipped: number;
  failed: number;
  queued: number;
  sending: number;
}

/** The counters of a campaign row (as loaders serialize it) in the shape the progress bar takes. */
export function progressCountsOf(campaign: {
  total: number;
  targetsResolved: boolean;
  sentCount: number;
  skippedCount: number;
  failedCount: number;
  queuedCount: number;
  sendingCount: number;
}): ProgressCounts {
  return {
    total: campaign.total,
    targetsResolved: campaign.targetsResolved,
    sent: campaign.sentCount,
    skipped: campaign.skippedCount,
    failed: campaign.failedCount,
    queued: campaign.queuedCount,
    sending: campaign.sendingCount,
  };
}

/** Share of recipients with a final status, from the campaign's maintained counters. */
export function progressPercent({ total, sent, skipped, failed }: ProgressCounts): number {
  if (total === 0) return 0;
  return Math.min(100, Math.round(((sent + skipped + failed) / total) * 100));
}

export function CampaignProgress({ counts, compact = false }: { counts: ProgressCounts; compact?: boolean }) {
  const { t } = useTranslation();
  const percent = progressPercent(counts);
  const done = counts.targetsResolved && counts.queued + counts.sending === 0;
  return (
    <BlockStack gap="100">
      <ProgressBar
        progress={counts.total === 0 && done ? 100 : percent}
        size={compact ? "small" : "medium"}
        tone={counts.failed > 0 ? "critical" : done ? "success" : "highlight"}
      />
      <Text as="p" variant={compact ? "bodySm" : "bodyMd"} tone="subdued">
        {t("progress.counts", {
          sent: t("progress.sent", { count: counts.sent }),
          skipped: t("progress.skipped", { count: counts.skipped }),
          failed: t("progress.failed", { count: counts.failed }),
          queued: t("progress.queued", { count: counts.queued + counts.sending }),
        })}
      </Text>
      {!counts.targetsResolved && !compact ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {t("progress.resolving")}
        </Text>
      ) : null}
    </BlockStack>
  );
}
