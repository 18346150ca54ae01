import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiFailureBanner } from "../../shared/src/ApiFailureBanner";
import { CloseButton } from "../../shared/src/CloseButton";
import { type EmailFieldTexts, EmailTextFields, emailFieldLabels } from "../../shared/src/EmailFields";
import { LoadingLine } from "../../shared/src/LoadingLine";
import { AccountStateLine } from "../../shared/src/accountState";
import { type ApiFailure, api, newIdempotencyKey } from "../../shared/src/apiClient";
import type { ActivationUrlResponse, CustomerHistoryResponse, InviteResult } from "../../shared/src/apiTypes";
import { useEmailDraft } from "../../shared/src/emailDraft";
import { formatDateTime, reasonLabel } from "../../shared/src/reasons";

// "Account invite & activation link" on a customer's page (CUSTOMER_INVITE_TARGET): the customer's
// account state and last invite, one invite, or a personal activation link to copy. The link is a
// credential: it lives only in this component's state while the dialog is open — never logged, never
// put in storage.

export default async function extension() {
  render(<CustomerInviteAction />, document.body);
}

type Loadable<T> =
  { state: "loading" } | { state: "failed"; failure: ApiFailure } | { state: "ready"; data: T };

type LinkState =
  | { state: "idle" }
  | { state: "loading"; replace: boolean }
  | { state: "failed"; failure: ApiFailure }
  | { state: "conflict"; message: string | null; issuedAt: string | null }
  | { state: "issued"; link: ActivationUrlResponse; copied: "no" | "yes" | "failed" };

function CustomerInviteAction() {
  const { i18n, close } = shopify;
  const t = i18n.translate;
  // One key per dialog: a retry after a lost answer returns the first result instead of a second email.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [customerId] = useState(() => shopify.data.selected[0]?.id ?? null);
  const [history, setHistory] = useState<Loadable<CustomerHistoryResponse>>({ state: "loading" });
  const email = useEmailDraft();
  const [inviting, setInviting] = useState(false);
  const [invite, setInvite] = useState<{ result: InviteResult } | { failure: ApiFailure } | null>(null);
  const [link, setLink] = useState<LinkState>({ state: "idle" });
  const inviteStarted = useRef(false);

  async function loadHistory(quiet = false) {
    if (!customerId) return;
    if (!quiet) setHistory({ state: "loading" });
    const result = await api.getCustomerHistory(customerId);
    if (result.ok) setHistory({ state: "ready", data: result.data });
    else if (!quiet) setHistory({ state: "failed", failure: result.error });
  }

  useEffect(() => {
    void loadHistory();
    // Once per dialog: the customer does not change while it is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function sendInvite() {
    if (!customerId || inviteStarted.current || email.blocked) return;
    inviteStarted.current = true;
    setInviting(true);
    setInvite(null);
    const result = await api.sendInvite(customerId, email.options(), idempotencyKey);
    inviteStarted.current = false;
    setInviting(false);
    setInvite(result.ok ? { result: result.data.result } : { failure: result.error });
    if (result.ok) void loadHistory(true);
  }

  async function getLink(replace: boolean) {
    if (!customerId || link.state === "loading") return;
    setLink({ state: "loading", replace });
    const result = await api.createActivationUrl(customerId, replace);
    if (result.ok) {
      setLink({ state: "issued", link: result.data, copied: "no" });
      void loadHistory(true);
    } else if (result.error.kind === "conflict") {
      const { body, message } = result.error;
      setLink({
        state: "conflict",
        message,
        issuedAt: typeof body.issuedAt === "string" ? body.issuedAt : null,
      });
    } else {
      setLink({ state: "failed", failure: result.error });
    }
  }

  async function copyLink(issued: ActivationUrlResponse) {
    let copied: "yes" | "failed";
    try {
      // Admin runs extensions in a sandbox that may not offer the clipboard (then this throws); the
      // read-only field keeps the link selectable either way.
      await navigator.clipboard.writeText(issued.url);
      copied = "yes";
    } catch {
      copied = "failed";
    }
    setLink((current) => (current.state === "issued" ? { ...current, copied } : current));
  }

  const closeButton = <CloseButton i18n={i18n} close={close} />;

  if (!customerId) {
    return (
      <s-admin-action heading={t("heading")}>
        <s-banner tone="critical" heading={t("errors.notFound.heading")}>
          <s-paragraph>{t("errors.notFound.body")}</s-paragraph>
        </s-banner>
        {closeButton}
      </s-admin-action>
    );
  }

  if (history.state !== "ready") {
    return (
      <s-admin-action heading={t("heading")} loading={history.state === "loading"}>
        {history.state === "loading" ? (
          <LoadingLine label={t("loading")} />
        ) : (
          <ApiFailureBanner failure={history.failure} i18n={i18n} onRetry={() => void loadHistory()} />
        )}
        {closeButton}
      </s-admin-action>
    );
  }

  const { customer, events } = history.data;
  const active = customer.state === "ENABLED";
  const lastInvite = events.find((event) => event.type === "invite");
  const inviteFailure = invite && "failure" in invite ? invite.failure : null;
  const emailTexts: EmailFieldTexts = {
    subject: t("invite.subject"),
    message: t("invite.message"),
    tooLong: (max) => t("invite.tooLong", { max }),
    plainText: t("invite.plainText"),
  };

  return (
    <s-admin-action heading={t("heading")}>
      <s-stack gap="base">
        <AccountStateLine i18n={i18n} state={customer.state} />
        <s-text color="subdued">
          {lastInvite && lastInvite.type === "invite"
            ? t(`lastInvite.${lastInvite.status}`, {
                date: formatDateTime(i18n, lastInvite.at),
                reason: lastInvite.reason ? reasonLabel(i18n, lastInvite.reason, lastInvite.message) : "",
              })
            : t("lastInvite.none")}
        </s-text>
        {active ? (
          <s-banner tone="info" heading={t("alreadyActive.heading")}>
            <s-paragraph>{t("alreadyActive.body")}</s-paragraph>
          </s-banner>
        ) : (
          <>
            <s-section heading={t("invite.heading")}>
              <s-stack gap="small">
                <EmailTextFields
                  i18n={i18n}
                  draft={email}
                  sendFailure={inviteFailure}
                  texts={emailTexts}
                  rows={3}
                />
                {invite && "result" in invite ? <InviteOutcome result={invite.result} /> : null}
                {inviteFailure ? (
                  <ApiFailureBanner
                    failure={inviteFailure}
                    i18n={i18n}
                    onRetry={() => void sendInvite()}
                    fieldLabels={emailFieldLabels(emailTexts)}
                  />
                ) : null}
              </s-stack>
            </s-section>
            <s-section heading={t("link.heading")}>
              <ActivationLink
                link={link}
                onGet={() => void getLink(false)}
                onReplace={() => void getLink(true)}
                onKeep={() => setLink({ state: "idle" })}
                onCopy={(issued) => void copyLink(issued)}
              />
            </s-section>
          </>
        )}
      </s-stack>
      {!active ? (
        <s-button
          slot="primary-action"
          variant="primary"
          loading={inviting}
          disabled={inviting || email.blocked}
          onClick={() => void sendInvite()}
        >
          {t("invite.send")}
        </s-button>
      ) : null}
      {closeButton}
    </s-admin-action>
  );
}

function InviteOutcome({ result }: { result: InviteResult }) {
  const { i18n } = shopify;
  const t = i18n.translate;
  const reason = result.reason ? reasonLabel(i18n, result.reason, result.message) : (result.message ?? "");
  if (result.status === "sent") return <s-banner tone="success" heading={t("invite.sent")} />;
  if (result.status === "skipped")
    return <s-banner tone="warning" heading={t("invite.skipped", { reason })} />;
  return <s-banner tone="critical" heading={t("invite.failed", { reason })} />;
}

function ActivationLink({
  link,
  onGet,
  onReplace,
  onKeep,
  onCopy,
}: {
  link: LinkState;
  onGet: () => void;
  onReplace: () => void;
  onKeep: () => void;
  onCopy: (issued: ActivationUrlResponse) => void;
}) {
  const { i18n } = shopify;
  const t = i18n.translate;

  if (link.state === "issued") {
    return (
      <s-stack gap="small">
        <s-text-field label={t("link.label")} value={link.link.url} readOnly />
        <s-stack direction="inline" gap="small" alignItems="center">
          <s-button icon="clipboard" onClick={() => onCopy(link.link)}>
            {t("link.copy")}
          </s-button>
          <s-text color="subdued">
            {t("link.expires", { date: formatDateTime(i18n, link.link.expiresAt) })}
          </s-text>
        </s-stack>
        {link.copied === "yes" ? <s-text tone="success">{t("link.copied")}</s-text> : null}
        {link.copied === "failed" ? <s-text tone="caution">{t("link.copyFailed")}</s-text> : null}
      </s-stack>
    );
  }

  if (link.state === "conflict" || (link.state === "loading" && link.replace)) {
    const issuedAt = link.state === "conflict" ? link.issuedAt : null;
    return (
      <s-banner tone="warning" heading={t("link.conflict.heading")}>
        <s-paragraph>
          {issuedAt
            ? t("link.conflict.body", { date: formatDateTime(i18n, issuedAt) })
            : t("link.conflict.bodyNoDate")}
        </s-paragraph>
        <s-button
          slot="secondary-actions"
          tone="critical"
          loading={link.state === "loading"}
          onClick={onReplace}
        >
          {t("link.conflict.replace")}
        </s-button>
        <s-button slot="secondary-actions" onClick={onKeep}>
          {t("link.conflict.keep")}
        </s-button>
      </s-banner>
    );
  }

  return (
    <s-stack gap="small">
      <s-paragraph>{t("link.explain")}</s-paragraph>
      <s-button loading={link.state === "loading"} onClick={onGet}>
        {t("link.get")}
      </s-button>
      {link.state === "failed" ? (
        <ApiFailureBanner failure={link.failure} i18n={i18n} onRetry={onGet} />
      ) : null}
    </s-stack>
  );
}
