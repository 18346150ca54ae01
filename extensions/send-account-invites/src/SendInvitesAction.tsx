import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiFailureBanner } from "../../shared/src/ApiFailureBanner";
import { CloseButton } from "../../shared/src/CloseButton";
import { CampaignEmail, campaignEmailTexts } from "../../shared/src/CampaignEmail";
import { emailFieldLabels } from "../../shared/src/EmailFields";
import { LoadingLine } from "../../shared/src/LoadingLine";
import { SelectionNotice } from "../../shared/src/SelectionNotice";
import { NewAccountsBanner, SkippedReasons, skipReasons } from "../../shared/src/SkippedReasons";
import { type ApiFailure, type ApiResult, api, previewSelection } from "../../shared/src/apiClient";
import {
  type CampaignStatus,
  type CampaignView,
  type PreviewResponse,
  FINAL_CAMPAIGN_STATUSES,
  MAX_SELECTED_CUSTOMERS,
} from "../../shared/src/apiTypes";
import { campaignHref } from "../../shared/src/appLinks";
import { useEmailDraft } from "../../shared/src/emailDraft";
import { RefreshFailure, useLiveProgress } from "../../shared/src/liveProgress";
import { reasonLabel } from "../../shared/src/reasons";
import { useSubmitOnce } from "../../shared/src/submitOnce";

// "Send account invites" on the customer list (SEND_INVITES_TARGET): dry run of the selection, optional
// email text, one send per dialog (idempotency key), then live progress of the campaign.

/** How often the dialog asks for the campaign's progress while it runs (tests shorten it). */
export const polling = { intervalMs: 2_000 };

export default async function extension() {
  render(<SendInvitesAction />, document.body);
}

type PreviewState =
  { state: "loading" } | { state: "failed"; failure: ApiFailure } | { state: "ready"; data: PreviewResponse };

const STATUS_TONE: Record<CampaignStatus, "info" | "success" | "warning" | "critical" | "neutral"> = {
  queued: "info",
  running: "info",
  paused: "warning",
  completed: "success",
  cancelled: "neutral",
  failed: "critical",
};

const campaignRunning = (campaign: CampaignView) => !FINAL_CAMPAIGN_STATUSES.includes(campaign.status);

async function refreshCampaign(id: string): Promise<ApiResult<CampaignView>> {
  const result = await api.getCampaign(id);
  return result.ok ? { ...result, data: result.data.campaign } : result;
}

function SendInvitesAction() {
  const { i18n, close } = shopify;
  const t = i18n.translate;
  const [customerIds] = useState(() => shopify.data.selected.map((item) => item.id));
  const [preview, setPreview] = useState<PreviewState>({ state: "loading" });
  const email = useEmailDraft();
  // Live progress: ask again until the campaign is final; stop on answers a retry cannot fix.
  const progress = useLiveProgress(polling, campaignRunning, refreshCampaign);
  // One key per dialog: a retry or a double click carries the same key, so the app records one campaign.
  const sending = useSubmitOnce((data: { campaign: CampaignView }) => progress.setCurrent(data.campaign));
  const campaign = progress.current;

  const tooMany = customerIds.length > MAX_SELECTED_CUSTOMERS;

  async function loadPreview() {
    setPreview({ state: "loading" });
    const result = await previewSelection(customerIds);
    if (!result.ok) {
      setPreview({ state: "failed", failure: result.error });
      return;
    }
    setPreview({ state: "ready", data: result.data });
    email.prefill(result.data.emailDefaults);
  }

  useEffect(() => {
    if (customerIds.length > 0 && !tooMany) void loadPreview();
    // Runs once per dialog: the selection cannot change while the dialog is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function send() {
    if (email.blocked) return;
    await sending.submit((idempotencyKey) =>
      api.createCampaign({ customerIds, email: email.options(), idempotencyKey }),
    );
  }

  const closeButton = <CloseButton i18n={i18n} close={close} />;

  if (customerIds.length === 0 || tooMany) {
    return (
      <s-admin-action heading={t("heading")}>
        <SelectionNotice i18n={i18n} count={customerIds.length} max={MAX_SELECTED_CUSTOMERS} />
        {closeButton}
      </s-admin-action>
    );
  }

  if (campaign) {
    return (
      <s-admin-action heading={t("heading")}>
        <CampaignProgress campaign={campaign} pollFailure={progress.pollFailure} />
        <s-button slot="primary-action" variant="primary" onClick={() => close()}>
          {t("done")}
        </s-button>
      </s-admin-action>
    );
  }

  const eligible = preview.state === "ready" ? preview.data.summary.eligible : 0;
  return (
    <s-admin-action heading={t("heading")} loading={preview.state === "loading"}>
      <s-stack gap="base">
        <s-text type="strong">{t("selected", { count: customerIds.length })}</s-text>
        {preview.state === "loading" ? (
          <LoadingLine label={t("preview.loading", { count: customerIds.length })} />
        ) : null}
        {preview.state === "failed" ? (
          <ApiFailureBanner failure={preview.failure} i18n={i18n} onRetry={() => void loadPreview()} />
        ) : null}
        {preview.state === "ready" ? <PreviewSummary preview={preview.data} /> : null}
        {preview.state === "ready" && eligible > 0 ? (
          <CampaignEmail i18n={i18n} draft={email} sendFailure={sending.failure} />
        ) : null}
        {sending.failure ? (
          <ApiFailureBanner
            failure={sending.failure}
            i18n={i18n}
            onRetry={() => void send()}
            fieldLabels={emailFieldLabels(campaignEmailTexts(i18n))}
          />
        ) : null}
      </s-stack>
      {preview.state === "ready" && eligible > 0 ? (
        <s-button
          slot="primary-action"
          variant="primary"
          loading={sending.submitting}
          disabled={sending.submitting || email.blocked}
          onClick={() => void send()}
        >
          {t("send", { count: eligible })}
        </s-button>
      ) : null}
      {closeButton}
    </s-admin-action>
  );
}

function PreviewSummary({ preview }: { preview: PreviewResponse }) {
  const { i18n } = shopify;
  const t = i18n.translate;
  const { eligible, skipped } = preview.summary;
  const { reasons, onlyNewAccounts } = skipReasons(preview.summary);
  const messageFor = (reason: string) =>
    preview.customers.find((customer) => customer.reason === reason)?.message;
  return (
    <s-stack gap="small">
      <s-paragraph>
        {t("preview.summary", {
          willInvite: t("preview.willInvite", { count: eligible }),
          skipped: t("preview.skipped", { count: skipped }),
        })}
      </s-paragraph>
      {onlyNewAccounts ? (
        <NewAccountsBanner i18n={i18n} />
      ) : eligible === 0 ? (
        <s-banner tone="warning" heading={t("nobodyEligible.heading")}>
          <s-paragraph>{t("nobodyEligible.body")}</s-paragraph>
        </s-banner>
      ) : null}
      {reasons.length > 0 && !onlyNewAccounts ? (
        <SkippedReasons i18n={i18n} reasons={reasons} messageFor={messageFor} />
      ) : null}
    </s-stack>
  );
}

function CampaignProgress({
  campaign,
  pollFailure,
}: {
  campaign: CampaignView;
  pollFailure: ApiFailure | null;
}) {
  const { i18n } = shopify;
  const t = i18n.translate;
  const { counts } = campaign;
  const pending = (counts.queued ?? 0) + (counts.sending ?? 0);
  const final = FINAL_CAMPAIGN_STATUSES.includes(campaign.status);
  return (
    <s-stack gap="base">
      <s-stack direction="inline" gap="small" alignItems="center">
        <s-heading>{t("progress.heading")}</s-heading>
        <s-badge tone={STATUS_TONE[campaign.status] ?? "neutral"}>
          {t(`progress.status.${campaign.status}`)}
        </s-badge>
      </s-stack>
      <s-paragraph>{t("progress.sent", { count: counts.sent ?? 0, total: campaign.total })}</s-paragraph>
      <s-stack direction="inline" gap="base">
        {pending > 0 ? <s-text>{t("progress.pending", { count: pending })}</s-text> : null}
        {counts.skipped ? <s-text>{t("progress.skipped", { count: counts.skipped })}</s-text> : null}
        {counts.failed ? (
          <s-text tone="critical">{t("progress.failed", { count: counts.failed })}</s-text>
        ) : null}
      </s-stack>
      {campaign.status === "failed" && campaign.failureMessage ? (
        <s-banner
          tone="critical"
          heading={t("progress.campaignFailed", { message: campaign.failureMessage })}
        />
      ) : null}
      {campaign.recentFailures && campaign.recentFailures.length > 0 ? (
        <s-section heading={t("progress.failuresHeading")}>
          <s-unordered-list>
            {campaign.recentFailures.map((failure) => (
              <s-list-item key={failure.customerId}>
                {reasonLabel(i18n, failure.reason, failure.message)}
              </s-list-item>
            ))}
          </s-unordered-list>
        </s-section>
      ) : null}
      <RefreshFailure failure={pollFailure} i18n={i18n} />
      {!final ? <s-paragraph color="subdued">{t("progress.closeNote")}</s-paragraph> : null}
      <s-link href={campaignHref(campaign.id)}>{t("progress.view")}</s-link>
    </s-stack>
  );
}
