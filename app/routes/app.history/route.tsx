import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Page,
  Pagination,
  Select,
  Text,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CAMPAIGN_ORIGINS } from "~/constants/invites";
import { FormTextField } from "~/components/FormTextField";
import { RecipientStatusBadge } from "~/components/CampaignStatusBadge";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { useDownload } from "~/hooks/useDownload";
import { useFormat } from "~/hooks/useFormat";
import { useMessage } from "~/hooks/useMessage";
import { listHistory, parseHistoryFilters } from "~/services/history/history.server";
import { authenticate } from "~/shopify.server";
import { CustomerCell } from "~/components/CustomerCell";
import { readCustomerProfiles, type ProfilesRead } from "~/services/shopify/customerProfiles.server";

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const filters = parseHistoryFilters(params);
  const none: ProfilesRead = { access: "granted", profiles: {} };
  if (!filters.success)
    return { rows: [], nextCursor: null, errors: filters.errors, filtered: true, people: none };
  const page = await listHistory({ shop: session.shop, filters: filters.data, cursor: params.get("cursor") });
  // The rows on screen as people: names and emails read live, never stored.
  const people = await readCustomerProfiles({
    graphql: admin.graphql,
    ids: page.rows.map((r) => r.customerId),
  });
  return { ...page, errors: null, filtered: Object.keys(filters.data).length > 0, people };
};

const FILTER_KEYS = ["customerId", "staff", "kind", "origin", "from", "to"] as const;

export default function History() {
  const { rows, nextCursor, errors, filtered, people } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const { download, busy } = useDownload();
  const { t } = useTranslation();
  const format = useFormat();
  const { reasonText, fieldError } = useMessage();
  const [values, setValues] = useState(() =>
    Object.fromEntries(FILTER_KEYS.map((key) => [key, searchParams.get(key) ?? ""])),
  );
  const set = (key: string) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const filterQuery = () => {
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) if (values[key]?.trim()) params.set(key, values[key].trim());
    return params;
  };

  return (
    <Page title={t("history.title")}>
      <TitleBar title={t("history.title")}>
        <button onClick={() => download(`/app/history/csv?${filterQuery()}`, {}, t("history.exported"))}>
          {t("history.exportCsv")}
        </button>
      </TitleBar>
      <BlockStack gap="400">
        <Card>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              navigate(`?${filterQuery()}`);
            }}
          >
            <BlockStack gap="300">
              <InlineGrid columns={{ xs: 1, md: 5 }} gap="300">
                <FormTextField
                  label={t("history.customerLabel")}
                  value={values.customerId}
                  onChange={set("customerId")}
                  errors={errors}
                  errorFields={["customerId"]}
                />
                <FormTextField
                  label={t("history.staffLabel")}
                  value={values.staff}
                  onChange={set("staff")}
                  errors={errors}
                  errorFields={["staff"]}
                />
                <Select
                  label={t("history.kindLabel")}
                  options={[
                    { label: t("history.kindAll"), value: "" },
                    { label: t("history.kindInvite"), value: "invite" },
                    { label: t("history.kindLink"), value: "activation_link" },
                  ]}
                  value={values.kind}
                  onChange={set("kind")}
                  error={fieldError(errors, "kind")}
                />
                <Select
                  label={t("history.originLabel")}
                  options={[
                    { label: t("history.originAll"), value: "" },
                    ...CAMPAIGN_ORIGINS.map((origin) => ({ label: t(`origins.${origin}`), value: origin })),
                  ]}
                  value={values.origin}
                  onChange={set("origin")}
                  error={fieldError(errors, "origin")}
                />
                <FormTextField
                  label={t("history.fromLabel")}
                  type="date"
                  value={values.from}
                  onChange={set("from")}
                  errors={errors}
                  errorFields={["from"]}
                />
                <FormTextField
                  label={t("history.toLabel")}
                  type="date"
                  value={values.to}
                  onChange={set("to")}
                  errors={errors}
                  errorFields={["to"]}
                />
              </InlineGrid>
              <InlineStack gap="200">
                <Button submit variant="primary" loading={navigation.state === "loading"}>
                  {t("history.apply")}
                </Button>
                <Button
                  onClick={() => {
                    setValues(Object.fromEntries(FILTER_KEYS.map((key) => [key, ""])));
                    navigate("?");
                  }}
                >
                  {t("history.clear")}
                </Button>
                <Button
                  onClick={() => download(`/app/history/csv?${filterQuery()}`, {}, t("history.exported"))}
                  loading={busy}
                >
                  {t("history.exportCsv")}
                </Button>
              </InlineStack>
            </BlockStack>
          </form>
        </Card>
        <Card padding="0">
          {rows.length === 0 ? (
            <EmptyState heading={filtered ? t("history.empty") : t("history.emptyAll")} image="" />
          ) : (
            <>
              {people.access !== "granted" ? (
                <div style={{ padding: 12 }}>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {t(people.access === "denied" ? "people.idsOnly" : "people.unavailable")}
                  </Text>
                </div>
              ) : null}
              <IndexTable
                resourceName={{
                  singular: t("history.resourceName.singular"),
                  plural: t("history.resourceName.plural"),
                }}
                itemCount={rows.length}
                selectable={false}
                loading={navigation.state === "loading"}
                headings={[
                  { title: t("history.columns.at") },
                  { title: t("history.columns.kind") },
                  { title: t("history.columns.source") },
                  { title: t("history.columns.customer") },
                  { title: t("history.columns.staff") },
                  { title: t("history.columns.status") },
                  { title: t("history.columns.detail") },
                ]}
              >
                {rows.map((row, index) => (
                  <IndexTable.Row id={row.id} key={row.id} position={index}>
                    <IndexTable.Cell>{format.dateTime(row.at)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {row.kind === "invite" ? t("history.kindInvite") : t("history.kindLink")}
                    </IndexTable.Cell>
                    <IndexTable.Cell>{row.origin ? t(`origins.${row.origin}`) : ""}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <CustomerCell customerId={row.customerId} profile={people.profiles[row.customerId]} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>{row.staff ?? ""}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {row.kind === "invite" ? (
                        <InlineStack gap="100">
                          <RecipientStatusBadge status={row.status} />
                          {row.outcome ? (
                            <Badge tone={row.outcome === "activated" ? "success" : undefined}>
                              {t(`outcomes.${row.outcome}`)}
                            </Badge>
                          ) : null}
                        </InlineStack>
                      ) : (
                        <Badge tone={row.status === "issued" ? "success" : undefined}>
                          {row.status === "issued" ? t("history.linkIssued") : t("history.linkReplaced")}
                        </Badge>
                      )}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {row.campaignId ? (
                        <Link to={`/app/campaigns/${row.campaignId}`}>
                          {row.reason ? reasonText(row.reason, row.reasonParams) : t("campaign.title")}
                        </Link>
                      ) : row.expiresAt ? (
                        <Text as="span" tone="subdued">
                          {t("history.expires", { date: format.dateTime(row.expiresAt) })}
                        </Text>
                      ) : null}
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </>
          )}
        </Card>
        {rows.length > 0 ? (
          <InlineStack align="center">
            <Pagination
              hasPrevious={Boolean(searchParams.get("cursor"))}
              onPrevious={() => navigate(-1)}
              hasNext={Boolean(nextCursor)}
              nextTooltip={t("history.more")}
              onNext={() => {
                if (!nextCursor) return;
                const params = new URLSearchParams(searchParams);
                params.set("cursor", nextCursor);
                navigate(`?${params}`);
              }}
            />
          </InlineStack>
        ) : null}
      </BlockStack>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
