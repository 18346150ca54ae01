import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiFailureBanner, fieldError } from "../../shared/src/ApiFailureBanner";
import { type ApiFailure, api, newIdempotencyKey, previewSelection } from "../../shared/src/apiClient";
import {
  type CampaignStatus,
  type CampaignView,
  type EmailOptions,
  type PreviewResponse,
  EMAIL_LIMITS,
  containsHtml,
  FINAL_CAMPAIGN_STATUSES,
  MAX_SELECTED_CUSTOMERS,
} from "../../shared/src/apiTypes";
import { reasonLabel } from "../../shared/src/reasons";

// "Send account invites" on the customer list (SEND_INVITES_TARGET): dry run of the selection, optional
// email text, one send per dialog (idempotency key), then live progress of the campaign.

/** How often the dialog asks for the campaign's progress while it runs (tests shorten it). */
export const polling = { intervalMs: 2_000 };

export default async function extension() {
  render(<SendInvitesAction />, document.body);
}

/** Where the campaign lives in the app: `app:` links resolve against the app's URL inside admin. */
export function campaignHref(campaignId: string): string {
  return `app:app/campaigns/${encodeURIComponent(campaignId)}`;
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

function emailOptions(subject: string, customMessage: string): EmailOptions | undefined {
  const email: EmailOptions = {};
  if (subject.trim()) email.subject = subject.trim();
  if (customMessage.trim()) email.customMessage = customMessage.trim();
  return email.subject || email.customMessage ? email : undefined;
}

function SendInvitesAction() {
  const { i18n, close } = shopify;
  const t = i18n.translate;
  const [customerIds] = useState(() => shopify.data.selected.map((item) => item.id));
  // One key per dialog: a retry or a double click carries the same key, so the app records one campaign.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [preview, setPreview] = useState<PreviewState>({ state: "loading" });
  const [subject, setSubject] = useState("");
  const [customMessage, setCustomMessage] = useState("");
  const [sending, setSending] = useState(false);
  const [sendFailure, setSendFailure] = useState<ApiFailure | null>(null);
  const [campaign, setCampaign] = useState<CampaignView | null>(null);
  const [pollFailure, setPollFailure] = useState<ApiFailure | null>(null);
  const [pollCount, setPollCount] = useState(0);
  const sendStarted = useRef(false);

  const tooMany = customerIds.length > MAX_SELECTED_CUSTOMERS;

  async function loadPreview() {
    setPreview({ state: "loading" });
    const result = await previewSelection(customerIds);
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
    if (customerIds.length > 0 && !tooMany) void loadPreview();
    // Runs once per dialog: the selection cannot change while the dialog is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Live progress: ask again until the campaign is final; stop on answers a retry cannot fix.
  useEffect(() => {
    if (!campaign || FINAL_CAMPAIGN_STATUSES.includes(campaign.status)) return;
    if (pollFailure?.kind === "unauthorized" || pollFailure?.kind === "notFound") return;
    let cancelled = false;
    const timer = setTimeout(
      async () => {
        const result = await api.getCampaign(campaign.id);
        if (cancelled) return;
        if (result.ok) {
          setPollFailure(null);
          setCampaign(result.data.campaign);
        } else {
          setPollFailure(result.error);
        }
        setPollCount((count) => count + 1);
      },
      pollFailure ? polling.intervalMs * 3 : polling.intervalMs,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [campaign, pollCount, pollFailure]);

  const subjectTooLong = subject.trim().length > EMAIL_LIMITS.subjectMax;
  const messageTooLong = customMessage.trim().length > EMAIL_LIMITS.customMessageMax;
  const subjectHtml = containsHtml(subject);
  const messageHtml = containsHtml(customMessage);

  async function send() {
    // A second click while the first request is out does nothing (and would carry the same key anyway).
    if (sendStarted.current || subjectTooLong || messageTooLong || subjectHtml || messageHtml) return;
    sendStarted.current = true;
    setSending(true);
    setSendFailure(null);
    const result = await api.createCampaign({
      customerIds,
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

  if (customerIds.length === 0 || tooMany) {
    return (
      <s-admin-action heading={t("heading")}>
        {customerIds.length === 0 ? (
          <s-banner tone="info" heading={t("nothingSelected.heading")}>
            <s-paragraph>{t("nothingSelected.body")}</s-paragraph>
          </s-banner>
        ) : (
          <s-banner tone="warning" heading={t("tooMany.heading")}>
            <s-paragraph>{t("tooMany.body", { max: i18n.formatNumber(MAX_SELECTED_CUSTOMERS) })}</s-paragraph>
          </s-banner>
        )}
        {closeButton}
      </s-admin-action>
    );
  }

  if (campaign) {
    return (
      <s-admin-action heading={t("heading")}>
        <CampaignProgress campaign={campaign} pollFailure={pollFailure} />
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
          <s-stack direction="inline" gap="small" alignItems="center">
            <s-spinner accessibilityLabel={t("preview.loading", { count: customerIds.length })} />
            <s-text>{t("preview.loading", { count: customerIds.length })}</s-text>
          </s-stack>
        ) : null}
        {preview.state === "failed" ? (
          <ApiFailureBanner failure={preview.failure} i18n={i18n} onRetry={() => void loadPreview()} />
        ) : null}
        {preview.state === "ready" ? <PreviewSummary preview={preview.data} /> : null}
        {preview.state === "ready" && eligible > 0 ? (
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
      {preview.state === "ready" && eligible > 0 ? (
        <s-button
          slot="primary-action"
          variant="primary"
          loading={sending}
          disabled={sending || subjectTooLong || messageTooLong || subjectHtml || messageHtml}
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
  const { eligible, skipped, byReason } = preview.summary;
  const reasons = Object.entries(byReason).filter(([, count]) => count > 0);
  const onlyNewAccounts =
    eligible === 0 && reasons.length === 1 && reasons[0]?.[0] === "NEW_CUSTOMER_ACCOUNTS";
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
        <s-banner tone="warning" heading={t("newAccounts.heading")}>
          <s-paragraph>{t("newAccounts.body")}</s-paragraph>
        </s-banner>
      ) : eligible === 0 ? (
        <s-banner tone="warning" heading={t("nobodyEligible.heading")}>
          <s-paragraph>{t("nobodyEligible.body")}</s-paragraph>
        </s-banner>
      ) : null}
      {reasons.length > 0 && !onlyNewAccounts ? (
        <s-section heading={t("preview.skippedHeading")}>
          <s-unordered-list>
            {reasons.map(([reason, count]) => (
              <s-list-item key={reason}>
                {t("preview.reasonCount", { reason: reasonLabel(i18n, reason, messageFor(reason)), count })}
              </s-list-item>
            ))}
          </s-unordered-list>
        </s-section>
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
      {pollFailure && pollFailure.kind !== "network" && pollFailure.kind !== "server" ? (
        <ApiFailureBanner failure={pollFailure} i18n={i18n} />
      ) : pollFailure ? (
        <s-text tone="caution">{t("progress.refreshFailed")}</s-text>
      ) : null}
      {!final ? <s-paragraph color="subdued">{t("progress.closeNote")}</s-paragraph> : null}
      <s-link href={campaignHref(campaign.id)}>{t("progress.view")}</s-link>
    </s-stack>
  );
}
