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
  TextField,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { RecipientStatusBadge } from "~/components/CampaignStatusBadge";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { useDownload } from "~/hooks/useDownload";
import { listHistory, parseHistoryFilters } from "~/services/history.server";
import { authenticate } from "~/shopify.server";
import { strings } from "~/strings";
import { customerNumber, fill, formatDateTime } from "~/utils/format";

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const filters = parseHistoryFilters(params);
  if (!filters.success) return { rows: [], nextCursor: null, errors: filters.errors, filtered: true };
  const page = await listHistory({ shop: session.shop, filters: filters.data, cursor: params.get("cursor") });
  return { ...page, errors: null, filtered: Object.keys(filters.data).length > 0 };
};

const FILTER_KEYS = ["customerId", "staff", "kind", "from", "to"] as const;

export default function History() {
  const { rows, nextCursor, errors, filtered } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const { download, busy } = useDownload();
  const text = strings.history;
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
    <Page title={text.title}>
      <TitleBar title={text.title}>
        <button onClick={() => download(`/app/history/csv?${filterQuery()}`, {}, text.exported)}>
          {text.exportCsv}
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
                <TextField
                  label={text.customerLabel}
                  value={values.customerId}
                  onChange={set("customerId")}
                  autoComplete="off"
                  error={errors?.customerId}
                />
                <TextField
                  label={text.staffLabel}
                  value={values.staff}
                  onChange={set("staff")}
                  autoComplete="off"
                  error={errors?.staff}
                />
                <Select
                  label={text.kindLabel}
                  options={[
                    { label: text.kindAll, value: "" },
                    { label: text.kindInvite, value: "invite" },
                    { label: text.kindLink, value: "activation_link" },
                  ]}
                  value={values.kind}
                  onChange={set("kind")}
                  error={errors?.kind}
                />
                <TextField
                  label={text.fromLabel}
                  type="date"
                  value={values.from}
                  onChange={set("from")}
                  autoComplete="off"
                  error={errors?.from}
                />
                <TextField
                  label={text.toLabel}
                  type="date"
                  value={values.to}
                  onChange={set("to")}
                  autoComplete="off"
                  error={errors?.to}
                />
              </InlineGrid>
              <InlineStack gap="200">
                <Button submit variant="primary" loading={navigation.state === "loading"}>
                  {text.apply}
                </Button>
                <Button
                  onClick={() => {
                    setValues(Object.fromEntries(FILTER_KEYS.map((key) => [key, ""])));
                    navigate("?");
                  }}
                >
                  {text.clear}
                </Button>
                <Button
                  onClick={() => download(`/app/history/csv?${filterQuery()}`, {}, text.exported)}
                  loading={busy}
                >
                  {text.exportCsv}
                </Button>
              </InlineStack>
            </BlockStack>
          </form>
        </Card>
        <Card padding="0">
          {rows.length === 0 ? (
            <EmptyState heading={filtered ? text.empty : text.emptyAll} image="" />
          ) : (
            <IndexTable
              resourceName={text.resourceName}
              itemCount={rows.length}
              selectable={false}
              loading={navigation.state === "loading"}
              headings={[
                { title: text.columns.at },
                { title: text.columns.kind },
                { title: text.columns.customer },
                { title: text.columns.staff },
                { title: text.columns.status },
                { title: text.columns.detail },
              ]}
            >
              {rows.map((row, index) => (
                <IndexTable.Row id={row.id} key={row.id} position={index}>
                  <IndexTable.Cell>{formatDateTime(row.at)}</IndexTable.Cell>
                  <IndexTable.Cell>{row.kind === "invite" ? text.kindInvite : text.kindLink}</IndexTable.Cell>
                  <IndexTable.Cell>{customerNumber(row.customerId)}</IndexTable.Cell>
                  <IndexTable.Cell>{row.staff ?? ""}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {row.kind === "invite" ? (
                      <RecipientStatusBadge status={row.status} />
                    ) : (
                      <Badge tone={row.status === "issued" ? "success" : undefined}>
                        {row.status === "issued" ? text.linkIssued : text.linkReplaced}
                      </Badge>
                    )}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {row.campaignId ? (
                      <Link to={`/app/campaigns/${row.campaignId}`}>
                        {row.message ?? strings.campaign.title}
                      </Link>
                    ) : row.expiresAt ? (
                      <Text as="span" tone="subdued">
                        {fill(text.expires, { date: formatDateTime(row.expiresAt) })}
                      </Text>
                    ) : null}
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
        {rows.length > 0 ? (
          <InlineStack align="center">
            <Pagination
              hasPrevious={Boolean(searchParams.get("cursor"))}
              onPrevious={() => navigate(-1)}
              hasNext={Boolean(nextCursor)}
              nextTooltip={text.more}
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
