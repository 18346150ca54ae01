import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useState } from "preact/hooks";
import { ApiFailureBanner } from "../../shared/src/ApiFailureBanner";
import { CloseButton } from "../../shared/src/CloseButton";
import { LoadingLine } from "../../shared/src/LoadingLine";
import { SelectionNotice } from "../../shared/src/SelectionNotice";
import { type ApiFailure, type ApiResult, api } from "../../shared/src/apiClient";
import { type LinkExportStatus, type LinkExportView, MAX_LINKS_PER_EXPORT } from "../../shared/src/apiTypes";
import { RefreshFailure, useLiveProgress } from "../../shared/src/liveProgress";
import { useSubmitOnce } from "../../shared/src/submitOnce";

// "Get activation links" on the customer list (GET_LINKS_TARGET): starts a link export for the selected
// customers (one per dialog: idempotency key), with the 30-day guard and an explicit "replace" choice,
// and shows its progress while the app's worker issues the links. An admin action cannot save a file,
// and its API (2026-07) has no navigation object: like every admin UI extension it navigates through
// links with the `app:` protocol, which open the app's own page inside admin. So the download is handed
// over to the Activation links page (`app:app/links?export=<id>`), where only the staff member who asked
// can download the links, within the hour.

/** How often the dialog asks for the export's progress while links are issued (tests shorten it). */
export const polling = { intervalMs: 2_000 };

export default async function extension() {
  render(<GetLinksAction />, document.body);
}

/** The export's page in the app: `app:` links resolve against the app's URL inside admin. */
export function exportHref(exportId: string): string {
  return `app:app/links?export=${encodeURIComponent(exportId)}`;
}

const STATUS_TONE: Record<LinkExportStatus, "info" | "success" | "warning" | "neutral"> = {
  queued: "info",
  running: "info",
  ready: "success",
  downloaded: "neutral",
  expired: "warning",
};

const LIVE: readonly LinkExportStatus[] = ["queued", "running"];

const exportRunning = (linkExport: LinkExportView) => LIVE.includes(linkExport.status);

async function refreshExport(id: string): Promise<ApiResult<LinkExportView>> {
  const result = await api.getLinkExport(id);
  return result.ok ? { ...result, data: result.data.linkExport } : result;
}

function GetLinksAction() {
  const { i18n, close } = shopify;
  const t = i18n.translate;
  const [customerIds] = useState(() => shopify.data.selected.map((item) => item.id));
  const [replace, setReplace] = useState(false);
  const progress = useLiveProgress(polling, exportRunning, refreshExport);
  // One key per dialog: a retry or a double click records one export.
  const starting = useSubmitOnce((data: { linkExport: LinkExportView }) =>
    progress.setCurrent(data.linkExport),
  );
  const linkExport = progress.current;

  const tooMany = customerIds.length > MAX_LINKS_PER_EXPORT;

  async function start() {
    await starting.submit((idempotencyKey) => api.createLinkExport({ customerIds, replace, idempotencyKey }));
  }

  const closeButton = <CloseButton i18n={i18n} close={close} />;

  if (customerIds.length === 0 || tooMany) {
    return (
      <s-admin-action heading={t("heading")}>
        <SelectionNotice i18n={i18n} count={customerIds.length} max={MAX_LINKS_PER_EXPORT} />
        {closeButton}
      </s-admin-action>
    );
  }

  if (linkExport) {
    const ready = linkExport.status === "ready";
    return (
      <s-admin-action heading={t("heading")}>
        <ExportProgress linkExport={linkExport} pollFailure={progress.pollFailure} />
        {ready ? (
          <s-button slot="primary-action" variant="primary" href={exportHref(linkExport.id)}>
            {t("progress.download")}
          </s-button>
        ) : null}
        <s-button slot="secondary-actions" onClick={() => close()}>
          {ready ? t("close") : t("progress.later")}
        </s-button>
      </s-admin-action>
    );
  }

  return (
    <s-admin-action heading={t("heading")}>
      <s-stack gap="base">
        <s-text type="strong">{t("selected", { count: customerIds.length })}</s-text>
        <s-paragraph>{t("intro")}</s-paragraph>
        <s-checkbox
          label={t("replace.label")}
          details={t("replace.details")}
          checked={replace}
          onChange={(event) => setReplace(Boolean(event.currentTarget.checked))}
        />
        <s-banner tone="warning" heading={t("warning.heading")}>
          <s-paragraph>{t("warning.body")}</s-paragraph>
        </s-banner>
        {starting.failure ? (
          <ApiFailureBanner failure={starting.failure} i18n={i18n} onRetry={() => void start()} />
        ) : null}
      </s-stack>
      <s-button
        slot="primary-action"
        variant="primary"
        loading={starting.submitting}
        disabled={starting.submitting}
        onClick={() => void start()}
      >
        {t("start", { count: customerIds.length })}
      </s-button>
      {closeButton}
    </s-admin-action>
  );
}

function ExportProgress({
  linkExport,
  pollFailure,
}: {
  linkExport: LinkExportView;
  pollFailure: ApiFailure | null;
}) {
  const { i18n } = shopify;
  const t = i18n.translate;
  const { counts } = linkExport;
  const number = (value: number) => i18n.formatNumber(value);
  return (
    <s-stack gap="base">
      <s-stack direction="inline" gap="small" alignItems="center">
        <s-heading>{t("progress.heading")}</s-heading>
        <s-badge tone={STATUS_TONE[linkExport.status] ?? "neutral"}>
          {t(`progress.status.${linkExport.status}`)}
        </s-badge>
      </s-stack>
      <s-paragraph>
        {t("progress.counts", {
          issued: number(counts.issued),
          skipped: number(counts.skipped),
          failed: number(counts.failed),
          total: number(linkExport.total),
        })}
      </s-paragraph>
      {LIVE.includes(linkExport.status) ? (
        <LoadingLine label={t("progress.working", { count: counts.pending })} />
      ) : null}
      {linkExport.status === "ready" ? (
        <s-banner tone="success" heading={t("progress.ready.heading")}>
          <s-paragraph>{t("progress.ready.body")}</s-paragraph>
        </s-banner>
      ) : null}
      {linkExport.status === "expired" ? (
        <s-banner tone="warning" heading={t("progress.expired.heading")}>
          <s-paragraph>{t("progress.expired.body")}</s-paragraph>
        </s-banner>
      ) : null}
      <RefreshFailure failure={pollFailure} i18n={i18n} />
      {LIVE.includes(linkExport.status) ? (
        <s-paragraph color="subdued">{t("progress.closeNote")}</s-paragraph>
      ) : null}
      {linkExport.status !== "ready" ? (
        <s-link href={exportHref(linkExport.id)}>{t("progress.view")}</s-link>
      ) : null}
    </s-stack>
  );
}
