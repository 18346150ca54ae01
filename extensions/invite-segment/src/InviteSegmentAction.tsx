import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiFailureBanner } from "../../shared/src/ApiFailureBanner";
import { CloseButton } from "../../shared/src/CloseButton";
import { CampaignEmail, campaignEmailTexts } from "../../shared/src/CampaignEmail";
import { emailFieldLabels } from "../../shared/src/EmailFields";
import { LoadingLine } from "../../shared/src/LoadingLine";
import { NewAccountsBanner, SkippedReasons, skipReasons } from "../../shared/src/SkippedReasons";
import { type ApiFailure, api } from "../../shared/src/apiClient";
import type { CampaignView, SegmentPreviewResponse } from "../../shared/src/apiTypes";
import { campaignHref } from "../../shared/src/appLinks";
import { useEmailDraft } from "../../shared/src/emailDraft";
import { useSubmitOnce } from "../../shared/src/submitOnce";

// "Invite this segment" on a customer segment's page (INVITE_SEGMENT_TARGET): the dry run first (how many
// customers the segment holds now, and who of its first 250 would be invited), optional email text, then
// one campaign over the segment's members, recorded once per dialog (idempotency key). The app's worker
// reads the members page by page when it runs, so the segment as it is then is what gets invited.

export default async function extension() {
  render(<InviteSegmentAction />, document.body);
}

type PreviewState =
  | { state: "loading" }
  | { state: "failed"; failure: ApiFailure }
  | { state: "ready"; data: SegmentPreviewResponse };

function InviteSegmentAction() {
  const { i18n, close } = shopify;
  const t = i18n.translate;
  // The segment details page hands the action the segment it shows: [{ id: "gid://shopify/Segment/…" }].
  const [segmentId] = useState(() => shopify.data.selected[0]?.id ?? null);
  const [preview, setPreview] = useState<PreviewState>({ state: "loading" });
  const email = useEmailDraft();
  const [campaign, setCampaign] = useState<CampaignView | null>(null);
  const sending = useSubmitOnce((data: { campaign: CampaignView }) => setCampaign(data.campaign));

  async function loadPreview() {
    if (!segmentId) return;
    setPreview({ state: "loading" });
    const result = await api.previewSegment(segmentId);
    if (!result.ok) {
      setPreview({ state: "failed", failure: result.error });
      return;
    }
    setPreview({ state: "ready", data: result.data });
    email.prefill(result.data.emailDefaults);
  }

  useEffect(() => {
    void loadPreview();
    // Once per dialog: the segment cannot change while the dialog is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function send() {
    if (!segmentId || email.blocked) return;
    await sending.submit((idempotencyKey) =>
      api.inviteSegment({ segmentId, email: email.options(), idempotencyKey }),
    );
  }

  const closeButton = <CloseButton i18n={i18n} close={close} />;

  if (!segmentId) {
    return (
      <s-admin-action heading={t("heading")}>
        <s-banner tone="info" heading={t("noSegment.heading")}>
          <s-paragraph>{t("noSegment.body")}</s-paragraph>
        </s-banner>
        {closeButton}
      </s-admin-action>
    );
  }

  if (campaign) {
    return (
      <s-admin-action heading={t("heading")}>
        <s-stack gap="base">
          <s-banner tone="success" heading={t("created.heading")}>
            <s-paragraph>{t("created.body")}</s-paragraph>
          </s-banner>
          <s-link href={campaignHref(campaign.id)}>{t("created.view")}</s-link>
        </s-stack>
        <s-button slot="primary-action" variant="primary" onClick={() => close()}>
          {t("done")}
        </s-button>
      </s-admin-action>
    );
  }

  const ready = preview.state === "ready" ? preview.data : null;
  const canInvite = ready !== null && ready.totalCount > 0 && (ready.summary.eligible > 0 || ready.more);
  // A dry run that saw every member knows how many will be invited; a sample only how many there are.
  const inviteCount = ready ? (ready.more ? ready.totalCount : ready.summary.eligible) : 0;
  return (
    <s-admin-action heading={t("heading")} loading={preview.state === "loading"}>
      <s-stack gap="base">
        {preview.state === "loading" ? <LoadingLine label={t("preview.loading")} /> : null}
        {preview.state === "failed" ? (
          <ApiFailureBanner failure={preview.failure} i18n={i18n} onRetry={() => void loadPreview()} />
        ) : null}
        {ready ? <SegmentSummary preview={ready} /> : null}
        {canInvite ? <CampaignEmail i18n={i18n} draft={email} sendFailure={sending.failure} /> : null}
        {sending.failure ? (
          <ApiFailureBanner
            failure={sending.failure}
            i18n={i18n}
            onRetry={() => void send()}
            fieldLabels={emailFieldLabels(campaignEmailTexts(i18n))}
          />
        ) : null}
      </s-stack>
      {canInvite ? (
        <s-button
          slot="primary-action"
          variant="primary"
          loading={sending.submitting}
          disabled={sending.submitting || email.blocked}
          onClick={() => void send()}
        >
          {t("invite", { count: inviteCount, formatted: i18n.formatNumber(inviteCount) })}
        </s-button>
      ) : null}
      {closeButton}
    </s-admin-action>
  );
}

function SegmentSummary({ preview }: { preview: SegmentPreviewResponse }) {
  const { i18n } = shopify;
  const t = i18n.translate;
  const { eligible, skipped } = preview.summary;
  const { reasons, onlyNewAccounts } = skipReasons(preview.summary);
  return (
    <s-stack gap="small">
      <s-text type="strong">
        {t("preview.members", {
          count: preview.totalCount,
          formatted: i18n.formatNumber(preview.totalCount),
          name: preview.segment.name,
        })}
      </s-text>
      {preview.totalCount === 0 ? (
        <s-banner tone="info" heading={t("empty.heading")}>
          <s-paragraph>{t("empty.body")}</s-paragraph>
        </s-banner>
      ) : (
        <s-paragraph>
          {t(preview.more ? "preview.sampleSummary" : "preview.summary", {
            sampled: i18n.formatNumber(preview.sampled),
            willInvite: t("preview.willInvite", { count: eligible }),
            skipped: t("preview.skipped", { count: skipped }),
          })}
        </s-paragraph>
      )}
      {onlyNewAccounts ? (
        <NewAccountsBanner i18n={i18n} />
      ) : preview.totalCount > 0 && eligible === 0 && !preview.more ? (
        <s-banner tone="warning" heading={t("nobodyEligible.heading")}>
          <s-paragraph>{t("nobodyEligible.body")}</s-paragraph>
        </s-banner>
      ) : null}
      {reasons.length > 0 && !onlyNewAccounts ? <SkippedReasons i18n={i18n} reasons={reasons} /> : null}
      {preview.totalCount > 0 ? <s-paragraph color="subdued">{t("preview.whenRun")}</s-paragraph> : null}
    </s-stack>
  );
}
