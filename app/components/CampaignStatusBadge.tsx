import { Badge, type BadgeProps } from "@shopify/polaris";
import { CAMPAIGN_STATUSES, RECIPIENT_STATUSES } from "~/constants/invites";
import { strings } from "~/strings";

const campaignTone: Record<string, BadgeProps["tone"]> = {
  queued: "info",
  running: "attention",
  paused: "warning",
  completed: "success",
  cancelled: undefined,
  failed: "critical",
};

export function CampaignStatusBadge({ status }: { status: string }) {
  const known = CAMPAIGN_STATUSES.find((s) => s === status);
  return <Badge tone={campaignTone[status]}>{known ? strings.campaignStatus[known] : status}</Badge>;
}

const recipientTone: Record<string, BadgeProps["tone"]> = {
  queued: "info",
  sending: "attention",
  sent: "success",
  skipped: undefined,
  failed: "critical",
};

export function RecipientStatusBadge({ status }: { status: string }) {
  const known = RECIPIENT_STATUSES.find((s) => s === status);
  return <Badge tone={recipientTone[status]}>{known ? strings.recipientStatus[known] : status}</Badge>;
}
