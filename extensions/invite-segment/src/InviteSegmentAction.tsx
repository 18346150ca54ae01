import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiFailureBanner, fieldError } from "../../shared/src/ApiFailureBanner";
import { type ApiFailure, api, newIdempotencyKey } from "../../shared/src/apiClient";
import {
  type CampaignView,
  type EmailOptions,
  type SegmentPreviewResponse,
  EMAIL_LIMITS,
  containsHtml,
} from "../../shared/src/apiTypes";
import { reasonLabel } from "../../shared/src/reasons";

// "Invite this segment" on a customer segment's page (INVITE_SEGMENT_TARGET): the dry run first (how many
// customers the segment holds now, and who of its first 250 would be invited), optional email text, then
// one campaign over the segment's members, recorded once per dialog (idempotency key). The app's worker
// reads the members page by page when it runs, so the segment as it is then is what gets invited.

export default async function extension() {
  render(<InviteSegmentAction />, document.body);
}

/** Where the campaign lives in the app: `app:` links resolve against the app's URL inside admin. */
export function campaignHref(campaignId: string): string {
  return `app:app/campaigns/${encodeURIComponent(campaignId)}`;
}

type PreviewState =
  | { state: "loading" }
  | { state: "failed"; failure: ApiFailure }
  | { state: "ready"; data: SegmentPreviewResponse };

function emailOptions(subject: string, customMessage: string): EmailOptions | undefined {
  const email: EmailOptions = {};
  if (subject.trim()) email.subject = subject.trim();
  if (customMessage.trim()) email.customMessage = customMessage.trim();
  return email.subject || email.customMessage ? email : undefined;
}

function InviteSegmentAction() {
  const { i18n, close } = shopify;
  const t = i18n.translate;
  // The segment details page hands the action the segment it shows: [{ id: "gid://shopify/Segment/…" }].
  const [segmentId] = useState(() => shopify.data.selected[0]?.id ?? null);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [preview, setPreview] = useState<PreviewState>({ state: "loading" });
  const [subject, setSubject] = useState("");
  const [customMessage, setCustomMessage] = useState("");
  const [sending, setSending] = useState(false);
  const [sendFailure, setSendFailure] = useState<ApiFailure | null>(null);
  const [campaign, setCampaign] = useState<CampaignView | null>(null);
  const sendStarted = useRef(false);

  async function loadPreview() {
    if (!segmentId) return;
    setPreview({ state: "loading" });
    const result = await api.previewSegment(segmentId);
    if (!result.ok) {
      setPreview({ state: "failed", failure: result.error });
      return;
    }
    setPreview({ state: "ready", data: result.data });
    const defaults = result.data.emailDefaults;
    if (defaults) {
      setSubject((current) => current || defaults.subject || "");
      setCustomMessage((current) => current || defaults.customMessage || "");
    }
  }

  useEffect(() => {
    void loadPreview();
    // Once per dialog: the segment cannot change while the dialog is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const subjectTooLong = subject.trim().length > EMAIL_LIMITS.subjectMax;
  const messageTooLong = customMessage.trim().length > EMAIL_LIMITS.customMessageMax;
  const subjectHtml = containsHtml(subject);
  const messageHtml = containsHtml(customMessage);
  const blocked = subjectTooLong || messageTooLong || subjectHtml || messageHtml;

  async function send() {
    if (!segmentId || sendStarted.current || blocked) return;
    sendStarted.current = true;
    setSending(true);
    setSendFailure(null);
    const result = await api.inviteSegment({
      segmentId,
      email: emailOptions(subject, customMessage),
      idempotencyKey,
    });
    setSending(false);
    if (result.ok) {
      setCampaign(result.data.campaign);
      return;
    }
    sendStarted.current = false;
    setSendFailure(result.error);
  }

  const closeButton = (
    <s-button slot="secondary-actions" onClick={() => close()}>
      {t("close")}
    </s-button>
  );

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
        {preview.state === "loading" ? (
          <s-stack direction="inline" gap="small" alignItems="center">
            <s-spinner accessibilityLabel={t("preview.loading")} />
            <s-text>{t("preview.loading")}</s-text>
          </s-stack>
        ) : null}
        {preview.state === "failed" ? (
          <ApiFailureBanner failure={preview.failure} i18n={i18n} onRetry={() => void loadPreview()} />
        ) : null}
        {ready ? <SegmentSummary preview={ready} /> : null}
        {canInvite ? (
          <s-stack gap="small">
            <s-heading>{t("email.heading")}</s-heading>
            <s-text-field
              label={t("email.subject")}
              value={subject}
              maxLength={EMAIL_LIMITS.subjectMax}
              error={
                subjectTooLong
                  ? t("email.tooLong", { max: i18n.formatNumber(EMAIL_LIMITS.subjectMax) })
                  : subjectHtml
                    ? t("email.plainText")
                    : fieldError(sendFailure, "email.subject")
              }
              onInput={(event) => setSubject(event.currentTarget.value ?? "")}
            />
            <s-text-area
              label={t("email.message")}
              details={t("email.details")}
              value={customMessage}
              rows={4}
              maxLength={EMAIL_LIMITS.customMessageMax}
              error={
                messageTooLong
                  ? t("email.tooLong", { max: i18n.formatNumber(EMAIL_LIMITS.customMessageMax) })
                  : messageHtml
                    ? t("email.plainText")
                    : fieldError(sendFailure, "email.customMessage")
              }
              onInput={(event) => setCustomMessage(event.currentTarget.value ?? "")}
            />
          </s-stack>
        ) : null}
        {sendFailure ? (
          <ApiFailureBanner
            failure={sendFailure}
            i18n={i18n}
            onRetry={() => void send()}
            fieldLabels={{ "email.subject": t("email.subject"), "email.customMessage": t("email.message") }}
          />
        ) : null}
      </s-stack>
      {canInvite ? (
        <s-button
          slot="primary-action"
          variant="primary"
          loading={sending}
          disabled={sending || blocked}
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
  const { eligible, skipped, byReason } = preview.summary;
  const reasons = Object.entries(byReason).filter(([, count]) => count > 0);
  const onlyNewAccounts =
    eligible === 0 && reasons.length === 1 && reasons[0]?.[0] === "NEW_CUSTOMER_ACCOUNTS";
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
        <s-banner tone="warning" heading={t("newAccounts.heading")}>
          <s-paragraph>{t("newAccounts.body")}</s-paragraph>
        </s-banner>
      ) : preview.totalCount > 0 && eligible === 0 && !preview.more ? (
        <s-banner tone="warning" heading={t("nobodyEligible.heading")}>
          <s-paragraph>{t("nobodyEligible.body")}</s-paragraph>
        </s-banner>
      ) : null}
      {reasons.length > 0 && !onlyNewAccounts ? (
        <s-section heading={t("preview.skippedHeading")}>
          <s-unordered-list>
            {reasons.map(([reason, count]) => (
              <s-list-item key={reason}>
                {t("preview.reasonCount", { reason: reasonLabel(i18n, reason), count })}
              </s-list-item>
            ))}
          </s-unordered-list>
        </s-section>
      ) : null}
      {preview.totalCount > 0 ? <s-paragraph color="subdued">{t("preview.whenRun")}</s-paragraph> : null}
    </s-stack>
  );
}
