import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useTranslation } from "react-i18next";
import { CampaignProgress, progressCountsOf } from "~/components/CampaignProgress";
import { CampaignStatusBadge } from "~/components/CampaignStatusBadge";
import { ClientOnlyActivationsChart, ClientOnlyChart } from "~/components/ClientOnlyChart";
import { CustomerAccountsNotice } from "~/components/CustomerAccountsNotice";
import { NewCampaignTitleBar } from "~/components/NewCampaignTitleBar";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { SectionCard } from "~/components/SectionCard";
import { CUSTOMER_STATES } from "~/constants/invites";
import { useFormat } from "~/hooks/useFormat";
import { getOverview } from "~/routes/app._index/overview.server";
import { authenticate } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  return getOverview({ graphql: admin.graphql, shop: session.shop });
};

export default function Overview() {
  const { shop, states, ledger, recentCampaigns, activations } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Page>
      <NewCampaignTitleBar title={t("overview.title")} actionLabel={t("nav.newCampaign")} />
      <Layout>
        <Layout.Section>
          <SectionCard title={t("overview.shopHeading")} gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Text as="p" variant="bodyLg" fontWeight="semibold">
                {shop.name}
              </Text>
              <Text as="span" tone="subdued">
                {shop.domain}
              </Text>
            </InlineStack>
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="200">
            <CustomerAccountsNotice mode={shop.accountsMode} />
            {shop.accountsMode === "new" ? (
              <Text as="p" tone="subdued">
                {t("overview.newAccountsCanStill")}
              </Text>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Figure label={t("overview.invitesSent")} value={format.number(ledger.invitesSent)} />
            <Figure
              label={t("overview.activationsSince")}
              value={
                ledger.activationsSince === null
                  ? t("overview.activationsNone")
                  : format.number(ledger.activationsSince)
              }
              help={
                ledger.firstInviteAt
                  ? t("overview.activationsSinceHelp", { date: format.dateTime(ledger.firstInviteAt) })
                  : undefined
              }
            />
            <Figure label={t("overview.linksIssued")} value={format.number(ledger.activationLinks)} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title={t("overview.activationsChartTitle")} gap="300">
            <ClientOnlyActivationsChart days={activations} />
            <Text as="p" variant="bodySm" tone="subdued">
              {t("overview.activationsChartHelp")}
            </Text>
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title={t("overview.statesHeading")} gap="300">
            {states ? (
              <>
                <ClientOnlyChart states={states} />
                <InlineStack gap="400">
                  {CUSTOMER_STATES.map((state) => (
                    <Text as="span" key={state} tone="subdued">
                      {t("overview.stateCount", {
                        state: t(`customerStates.${state}`),
                        value: states[state],
                      })}
                    </Text>
                  ))}
                </InlineStack>
              </>
            ) : (
              <Banner tone="warning">{t("overview.statesUnavailable")}</Banner>
            )}
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between">
                <Text as="h2" variant="headingMd">
                  {t("overview.recentHeading")}
                </Text>
                {recentCampaigns.length > 0 ? <Link to="/app/campaigns">{t("overview.viewAll")}</Link> : null}
              </InlineStack>
              {recentCampaigns.length === 0 ? (
                <EmptyState
                  heading={t("overview.emptyHeading")}
                  action={{ content: t("overview.emptyAction"), url: "/app/campaigns/new" }}
                  image=""
                >
                  <p>{t("overview.emptyBody")}</p>
                </EmptyState>
              ) : (
                <BlockStack gap="300">
                  {recentCampaigns.map((campaign) => (
                    <Box
                      key={campaign.id}
                      paddingBlockEnd="200"
                      borderBlockEndWidth="025"
                      borderColor="border"
                    >
                      <BlockStack gap="100">
                        <InlineStack gap="200" blockAlign="center">
                          <Link to={`/app/campaigns/${campaign.id}`}>
                            {campaign.query ?? t("campaigns.selection")}
                          </Link>
                          <CampaignStatusBadge status={campaign.status} />
                          <Text as="span" tone="subdued" variant="bodySm">
                            {format.dateTime(campaign.createdAt)}
                          </Text>
                        </InlineStack>
                        <CampaignProgress compact counts={progressCountsOf(campaign)} />
                      </BlockStack>
                    </Box>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Figure({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
        {help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export const ErrorBoundary = PageErrorBoundary;
