import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import {
  useActionData,
  useLoaderData,
  useNavigate,
  useNavigation,
  useSearchParams,
  useSubmit,
} from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  List,
  Modal,
  Page,
  Pagination,
  Select,
  Text,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CampaignFunnel } from "~/components/CampaignFunnel";
import { CampaignProgress } from "~/components/CampaignProgress";
import { CampaignStatusBadge, RecipientStatusBadge } from "~/components/CampaignStatusBadge";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { RECIPIENT_STATUSES } from "~/constants/invites";
import { useDownload } from "~/hooks/useDownload";
import { useFormat } from "~/hooks/useFormat";
import { useLivePolling } from "~/hooks/useLivePolling";
import { useMessage } from "~/hooks/useMessage";
import { useResultToast } from "~/hooks/useToast";
import { controlCampaign } from "~/services/campaigns/campaigns.server";
import { getCampaignDetail, recipientStatusFrom } from "~/routes/app.campaigns.$id/campaignDetail.server";
import { StaffPermissionBanner } from "~/components/StaffPermissionBanner";
import { customerWriteRefusalOf } from "~/services/staff/staffPermissions.server";
import { authenticate } from "~/shopify.server";
import { staffIdOf } from "~/utils/sessionToken.server";
import { message } from "~/i18n/message";
import { campaignIdFromParam } from "~/api/params";
import { customerNumber } from "~/utils/format";
import { CustomerCell } from "~/components/CustomerCell";
import { SectionCard } from "~/components/SectionCard";
import { readCustomerProfiles } from "~/services/shopify/customerProfiles.server";

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

/** The buttons that send (again) or settle invites: only for a staff member who may edit customers. */
const SENDING_INTENTS = new Set(["resume", "retry", "resend-uncertain", "mark-sent"]);

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session, sessionToken } = await authenticate.admin(request);
  const search = new URL(request.url).searchParams;
  const id = campaignIdFromParam(params.id);
  const detail = id
    ? await getCampaignDetail({
        shop: session.shop,
        id,
        status: recipientStatusFrom(search.get("status")),
        after: search.get("after"),
        before: search.get("before"),
      })
    : null;
  if (!detail) throw notFound();
  // The rows on screen as people: names and emails read live, never stored.
  const [people, refused] = await Promise.all([
    readCustomerProfiles({ graphql: admin.graphql, ids: detail.recipients.map((r) => r.customerId) }),
    customerWriteRefusalOf(request, { session, sessionToken }),
  ]);
  return { ...detail, people, sendRefusal: refused?.refusal ?? null };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, redirect, sessionToken } = await authenticate.admin(request);
  const id = campaignIdFromParam(params.id);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (SENDING_INTENTS.has(intent)) {
    const refused = await customerWriteRefusalOf(request, { session, sessionToken });
    if (refused) {
      return data(
        { ok: false, message: message(`staff.${refused.refusal}.title`), sendRefusal: refused.refusal },
        { status: refused.status },
      );
    }
  }
  const result = id
    ? await controlCampaign({ shop: session.shop, id, intent, requestedBy: staffIdOf(sessionToken) })
    : ({ kind: "not-found" } as const);
  if (result.kind === "not-found") throw notFound();
  if (result.kind === "invalid")
    return data({ ok: false, message: result.message, sendRefusal: null }, { status: 400 });
  if (result.kind === "retry-created") {
    return redirect(`/app/campaigns/${result.campaignId}?${result.created ? "created" : "existing"}=1`);
  }
  return data(
    { ok: result.kind === "changed", message: result.message, sendRefusal: null },
    { status: result.kind === "changed" ? 200 : 409 },
  );
};

/** The error boundary renders the message in the page's language. */
const notFound = () => Response.json(message("campaign.notFound"), { status: 404 });

export default function CampaignDetail() {
  const { campaign, recipients, page, people, sendRefusal: loadedRefusal } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const submit = useSubmit();
  const [searchParams, setSearchParams] = useSearchParams();
  const { download, busy } = useDownload();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const { t } = useTranslation();
  const format = useFormat();
  const { text, reasonText, failureText } = useMessage();
  const status = searchParams.get("status") ?? "";

  // Live progress: the loader reads maintained counters, so polling every 2 s is cheap.
  const live = campaign.status === "queued" || campaign.status === "running";
  useLivePolling(live);

  useResultToast(searchParams.get("created"), t("newCampaign.created"));
  useResultToast(searchParams.get("existing"), t("newCampaign.alreadyCreated"));
  useResultToast(
    actionData,
    actionData ? text(actionData.message) : null,
    actionData ? !actionData.ok : false,
  );

  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const act = (intent: string) => submit({ intent }, { method: "post" });
  const canPause = campaign.status === "queued" || campaign.status === "running";
  const canResume = campaign.status === "paused";
  const canCancel = canPause || canResume;
  const sendRefusal = actionData?.sendRefusal ?? loadedRefusal;
  const mayWrite = sendRefusal === null;
  const title =
    campaign.origin === "automatic" || campaign.origin === "reminder"
      ? t(`origins.${campaign.origin}`)
      : (campaign.query ?? t("campaigns.selection"));

  return (
    <Page
      backAction={{ content: t("campaign.backToList"), url: "/app/campaigns" }}
      title={title}
      titleMetadata={<CampaignStatusBadge status={campaign.status} />}
      subtitle={[
        t(`origins.${campaign.origin}`),
        campaign.dueAt && !campaign.startedAt
          ? t("campaign.dueAt", { date: format.dateTime(campaign.dueAt) })
          : format.dateTime(campaign.createdAt),
        ...(campaign.reminders
          ? [
              t("campaign.remindersLine", {
                count: campaign.reminders.max,
                days: campaign.reminders.afterDays,
              }),
            ]
          : []),
      ].join(" · ")}
    >
      <TitleBar title={t("campaign.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <StaffPermissionBanner refusal={sendRefusal} />
            {campaign.failureCode ? (
              <Banner tone="critical" title={t("campaign.failureHeading")}>
                <Text as="p">{failureText(campaign.failureCode, campaign.failureParams)}</Text>
              </Banner>
            ) : null}
            <SectionCard title={t("progress.label")} gap="300">
              <CampaignProgress
                counts={{
                  total: campaign.total,
                  targetsResolved: campaign.targetsResolved,
                  ...campaign.counts,
                }}
              />
              {campaign.bulkRead ? (
                <Text as="p" tone="subdued">
                  {t(`campaign.bulkRead.${campaign.bulkRead.phase}`, {
                    read: format.number(campaign.bulkRead.linesRead),
                  })}
                </Text>
              ) : null}
              <InlineStack gap="200">
                {canPause ? (
                  <Button onClick={() => act("pause")} loading={busyIntent === "pause"}>
                    {t("campaign.pause")}
                  </Button>
                ) : null}
                {canResume ? (
                  <Button
                    onClick={() => act("resume")}
                    loading={busyIntent === "resume"}
                    disabled={!mayWrite}
                  >
                    {t("campaign.resume")}
                  </Button>
                ) : null}
                {canCancel ? (
                  <Button
                    tone="critical"
                    onClick={() => setConfirmCancel(true)}
                    loading={busyIntent === "cancel"}
                  >
                    {t("campaign.cancel")}
                  </Button>
                ) : null}
                <Button
                  onClick={() => download(`/app/campaigns/${campaign.id}/csv`, {}, t("campaign.exported"))}
                  loading={busy}
                >
                  {t("campaign.exportCsv")}
                </Button>
                {campaign.counts.failed > 0 && !live ? (
                  <Button onClick={() => act("retry")} loading={busyIntent === "retry"} disabled={!mayWrite}>
                    {t("campaign.retryFailed")}
                  </Button>
                ) : null}
              </InlineStack>
            </SectionCard>
            {campaign.counts.sent > 0 ? (
              <SectionCard title={t("funnel.heading")} gap="300">
                <CampaignFunnel funnel={campaign.funnel} />
              </SectionCard>
            ) : null}
            {campaign.uncertain > 0 && !live ? (
              <Banner tone="warning" title={t("campaign.uncertainHelp")}>
                <InlineStack gap="200">
                  <Button
                    onClick={() => act("mark-sent")}
                    loading={busyIntent === "mark-sent"}
                    disabled={!mayWrite}
                  >
                    {t("campaign.markSent")}
                  </Button>
                  <Button
                    onClick={() => act("resend-uncertain")}
                    loading={busyIntent === "resend-uncertain"}
                    disabled={!mayWrite}
                  >
                    {t("campaign.resendUncertain")}
                  </Button>
                </InlineStack>
              </Banner>
            ) : null}
            {campaign.recentFailures.length > 0 ? (
              <Banner tone="critical" title={t("campaign.recentFailuresHeading")}>
                <List>
                  {campaign.recentFailures.map((failure) => (
                    <List.Item key={failure.customerId}>
                      {t("campaign.failureLine", {
                        customer: customerNumber(failure.customerId),
                        reason: reasonText(failure.reasonCode, failure.reasonParams),
                      })}
                    </List.Item>
                  ))}
                </List>
              </Banner>
            ) : null}
            <Card padding="0">
              <BlockStack gap="0">
                <div style={{ padding: 16 }}>
                  <InlineStack align="space-between" blockAlign="end">
                    <Text as="h2" variant="headingMd">
                      {t("campaign.recipientsHeading")}
                    </Text>
                    <div style={{ minWidth: 200 }}>
                      <Select
                        label={t("campaign.filterLabel")}
                        labelInline
                        options={[
                          { label: t("campaign.filterAll"), value: "" },
                          ...RECIPIENT_STATUSES.map((s) => ({ label: t(`recipientStatus.${s}`), value: s })),
                        ]}
                        value={status}
                        onChange={(value) => setSearchParams(value ? { status: value } : {})}
                      />
                    </div>
                  </InlineStack>
                  {people.access !== "granted" ? (
                    <Text as="p" variant="bodySm" tone="subdued">
                      {t(people.access === "denied" ? "people.idsOnly" : "people.unavailable")}
                    </Text>
                  ) : null}
                </div>
                {recipients.length === 0 ? (
                  <EmptyState
                    heading={status ? t("campaign.emptyRecipients") : t("campaign.resolvingRecipients")}
                    image=""
                  />
                ) : (
                  <IndexTable
                    resourceName={{
                      singular: t("campaign.resourceName.singular"),
                      plural: t("campaign.resourceName.plural"),
                    }}
                    itemCount={recipients.length}
                    selectable={false}
                    loading={navigation.state === "loading"}
                    headings={[
                      { title: t("campaign.columns.customer") },
                      { title: t("campaign.columns.status") },
                      { title: t("campaign.columns.reason") },
                      { title: t("campaign.columns.attempts"), alignment: "end" },
                      { title: t("campaign.columns.finishedAt") },
                    ]}
                  >
                    {recipients.map((r, index) => (
                      <IndexTable.Row id={r.id} key={r.id} position={index}>
                        <IndexTable.Cell>
                          <CustomerCell customerId={r.customerId} profile={people.profiles[r.customerId]} />
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <RecipientStatusBadge status={r.status} />
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <Text as="span" truncate>
                            {reasonText(r.reasonCode, r.reasonParams)}
                          </Text>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <Text as="span" alignment="end" numeric>
                            {format.number(r.attempts)}
                          </Text>
                        </IndexTable.Cell>
                        <IndexTable.Cell>{r.finishedAt ? format.dateTime(r.finishedAt) : ""}</IndexTable.Cell>
                      </IndexTable.Row>
                    ))}
                  </IndexTable>
                )}
                <div style={{ display: "flex", justifyContent: "center", padding: 16 }}>
                  <Pagination
                    hasPrevious={Boolean(page.previous)}
                    hasNext={Boolean(page.next)}
                    previousTooltip={t("common.previous")}
                    nextTooltip={t("common.next")}
                    onPrevious={() =>
                      page.previous &&
                      navigate(
                        `?${new URLSearchParams({ ...(status ? { status } : {}), before: page.previous })}`,
                      )
                    }
                    onNext={() =>
                      page.next &&
                      navigate(`?${new URLSearchParams({ ...(status ? { status } : {}), after: page.next })}`)
                    }
                  />
                </div>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <Modal
        open={confirmCancel}
        onClose={() => setConfirmCancel(false)}
        title={t("campaign.cancelConfirmTitle")}
        primaryAction={{
          content: t("campaign.cancel"),
          destructive: true,
          onAction: () => {
            setConfirmCancel(false);
            act("cancel");
          },
        }}
        secondaryActions={[{ content: t("campaign.keepRunning"), onAction: () => setConfirmCancel(false) }]}
      >
        <Modal.Section>
          <Text as="p">{t("campaign.cancelConfirmBody")}</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
