import { Badge, type BadgeProps } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { CAMPAIGN_STATUSES, RECIPIENT_STATUSES } from "~/constants/invites";

const campaignTone: Record<string, BadgeProps["tone"]> = {
  queued: "info",
  running: "attention",
  paused: "warning",
  completed: "success",
  cancelled: undefined,
  failed: "critical",
};

export function CampaignStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const known = CAMPAIGN_STATUSES.find((s) => s === status);
  return <Badge tone={campaignTone[status]}>{known ? t(`campaignStatus.${known}`) : status}</Badge>;
}

const recipientTone: Record<string, BadgeProps["tone"]> = {
  queued: "info",
  sending: "attention",
  sent: "success",
  skipped: undefined,
  failed: "critical",
};

export function RecipientStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const known = RECIPIENT_STATUSES.find((s) => s === status);
  return <Badge tone={recipientTone[status]}>{known ? t(`recipientStatus.${known}`) : status}</Badge>;
}
