import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Checkbox,
  ChoiceList,
  InlineStack,
  Layout,
  List,
  Modal,
  Page,
  Spinner,
  Text,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { FixFieldsBanner } from "~/components/FixFieldsBanner";
import { FormTextField } from "~/components/FormTextField";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { CUSTOMER_STATES, type CustomerState } from "~/constants/invites";
import { useFormat } from "~/hooks/useFormat";
import { useMessage } from "~/hooks/useMessage";
import { ShopifyUnavailable } from "~/services/shopify/adminRequest.server";
import { buildCustomerQuery, parseTags } from "~/services/customers/customerSearch";
import {
  createCampaignFromPage,
  getAudienceEstimate,
  getNewCampaignPage,
} from "~/routes/app.campaigns.new/newCampaign.server";
import { StaffPermissionBanner } from "~/components/StaffPermissionBanner";
import { SectionCard } from "~/components/SectionCard";
import { customerWriteRefusalOf } from "~/services/staff/staffPermissions.server";
import { message } from "~/i18n/message";
import { authenticate } from "~/shopify.server";
import { staffIdOf } from "~/utils/sessionToken.server";

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

// GET with `estimate=1` answers the live count (and `preview=1` the sample dry run) for the audience in
// the URL; the page loads it with a fetcher as the merchant changes the audience.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session, sessionToken } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  if (params.get("estimate") === "1") {
    try {
      return {
        page: null,
        estimate: await getAudienceEstimate({ graphql: admin.graphql, shop: session.shop, params }),
        unavailable: false,
      };
    } catch (error) {
      if (error instanceof ShopifyUnavailable) return { page: null, estimate: null, unavailable: true };
      throw error;
    }
  }
  // A staff member who may not send still sees the page (the count, the dry run), with the reason why
  // "Create campaign" is off.
  const [page, refused] = await Promise.all([
    getNewCampaignPage({ shop: session.shop }),
    customerWriteRefusalOf(request, { session, sessionToken }),
  ]);
  return { page: { ...page, sendRefusal: refused?.refusal ?? null }, estimate: null, unavailable: false };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session, redirect, sessionToken } = await authenticate.admin(request);
  const refused = await customerWriteRefusalOf(request, { session, sessionToken });
  if (refused) {
    return data(
      { errors: null, confirmCount: null, sendRefusal: refused.refusal },
      { status: refused.status },
    );
  }
  const result = await createCampaignFromPage({
    graphql: admin.graphql,
    shop: session.shop,
    requestedBy: staffIdOf(sessionToken),
    form: await request.formData(),
  });
  if (result.kind === "invalid")
    return data({ errors: result.errors, confirmCount: null, sendRefusal: null }, { status: 400 });
  if (result.kind === "keyReused")
    return data(
      { errors: { form: message("newCampaign.keyReused") }, confirmCount: null, sendRefusal: null },
      { status: 422 },
    );
  if (result.kind === "confirm")
    return data({ errors: null, confirmCount: result.count, sendRefusal: null }, { status: 409 });
  return redirect(`/app/campaigns/${result.campaignId}?${result.created ? "created" : "existing"}=1`);
};

export default function NewCampaign() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const countFetcher = useFetcher<typeof loader>();
  const previewFetcher = useFetcher<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const { text, reasonText } = useMessage();
  const page = loaded.page;

  // The key made when the page loaded stays the same however often the form is sent (idempotent create).
  const [idempotencyKey] = useState(page?.idempotencyKey ?? "");
  const [states, setStates] = useState<CustomerState[]>(["DISABLED"]);
  const [tagsText, setTagsText] = useState("");
  const [query, setQuery] = useState("");
  const [includeDeclined, setIncludeDeclined] = useState(false);
  const [remind, setRemind] = useState(false);
  const [reminderAfterDays, setReminderAfterDays] = useState("7");
  const [reminderMax, setReminderMax] = useState("2");
  const [subject, setSubject] = useState(page?.defaults.subject ?? "");
  const [message, setMessage] = useState(page?.defaults.message ?? "");
  const [confirming, setConfirming] = useState(false);

  const tags = useMemo(() => parseTags(tagsText), [tagsText]);
  const search = buildCustomerQuery({ states, tags, query });
  const params = useMemo(() => {
    const p = new URLSearchParams({ estimate: "1" });
    for (const state of states) p.append("states", state);
    if (tagsText) p.set("tags", tagsText);
    if (query) p.set("query", query);
    if (includeDeclined) p.set("includeDeclined", "on");
    return p;
  }, [states, tagsText, query, includeDeclined]);

  // Live count, debounced while typing.
  const loadCount = countFetcher.load;
  useEffect(() => {
    if (!search) return;
    const timer = setTimeout(() => loadCount(`/app/campaigns/new?${params}`), 350);
    return () => clearTimeout(timer);
  }, [params, search, loadCount]);

  const estimate = search ? countFetcher.data?.estimate : null;
  const count = estimate?.search === search ? estimate.count : null;
  const sample =
    previewFetcher.data?.estimate?.search === search ? previewFetcher.data.estimate.sample : null;
  const errors = actionData?.errors ?? null;
  const sendRefusal = actionData?.sendRefusal ?? page?.sendRefusal ?? null;

  useEffect(() => {
    if (actionData?.confirmCount) setConfirming(true);
  }, [actionData]);

  const submitting = navigation.state === "submitting";
  const threshold = page?.confirmThreshold ?? 1_000;
  const send = (confirmed: boolean) => {
    const form = new FormData();
    for (const state of states) form.append("states", state);
    form.set("tags", tagsText);
    form.set("query", query);
    if (includeDeclined) form.set("includeDeclined", "on");
    form.set("subject", subject);
    form.set("message", message);
    form.set("idempotencyKey", idempotencyKey);
    if (remind) {
      form.set("remindersEnabled", "on");
      form.set("reminderAfterDays", reminderAfterDays);
      form.set("reminderMax", reminderMax);
    }
    if (confirmed) form.set("confirmed", "yes");
    setConfirming(false);
    submit(form, { method: "post" });
  };
  const onCreate = () => {
    if (count && count.count > threshold) setConfirming(true);
    else send(false);
  };
  const confirmCount = actionData?.confirmCount ?? count?.count ?? 0;

  return (
    <Page backAction={{ content: t("nav.campaigns"), url: "/app/campaigns" }} title={t("newCampaign.title")}>
      <TitleBar title={t("newCampaign.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <StaffPermissionBanner refusal={sendRefusal} />
            {errors ? <FixFieldsBanner list={errors} /> : null}
            <SectionCard title={t("newCampaign.audienceHeading")} gap="400">
              <ChoiceList
                title={t("newCampaign.statesLabel")}
                allowMultiple
                choices={CUSTOMER_STATES.map((state) => ({
                  label: t(`customerStates.${state}`),
                  value: state,
                }))}
                selected={states}
                onChange={(value) =>
                  setStates(
                    value.filter((v): v is CustomerState =>
                      (CUSTOMER_STATES as readonly string[]).includes(v),
                    ),
                  )
                }
              />
              <Text as="p" variant="bodySm" tone="subdued">
                {t("newCampaign.statesHelp")}
              </Text>
              <FormTextField
                label={t("newCampaign.tagsLabel")}
                value={tagsText}
                onChange={setTagsText}
                helpText={t("newCampaign.tagsHelp")}
              />
              <FormTextField
                label={t("newCampaign.queryLabel")}
                value={query}
                onChange={setQuery}
                helpText={t("newCampaign.queryHelp")}
                errors={errors}
                errorFields={["audience", "query"]}
              />
              <Checkbox
                label={t("newCampaign.includeDeclinedLabel")}
                checked={includeDeclined}
                onChange={setIncludeDeclined}
              />
              <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                <BlockStack gap="200">
                  <Text as="p" variant="bodySm" tone="subdued">
                    {t("newCampaign.searchLabel")} <code>{search || "—"}</code>
                  </Text>
                  <InlineStack gap="200" blockAlign="center">
                    {!search ? (
                      <Text as="p">{t("newCampaign.countNone")}</Text>
                    ) : estimate?.search === search && estimate.searchError ? (
                      <Text as="p" tone="critical">
                        {text(estimate.searchError)}
                      </Text>
                    ) : countFetcher.data?.unavailable ? (
                      <Text as="p" tone="critical">
                        {t("newCampaign.countFailed")}
                      </Text>
                    ) : count ? (
                      <Text as="p" variant="headingMd">
                        {count.exact
                          ? t("newCampaign.count", { count: count.count })
                          : t("newCampaign.countAtLeast", { count: count.count })}
                      </Text>
                    ) : (
                      <Spinner size="small" accessibilityLabel={t("common.loading")} />
                    )}
                  </InlineStack>
                  {page?.campaignCap ? (
                    <Text as="p" variant="bodySm" tone="subdued">
                      {t("newCampaign.capNotice", { count: page.campaignCap })}
                    </Text>
                  ) : null}
                </BlockStack>
              </Box>
              <InlineStack>
                <Button
                  disabled={!search}
                  loading={previewFetcher.state === "loading"}
                  onClick={() => previewFetcher.load(`/app/campaigns/new?${params}&preview=1`)}
                >
                  {t("newCampaign.previewAction")}
                </Button>
              </InlineStack>
              {sample ? (
                <Banner tone="info" title={t("newCampaign.previewHeading")}>
                  <BlockStack gap="200">
                    <Text as="p">{t("newCampaign.previewSample", { count: sample.sampled })}</Text>
                    {sample.sampled === 0 ? (
                      <Text as="p">{t("newCampaign.previewNone")}</Text>
                    ) : (
                      <>
                        <Text as="p" fontWeight="semibold">
                          {t("newCampaign.previewSummary", {
                            eligible: t("newCampaign.previewEligible", { count: sample.eligible }),
                            skipped: t("newCampaign.previewSkipped", { count: sample.skipped }),
                          })}
                        </Text>
                        <List>
                          {Object.entries(sample.byReason).map(([reason, n]) => (
                            <List.Item key={reason}>
                              {format.number(n)} ·{" "}
                              {reasonText(reason, JSON.stringify({ hours: sample.reinviteWindowHours }))}
                            </List.Item>
                          ))}
                        </List>
                      </>
                    )}
                  </BlockStack>
                </Banner>
              ) : null}
            </SectionCard>
            <SectionCard title={t("newCampaign.emailHeading")} gap="400">
              <FormTextField
                label={t("newCampaign.subjectLabel")}
                value={subject}
                onChange={setSubject}
                helpText={t("newCampaign.subjectHelp")}
                errors={errors}
                errorFields={["subject", "email.subject"]}
              />
              <FormTextField
                label={t("newCampaign.messageLabel")}
                value={message}
                onChange={setMessage}
                multiline={4}
                helpText={t("newCampaign.messageHelp")}
                errors={errors}
                errorFields={["message", "email.customMessage"]}
              />
            </SectionCard>
            <SectionCard title={t("reminders.heading")} gap="300">
              <Checkbox
                label={t("reminders.enableLabel")}
                helpText={t("reminders.help")}
                checked={remind}
                onChange={setRemind}
              />
              {remind ? (
                <InlineStack gap="300">
                  <FormTextField
                    label={t("reminders.afterDaysLabel")}
                    type="number"
                    value={reminderAfterDays}
                    onChange={setReminderAfterDays}
                    errors={errors}
                    errorFields={["reminders.afterDays", "reminders"]}
                  />
                  <FormTextField
                    label={t("reminders.maxLabel")}
                    type="number"
                    value={reminderMax}
                    onChange={setReminderMax}
                    errors={errors}
                    errorFields={["reminders.max"]}
                  />
                </InlineStack>
              ) : null}
            </SectionCard>
            <InlineStack align="end">
              <Button
                variant="primary"
                onClick={onCreate}
                loading={submitting}
                disabled={!search || sendRefusal !== null}
              >
                {t("newCampaign.submit")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <SectionCard title={t("newCampaign.previewEmailHeading")} gap="300">
            <Box borderWidth="025" borderColor="border" borderRadius="200" padding="400">
              <BlockStack gap="300">
                <Text as="p" fontWeight="semibold">
                  {subject || t("newCampaign.previewEmailDefaultSubject")}
                </Text>
                <Text as="p" tone={message ? undefined : "subdued"}>
                  {message || t("newCampaign.previewEmailNoMessage")}
                </Text>
                <InlineStack>
                  <Box background="bg-fill-brand" padding="200" borderRadius="100">
                    <Text as="span" tone="text-inverse">
                      {t("newCampaign.previewEmailButton")}
                    </Text>
                  </Box>
                </InlineStack>
              </BlockStack>
            </Box>
          </SectionCard>
        </Layout.Section>
      </Layout>
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title={t("newCampaign.confirmTitle", { count: confirmCount })}
        primaryAction={{
          content: t("newCampaign.confirmAction"),
          onAction: () => send(true),
          loading: submitting,
        }}
        secondaryActions={[{ content: t("newCampaign.cancel"), onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          <Text as="p">{t("newCampaign.confirmBody", { count: confirmCount })}</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
