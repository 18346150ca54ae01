import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineStack,
  Layout,
  Link,
  Page,
  ProgressBar,
  Select,
  Text,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { FormTextField } from "~/components/FormTextField";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { StaffPermissionBanner } from "~/components/StaffPermissionBanner";
import { SectionCard } from "~/components/SectionCard";
import { withLocale } from "~/hooks/useDownload";
import { useFormat } from "~/hooks/useFormat";
import { useLivePolling } from "~/hooks/useLivePolling";
import { useMessage } from "~/hooks/useMessage";
import { resolveLocale } from "~/i18n/locales";
import { message, type FieldMessages } from "~/i18n/message";
import { MAX_LINKS_PER_EXPORT } from "~/constants/linkExports";
import {
  getLinkExportView,
  listLinkExportViews,
  parseLinkExportForm,
  startLinkExport,
  type LinkExportView,
} from "~/services/activationLinks/linkExport.server";
import { ShopifyUnavailable } from "~/services/shopify/adminRequest.server";
import { customerWriteRefusalOf } from "~/services/staff/staffPermissions.server";
import { authenticate } from "~/shopify.server";
import { staffIdOf } from "~/utils/sessionToken.server";

// The Activation links page: starts an export (typed ids or a search; the customer list's "Get
// activation links" action starts one from a selection and hands over here with `?export=<id>`),
// shows its progress while the worker issues the links, and offers the download to the staff member
// who asked. The page fetches the CSV with the session token, saves it, and confirms receipt with the
// file's SHA-256: only then are the links deleted. Until then (at most an hour) the download can be
// repeated. Staff members see only their own exports. Starting an export, and downloading one, needs
// customer-write permission (decision 008): without it the page shows why and its buttons are disabled,
// and the action (like the download route) answers 403. README "Activation link exports".

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const staffId = staffIdOf(sessionToken);
  const refused = await customerWriteRefusalOf(request, { session, sessionToken });
  const exportId = new URL(request.url).searchParams.get("export");
  const [current, recent] = staffId
    ? await Promise.all([
        exportId ? getLinkExportView({ shop: session.shop, requestedBy: staffId, id: exportId }) : null,
        listLinkExportViews({ shop: session.shop, requestedBy: staffId }),
      ])
    : [null, []];
  return {
    max: MAX_LINKS_PER_EXPORT,
    current,
    recent,
    missing: Boolean(exportId) && !current,
    sendRefusal: refused?.refusal ?? null,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session, redirect, sessionToken } = await authenticate.admin(request);
  const staffId = staffIdOf(sessionToken);
  if (!staffId)
    return data({ errors: { form: message("api.linkExportStaffOnly") } as FieldMessages }, { status: 403 });
  const refused = await customerWriteRefusalOf(request, { session, sessionToken });
  if (refused)
    return data(
      { errors: { form: message(`api.${refused.refusal}`) } as FieldMessages, refusal: refused.refusal },
      { status: refused.status },
    );
  const input = parseLinkExportForm(await request.formData());
  if (!input.success) return data({ errors: input.errors }, { status: 400 });
  try {
    const started = await startLinkExport({
      graphql: admin.graphql,
      shop: session.shop,
      requestedBy: staffId,
      input: input.data,
    });
    if (!started.ok) return data({ errors: started.errors }, { status: 400 });
    return redirect(`/app/links?export=${started.linkExport.id}`);
  } catch (error) {
    if (error instanceof ShopifyUnavailable)
      return data(
        { errors: { form: message(`errors.shopify.${error.reason}`) } as FieldMessages },
        { status: 503 },
      );
    throw error;
  }
};

export default function ActivationLinks() {
  const { max, current, recent, missing, sendRefusal } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const { text } = useMessage();
  const [source, setSource] = useState<"ids" | "query">("ids");
  const [customerIds, setCustomerIds] = useState("");
  const [query, setQuery] = useState("");
  const [replace, setReplace] = useState(false);
  // Polaris sizes a multiline field in the browser (its style differs from the server's), so the ids
  // field becomes multiline after hydration: the extension hands over with a full page load.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const errors = actionData?.errors ?? null;

  return (
    <Page title={t("links.title")}>
      <TitleBar title={t("links.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <StaffPermissionBanner refusal={sendRefusal} />
            <Banner tone="warning" title={t("links.warningTitle")}>
              <Text as="p">{t("links.warning")}</Text>
            </Banner>
            {missing ? <Banner tone="critical">{t("links.exportMissing")}</Banner> : null}
            {current ? <ExportCard linkExport={current} refused={sendRefusal !== null} /> : null}
            <Card>
              <Form method="post">
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    {t("links.newExport")}
                  </Text>
                  {errors?.form ? <Banner tone="critical">{text(errors.form)}</Banner> : null}
                  <Select
                    label={t("links.sourceLabel")}
                    name="source"
                    options={[
                      { label: t("links.sourceIds"), value: "ids" },
                      { label: t("links.sourceQuery"), value: "query" },
                    ]}
                    value={source}
                    onChange={(value) => setSource(value === "query" ? "query" : "ids")}
                  />
                  {source === "ids" ? (
                    <FormTextField
                      label={t("links.idsLabel")}
                      name="customerIds"
                      value={customerIds}
                      onChange={setCustomerIds}
                      multiline={hydrated ? 6 : false}
                      helpText={t("links.idsHelp", { max })}
                      errors={errors}
                    />
                  ) : (
                    <FormTextField
                      label={t("links.queryLabel")}
                      name="query"
                      value={query}
                      onChange={setQuery}
                      helpText={t("links.queryHelp", { count: max })}
                      errors={errors}
                    />
                  )}
                  <Checkbox
                    label={t("links.replaceLabel")}
                    helpText={t("links.replaceHelp")}
                    checked={replace}
                    onChange={setReplace}
                  />
                  {replace ? <input type="hidden" name="replace" value="on" /> : null}
                  <Text as="p" tone="subdued">
                    {t("links.startHelp")}
                  </Text>
                  <div>
                    <Button
                      submit
                      variant="primary"
                      loading={navigation.state === "submitting"}
                      disabled={sendRefusal !== null}
                    >
                      {t("links.submit")}
                    </Button>
                  </div>
                </BlockStack>
              </Form>
            </Card>
            <RecentExports exports={recent} currentId={current?.id ?? null} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

const STATUS_TONE: Record<LinkExportView["status"], "info" | "success" | "attention" | undefined> = {
  queued: "info",
  running: "info",
  ready: "success",
  downloaded: undefined,
  expired: "attention",
};

/** One export: its progress while the worker issues links, then the download. */
function ExportCard({ linkExport, refused }: { linkExport: LinkExportView; refused: boolean }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const shopify = useAppBridge();
  const revalidator = useRevalidator();
  const [saving, setSaving] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const live = linkExport.status === "queued" || linkExport.status === "running";

  useLivePolling(live);

  const { issued, skipped, failed: failedCount, pending } = linkExport.counts;
  const settled = issued + skipped + failedCount;
  const locale = resolveLocale(i18n.language);

  // Fetch with the session token (App Bridge adds it to fetch), save, then confirm with the digest of
  // what arrived. A failure anywhere before the confirmation leaves the links in place for another try.
  const downloadAndConfirm = async () => {
    setSaving(true);
    setFailed(null);
    try {
      const response = await fetch(withLocale(`/app/links/${linkExport.id}/csv`, locale));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const bytes = await response.arrayBuffer();
      const disposition = response.headers.get("Content-Disposition") ?? "";
      const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? "activation-links.csv";
      const href = URL.createObjectURL(new Blob([bytes], { type: "text/csv" }));
      const anchor = document.createElement("a");
      anchor.href = href;
      anchor.download = name;
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
      const digest = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)))
        .map((byte) => byte.toString(16).padStart(2, "0"))
        .join("");
      const body = new FormData();
      body.set("sha256", digest);
      const confirmed = await fetch(withLocale(`/app/links/${linkExport.id}/confirm`, locale), {
        method: "POST",
        body,
      });
      if (!confirmed.ok) throw new Error(`HTTP ${confirmed.status}`);
      shopify.toast.show(t("links.downloaded"));
      revalidator.revalidate();
    } catch {
      setFailed(t("links.downloadFailed"));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("links.exportHeading", { date: format.dateTime(linkExport.createdAt) })}
          </Text>
          <Badge tone={STATUS_TONE[linkExport.status]}>{t(`links.status.${linkExport.status}`)}</Badge>
        </InlineStack>
        <Text as="p">{sourceText(t, linkExport)}</Text>
        <Text as="p">
          {t("links.progress", {
            issued: format.number(issued),
            skipped: format.number(skipped),
            failed: format.number(failedCount),
            total: format.number(linkExport.total),
          })}
        </Text>
        {live ? (
          <BlockStack gap="100">
            <ProgressBar
              progress={linkExport.total > 0 ? Math.round((settled / linkExport.total) * 100) : 0}
              size="small"
            />
            <Text as="p" tone="subdued">
              {t("links.working", { count: pending })}
            </Text>
          </BlockStack>
        ) : null}
        {linkExport.truncated ? (
          <Banner tone="info">{t("links.truncated", { max: MAX_LINKS_PER_EXPORT })}</Banner>
        ) : null}
        {linkExport.status === "ready" ? (
          <BlockStack gap="200">
            <Text as="p">{t("links.readyUntil", { date: format.dateTime(linkExport.expiresAt) })}</Text>
            {failed ? <Banner tone="critical">{failed}</Banner> : null}
            <div>
              <Button
                variant="primary"
                loading={saving}
                disabled={refused}
                onClick={() => void downloadAndConfirm()}
              >
                {t("links.download")}
              </Button>
            </div>
          </BlockStack>
        ) : null}
        {linkExport.status === "downloaded" ? (
          <Text as="p">{t("links.cleared", { date: format.dateTime(linkExport.clearedAt) })}</Text>
        ) : null}
        {linkExport.status === "expired" ? (
          <Banner tone="warning">
            {t("links.expired", { date: format.dateTime(linkExport.expiresAt) })}
          </Banner>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function sourceText(t: ReturnType<typeof useTranslation>["t"], linkExport: LinkExportView): string {
  const base =
    linkExport.source === "query"
      ? t("links.sourceOfQuery", { query: linkExport.query ?? "" })
      : t("links.sourceOfSelection");
  return linkExport.replace ? `${base} ${t("links.withReplace")}` : base;
}

function RecentExports({ exports, currentId }: { exports: LinkExportView[]; currentId: string | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (exports.length === 0) return null;
  return (
    <SectionCard title={t("links.recentHeading")} description={t("links.recentHelp")} gap="300">
      <BlockStack gap="200">
        {exports.map((item) => (
          <InlineStack key={item.id} gap="300" blockAlign="center" wrap>
            <Link url={`/app/links?export=${item.id}`} removeUnderline={item.id === currentId}>
              {format.dateTime(item.createdAt)}
            </Link>
            <Badge tone={STATUS_TONE[item.status]}>{t(`links.status.${item.status}`)}</Badge>
            <Text as="span" tone="subdued">
              {t("links.progress", {
                issued: format.number(item.counts.issued),
                skipped: format.number(item.counts.skipped),
                failed: format.number(item.counts.failed),
                total: format.number(item.total),
              })}
            </Text>
          </InlineStack>
        ))}
      </BlockStack>
    </SectionCard>
  );
}

export const ErrorBoundary = PageErrorBoundary;
