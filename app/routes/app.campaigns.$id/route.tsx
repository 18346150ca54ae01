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
  useRevalidator,
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
import { useEffect, useState } from "react";
import { CampaignProgress } from "~/components/CampaignProgress";
import { CampaignStatusBadge, RecipientStatusBadge } from "~/components/CampaignStatusBadge";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { RECIPIENT_STATUSES } from "~/constants/invites";
import { useDownload } from "~/hooks/useDownload";
import { useResultToast } from "~/hooks/useToast";
import { controlCampaign, getCampaignDetail, recipientStatusFrom } from "~/services/campaignPages.server";
import { authenticate } from "~/shopify.server";
import { strings } from "~/strings";
import { campaignIdFromParam } from "~/utils/api.server";
import { customerNumber, formatDateTime } from "~/utils/format";

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
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
  if (!detail) throw new Response(strings.campaign.notFound, { status: 404 });
  return detail;
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, redirect, sessionToken } = await authenticate.admin(request);
  const id = campaignIdFromParam(params.id);
  const form = await request.formData();
  const result = id
    ? await controlCampaign({
        shop: session.shop,
        id,
        intent: String(form.get("intent") ?? ""),
        requestedBy: sessionToken?.sub ? String(sessionToken.sub) : null,
      })
    : ({ kind: "not-found" } as const);
  if (result.kind === "not-found") throw new Response(strings.campaign.notFound, { status: 404 });
  if (result.kind === "invalid") return data({ ok: false, message: result.message }, { status: 400 });
  if (result.kind === "retry-created") {
    return redirect(`/app/campaigns/${result.campaignId}?${result.created ? "created" : "existing"}=1`);
  }
  return data(
    { ok: result.kind === "changed", message: result.message },
    { status: result.kind === "changed" ? 200 : 409 },
  );
};

const POLL_MS = 2_000;

export default function CampaignDetail() {
  const { campaign, recipients, page } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const submit = useSubmit();
  const revalidator = useRevalidator();
  const [searchParams, setSearchParams] = useSearchParams();
  const { download, busy } = useDownload();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const text = strings.campaign;
  const status = searchParams.get("status") ?? "";

  // Live progress: the loader reads maintained counters, so polling every 2 s is cheap.
  const live = campaign.status === "queued" || campaign.status === "running";
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [live, revalidator]);

  useResultToast(searchParams.get("created"), strings.newCampaign.created);
  useResultToast(searchParams.get("existing"), strings.newCampaign.alreadyCreated);
  useResultToast(actionData, actionData?.message ?? null, actionData ? !actionData.ok : false);

  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const act = (intent: string) => submit({ intent }, { method: "post" });
  const canPause = campaign.status === "queued" || campaign.status === "running";
  const canResume = campaign.status === "paused";
  const canCancel = canPause || canResume;
  const title = campaign.query ?? strings.campaigns.selection;

  return (
    <Page
      backAction={{ content: text.backToList, url: "/app/campaigns" }}
      title={title}
      titleMetadata={<CampaignStatusBadge status={campaign.status} />}
      subtitle={formatDateTime(campaign.createdAt)}
    >
      <TitleBar title={text.title} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {campaign.failureMessage ? (
              <Banner tone="critical" title={text.failureHeading}>
                <Text as="p">{campaign.failureMessage}</Text>
              </Banner>
            ) : null}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {strings.progress.label}
                </Text>
                <CampaignProgress
                  counts={{
                    total: campaign.total,
                    targetsResolved: campaign.targetsResolved,
                    ...campaign.counts,
                  }}
                />
                <InlineStack gap="200">
                  {canPause ? (
                    <Button onClick={() => act("pause")} loading={busyIntent === "pause"}>
                      {text.pause}
                    </Button>
                  ) : null}
                  {canResume ? (
                    <Button onClick={() => act("resume")} loading={busyIntent === "resume"}>
                      {text.resume}
                    </Button>
                  ) : null}
                  {canCancel ? (
                    <Button
                      tone="critical"
                      onClick={() => setConfirmCancel(true)}
                      loading={busyIntent === "cancel"}
                    >
                      {text.cancel}
                    </Button>
                  ) : null}
                  <Button
                    onClick={() => download(`/app/campaigns/${campaign.id}/csv`, {}, text.exported)}
                    loading={busy}
                  >
                    {text.exportCsv}
                  </Button>
                  {campaign.counts.failed > 0 && !live ? (
                    <Button onClick={() => act("retry")} loading={busyIntent === "retry"}>
                      {text.retryFailed}
                    </Button>
                  ) : null}
                </InlineStack>
              </BlockStack>
            </Card>
            {campaign.recentFailures.length > 0 ? (
              <Banner tone="critical" title={text.recentFailuresHeading}>
                <List>
                  {campaign.recentFailures.map((failure) => (
                    <List.Item key={failure.customerId}>
                      {customerNumber(failure.customerId)}: {failure.message ?? failure.reason}
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
                      {text.recipientsHeading}
                    </Text>
                    <div style={{ minWidth: 200 }}>
                      <Select
                        label={text.filterLabel}
                        labelInline
                        options={[
                          { label: text.filterAll, value: "" },
                          ...RECIPIENT_STATUSES.map((s) => ({ label: strings.recipientStatus[s], value: s })),
                        ]}
                        value={status}
                        onChange={(value) => setSearchParams(value ? { status: value } : {})}
                      />
                    </div>
                  </InlineStack>
                </div>
                {recipients.length === 0 ? (
                  <EmptyState heading={status ? text.emptyRecipients : text.resolvingRecipients} image="" />
                ) : (
                  <IndexTable
                    resourceName={text.resourceName}
                    itemCount={recipients.length}
                    selectable={false}
                    loading={navigation.state === "loading"}
                    headings={[
                      { title: text.columns.customer },
                      { title: text.columns.status },
                      { title: text.columns.reason },
                      { title: text.columns.attempts, alignment: "end" },
                      { title: text.columns.finishedAt },
                    ]}
                  >
                    {recipients.map((r, index) => (
                      <IndexTable.Row id={r.id} key={r.id} position={index}>
                        <IndexTable.Cell>{customerNumber(r.customerId)}</IndexTable.Cell>
                        <IndexTable.Cell>
                          <RecipientStatusBadge status={r.status} />
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <Text as="span" truncate>
                            {r.reasonMessage ?? ""}
                          </Text>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <Text as="span" alignment="end" numeric>
                            {r.attempts}
                          </Text>
                        </IndexTable.Cell>
                        <IndexTable.Cell>{r.finishedAt ? formatDateTime(r.finishedAt) : ""}</IndexTable.Cell>
                      </IndexTable.Row>
                    ))}
                  </IndexTable>
                )}
                <div style={{ display: "flex", justifyContent: "center", padding: 16 }}>
                  <Pagination
                    hasPrevious={Boolean(page.previous)}
                    hasNext={Boolean(page.next)}
                    previousTooltip={strings.common.previous}
                    nextTooltip={strings.common.next}
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
        title={text.cancelConfirmTitle}
        primaryAction={{
          content: text.cancel,
          destructive: true,
          onAction: () => {
            setConfirmCancel(false);
            act("cancel");
          },
        }}
        secondaryActions={[{ content: text.keepRunning, onAction: () => setConfirmCancel(false) }]}
      >
        <Modal.Section>
          <Text as="p">{text.cancelConfirmBody}</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
