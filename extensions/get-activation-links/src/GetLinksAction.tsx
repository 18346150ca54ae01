import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiFailureBanner } from "../../shared/src/ApiFailureBanner";
import { type ApiFailure, api, newIdempotencyKey } from "../../shared/src/apiClient";
import { type LinkExportStatus, type LinkExportView, MAX_LINKS_PER_EXPORT } from "../../shared/src/apiTypes";

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

function GetLinksAction() {
  const { i18n, close } = shopify;
  const t = i18n.translate;
  const [customerIds] = useState(() => shopify.data.selected.map((item) => item.id));
  // One key per dialog: a retry or a double click records one export.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [replace, setReplace] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startFailure, setStartFailure] = useState<ApiFailure | null>(null);
  const [linkExport, setLinkExport] = useState<LinkExportView | null>(null);
  const [pollFailure, setPollFailure] = useState<ApiFailure | null>(null);
  const [pollCount, setPollCount] = useState(0);
  const started = useRef(false);

  const tooMany = customerIds.length > MAX_LINKS_PER_EXPORT;

  useEffect(() => {
    if (!linkExport || !LIVE.includes(linkExport.status)) return;
    if (pollFailure?.kind === "unauthorized" || pollFailure?.kind === "notFound") return;
    let cancelled = false;
    const timer = setTimeout(
      async () => {
        const result = await api.getLinkExport(linkExport.id);
        if (cancelled) return;
        if (result.ok) {
          setPollFailure(null);
          setLinkExport(result.data.linkExport);
        } else setPollFailure(result.error);
        setPollCount((count) => count + 1);
      },
      pollFailure ? polling.intervalMs * 3 : polling.intervalMs,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [linkExport, pollCount, pollFailure]);

  async function start() {
    if (started.current) return;
    started.current = true;
    setStarting(true);
    setStartFailure(null);
    const result = await api.createLinkExport({ customerIds, replace, idempotencyKey });
    setStarting(false);
    if (result.ok) {
      setLinkExport(result.data.linkExport);
      return;
    }
    started.current = false;
    setStartFailure(result.error);
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
            <s-paragraph>{t("tooMany.body", { max: i18n.formatNumber(MAX_LINKS_PER_EXPORT) })}</s-paragraph>
          </s-banner>
        )}
        {closeButton}
      </s-admin-action>
    );
  }

  if (linkExport) {
    const ready = linkExport.status === "ready";
    return (
      <s-admin-action heading={t("heading")}>
        <ExportProgress linkExport={linkExport} pollFailure={pollFailure} />
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
        {startFailure ? (
          <ApiFailureBanner failure={startFailure} i18n={i18n} onRetry={() => void start()} />
        ) : null}
      </s-stack>
      <s-button
        slot="primary-action"
        variant="primary"
        loading={starting}
        disabled={starting}
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
        <s-stack direction="inline" gap="small" alignItems="center">
          <s-spinner accessibilityLabel={t("progress.working", { count: counts.pending })} />
          <s-text>{t("progress.working", { count: counts.pending })}</s-text>
        </s-stack>
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
      {pollFailure && pollFailure.kind !== "network" && pollFailure.kind !== "server" ? (
        <ApiFailureBanner failure={pollFailure} i18n={i18n} />
      ) : pollFailure ? (
        <s-text tone="caution">{t("progress.refreshFailed")}</s-text>
      ) : null}
      {LIVE.includes(linkExport.status) ? (
        <s-paragraph color="subdued">{t("progress.closeNote")}</s-paragraph>
      ) : null}
      {linkExport.status !== "ready" ? (
        <s-link href={exportHref(linkExport.id)}>{t("progress.view")}</s-link>
      ) : null}
    </s-stack>
  );
}
