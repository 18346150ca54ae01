import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { Card, EmptyState, IndexTable, Page, Pagination, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useTranslation } from "react-i18next";
import { CampaignProgress, progressCountsOf } from "~/components/CampaignProgress";
import { CampaignStatusBadge } from "~/components/CampaignStatusBadge";
import { NewCampaignTitleBar } from "~/components/NewCampaignTitleBar";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { useFormat } from "~/hooks/useFormat";
import { listCampaigns } from "~/routes/app.campaigns._index/campaignsList.server";
import { authenticate } from "~/shopify.server";

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const cursor = new URL(request.url).searchParams.get("cursor");
  return listCampaigns({ shop: session.shop, cursor });
};

export default function Campaigns() {
  const { campaigns, nextCursor } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Page>
      <NewCampaignTitleBar title={t("campaigns.title")} actionLabel={t("campaigns.newAction")} />
      <Card padding="0">
        {campaigns.length === 0 ? (
          <EmptyState
            heading={t("campaigns.emptyHeading")}
            action={{ content: t("campaigns.newAction"), url: "/app/campaigns/new" }}
            image=""
          >
            <p>{t("campaigns.emptyBody")}</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{
              singular: t("campaigns.resourceName.singular"),
              plural: t("campaigns.resourceName.plural"),
            }}
            itemCount={campaigns.length}
            selectable={false}
            loading={navigation.state === "loading"}
            headings={[
              { title: t("campaigns.columns.created") },
              { title: t("campaigns.columns.audience") },
              { title: t("campaigns.columns.status") },
              { title: t("campaigns.columns.total"), alignment: "end" },
              { title: t("campaigns.columns.progress") },
            ]}
          >
            {campaigns.map((campaign, index) => (
              <IndexTable.Row id={campaign.id} key={campaign.id} position={index}>
                <IndexTable.Cell>
                  <Link to={`/app/campaigns/${campaign.id}`}>{format.dateTime(campaign.createdAt)}</Link>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" truncate>
                    {campaign.origin === "automatic" || campaign.origin === "reminder"
                      ? t(`origins.${campaign.origin}`)
                      : (campaign.query ?? t("campaigns.selection"))}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <CampaignStatusBadge status={campaign.status} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {format.number(campaign.total)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <div style={{ minWidth: 220 }}>
                    <CampaignProgress compact counts={progressCountsOf(campaign)} />
                  </div>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
      {campaigns.length > 0 ? (
        <div style={{ display: "flex", justifyContent: "center", padding: 16 }}>
          <Pagination
            hasPrevious={false}
            hasNext={Boolean(nextCursor)}
            nextTooltip={t("campaigns.moreAction")}
            onNext={() => nextCursor && navigate(`?cursor=${nextCursor}`)}
          />
        </div>
      ) : null}
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
