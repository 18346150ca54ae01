import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiFailureBanner } from "../../shared/src/ApiFailureBanner";
import { LoadingLine } from "../../shared/src/LoadingLine";
import { AccountStateLine, STATE_TONE } from "../../shared/src/accountState";
import { type ApiFailure, api } from "../../shared/src/apiClient";
import type { CustomerHistoryResponse, HistoryEvent, RecipientStatus } from "../../shared/src/apiTypes";
import { formatDateTime, reasonLabel } from "../../shared/src/reasons";

// The invite history block on a customer's page (INVITE_HISTORY_TARGET): the invites, activation
// links and account changes Account Invites knows of for this customer, newest first, one line each.

/** Lines shown in the block; older events are counted, not listed. */
export const MAX_EVENTS = 10;

export default async function extension() {
  render(<InviteHistoryBlock />, document.body);
}

type Tone = "info" | "success" | "warning" | "critical" | "neutral";

const INVITE_TONE: Record<RecipientStatus, Tone> = {
  queued: "info",
  sending: "info",
  sent: "success",
  skipped: "neutral",
  failed: "critical",
};

type Loadable =
  | { state: "loading" }
  | { state: "failed"; failure: ApiFailure }
  | { state: "ready"; data: CustomerHistoryResponse };

function InviteHistoryBlock() {
  const { i18n } = shopify;
  const t = i18n.translate;
  const [customerId] = useState(() => shopify.data.selected[0]?.id ?? null);
  const [history, setHistory] = useState<Loadable>({ state: "loading" });

  async function load() {
    if (!customerId) return;
    setHistory({ state: "loading" });
    const result = await api.getCustomerHistory(customerId);
    setHistory(
      result.ok ? { state: "ready", data: result.data } : { state: "failed", failure: result.error },
    );
  }

  useEffect(() => {
    void load();
    // Once per page view: the block belongs to one customer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (!customerId || history.state === "failed") {
    return (
      <s-admin-block heading={t("heading")}>
        {history.state === "failed" ? (
          <ApiFailureBanner failure={history.failure} i18n={i18n} onRetry={() => void load()} />
        ) : (
          <s-text>{t("errors.notFound.body")}</s-text>
        )}
      </s-admin-block>
    );
  }

  if (history.state === "loading") {
    return (
      <s-admin-block heading={t("heading")}>
        <LoadingLine label={t("loading")} />
      </s-admin-block>
    );
  }

  const { customer, events } = history.data;
  const shown = events.slice(0, MAX_EVENTS);
  const older = events.length - shown.length;
  return (
    <s-admin-block heading={t("heading")} collapsedSummary={t("summary", { count: events.length })}>
      <s-stack gap="small">
        <AccountStateLine i18n={i18n} state={customer.state} />
        {events.length === 0 ? <s-text color="subdued">{t("empty")}</s-text> : null}
        {shown.map((event, index) => (
          <EventLine key={`${event.type}-${event.at}-${index}`} event={event} />
        ))}
        {older > 0 ? <s-text color="subdued">{t("more", { count: older })}</s-text> : null}
      </s-stack>
    </s-admin-block>
  );
}

function EventLine({ event }: { event: HistoryEvent }) {
  const { i18n } = shopify;
  const t = i18n.translate;
  let badge: { tone: Tone; label: string };
  let detail: string | null = null;
  switch (event.type) {
    case "invite":
      badge = { tone: INVITE_TONE[event.status] ?? "neutral", label: t(`event.invite.${event.status}`) };
      detail = event.reason ? reasonLabel(i18n, event.reason, event.message) : null;
      break;
    case "activation_link":
      badge = { tone: "info", label: t("event.link") };
      detail = event.replacedAt
        ? t("event.linkReplaced", { date: formatDateTime(i18n, event.replacedAt) })
        : t("event.linkExpires", { date: formatDateTime(i18n, event.expiresAt) });
      break;
    case "state":
      badge = {
        tone: STATE_TONE[event.state] ?? "neutral",
        label: t("event.state", { state: t(`states.${event.state}`) }),
      };
      break;
    default:
      // An event type newer than this extension: left out rather than shown wrong.
      return null;
  }
  return (
    <s-stack direction="inline" gap="small" alignItems="center">
      <s-badge tone={badge.tone}>{badge.label}</s-badge>
      {detail ? <s-text>{detail}</s-text> : null}
      <s-text color="subdued">{formatDateTime(i18n, event.at)}</s-text>
    </s-stack>
  );
}
