import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import {
  Form,
  Link as RemixLink,
  useActionData,
  useLoaderData,
  useNavigation,
  useSubmit,
} from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Checkbox,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { FixFieldsBanner } from "~/components/FixFieldsBanner";
import { FormTextField } from "~/components/FormTextField";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { SectionCard } from "~/components/SectionCard";
import { useFormat } from "~/hooks/useFormat";
import { useResultToast } from "~/hooks/useToast";
import { readAutomation, updateAutomation } from "~/routes/app.automation/automation.server";
import { authenticate } from "~/shopify.server";

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return readAutomation({ shop: session.shop });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await updateAutomation({ shop: session.shop, form: await request.formData() });
  return result.ok ? result : data(result, { status: 400 });
};

export default function Automation() {
  const { settings, scheduled, automatic, reminders, nextFollowUpAt } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const { t } = useTranslation();
  const format = useFormat();
  const [enabled, setEnabled] = useState(settings.autoInviteEnabled);
  const [delayValue, setDelayValue] = useState(String(settings.delay.value));
  const [delayUnit, setDelayUnit] = useState<string>(settings.delay.unit);
  const [tags, setTags] = useState(settings.autoInviteTags.join(", "));
  const [remind, setRemind] = useState(settings.reminderAfterDays !== null);
  const [afterDays, setAfterDays] = useState(String(settings.reminderAfterDays ?? 7));
  const [max, setMax] = useState(String(settings.reminderMax || 2));
  const errors = actionData && !actionData.ok ? actionData.errors : null;
  const busy =
    navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "save") : null;
  useResultToast(
    actionData?.ok ? actionData : null,
    actionData?.intent === "pause"
      ? t("automation.pausedToast")
      : actionData?.intent === "resume"
        ? t("automation.resumedToast")
        : t("automation.saved"),
  );
  const togglePause = () => submit({ intent: settings.paused ? "resume" : "pause" }, { method: "post" });

  return (
    <Page
      title={t("automation.title")}
      titleMetadata={
        settings.paused ? (
          <Badge tone="warning">{t("automation.pausedBadge")}</Badge>
        ) : settings.autoInviteEnabled ? (
          <Badge tone="success">{t("automation.onBadge")}</Badge>
        ) : (
          <Badge>{t("automation.offBadge")}</Badge>
        )
      }
    >
      <TitleBar title={t("automation.title")} />
      <Layout>
        {settings.paused ? (
          <Layout.Section>
            <Banner tone="warning" title={t("automation.pausedHeading")}>
              <Text as="p">{t("automation.pausedBody")}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        {errors ? (
          <Layout.Section>
            <FixFieldsBanner />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Form method="post">
            <input type="hidden" name="intent" value="save" />
            {/* Polaris checkboxes are controlled: their state goes in the form explicitly. */}
            <input type="hidden" name="autoInviteEnabled" value={enabled ? "on" : ""} />
            <input type="hidden" name="remindersEnabled" value={remind ? "on" : ""} />
            <BlockStack gap="400">
              <SectionCard
                title={t("automation.autoHeading")}
                description={t("automation.autoBody")}
                gap="400"
              >
                <FormLayout>
                  <Checkbox label={t("automation.enableLabel")} checked={enabled} onChange={setEnabled} />
                  <FormLayout.Group condensed>
                    <FormTextField
                      label={t("automation.delayLabel")}
                      name="delayValue"
                      type="number"
                      value={delayValue}
                      onChange={setDelayValue}
                      helpText={t("automation.delayHelp")}
                      errors={errors}
                    />
                    <Select
                      label={t("automation.delayUnitLabel")}
                      name="delayUnit"
                      value={delayUnit}
                      onChange={setDelayUnit}
                      options={(["minutes", "hours", "days"] as const).map((unit) => ({
                        value: unit,
                        label: t(`automation.units.${unit}`),
                      }))}
                    />
                  </FormLayout.Group>
                  <FormTextField
                    label={t("automation.tagsLabel")}
                    name="tags"
                    value={tags}
                    onChange={setTags}
                    helpText={t("automation.tagsHelp")}
                    errors={errors}
                  />
                </FormLayout>
              </SectionCard>
              <SectionCard title={t("automation.remindersHeading")} gap="400">
                <Checkbox
                  label={t("automation.remindersLabel")}
                  helpText={t("reminders.help")}
                  checked={remind}
                  onChange={setRemind}
                />
                {remind ? (
                  <FormLayout.Group condensed>
                    <FormTextField
                      label={t("reminders.afterDaysLabel")}
                      name="reminderAfterDays"
                      type="number"
                      value={afterDays}
                      onChange={setAfterDays}
                      errors={errors}
                    />
                    <FormTextField
                      label={t("reminders.maxLabel")}
                      name="reminderMax"
                      type="number"
                      value={max}
                      onChange={setMax}
                      errors={errors}
                    />
                  </FormLayout.Group>
                ) : null}
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("automation.campaignRemindersHelp")}
                </Text>
              </SectionCard>
              <InlineStack align="end">
                <Button submit variant="primary" loading={busy === "save"}>
                  {t("automation.save")}
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <SectionCard title={t("automation.nextHeading")} gap="300">
              {scheduled.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("automation.nothingDue")}
                </Text>
              ) : (
                <BlockStack gap="200">
                  {scheduled.map((item) => (
                    <InlineStack key={item.id} align="space-between" blockAlign="center" gap="200">
                      <RemixLink to={`/app/campaigns/${item.id}`}>
                        {t("automation.dueLine", {
                          count: item.customers,
                          date: format.dateTime(item.dueAt),
                        })}
                      </RemixLink>
                      {item.paused ? <Badge tone="warning">{t("automation.pausedBadge")}</Badge> : null}
                    </InlineStack>
                  ))}
                </BlockStack>
              )}
              {reminders.queued > 0 ? (
                <Text as="p">{t("automation.remindersQueued", { count: reminders.queued })}</Text>
              ) : null}
              <Text as="p" variant="bodySm" tone="subdued">
                {nextFollowUpAt
                  ? t("automation.nextFollowUp", { date: format.dateTime(nextFollowUpAt) })
                  : t("automation.noFollowUp")}
              </Text>
            </SectionCard>
            <SectionCard title={t("automation.resultsHeading")} gap="200">
              <Text as="p">
                {t("automation.autoResults", {
                  sent: format.number(automatic.sent),
                  activated: format.number(automatic.activated),
                })}
              </Text>
              <Text as="p">
                {t("automation.reminderResults", {
                  sent: format.number(reminders.sent),
                  activated: format.number(reminders.activated),
                })}
              </Text>
            </SectionCard>
            <SectionCard
              title={t("automation.pauseHeading")}
              description={t("automation.pauseBody")}
              gap="200"
            >
              <InlineStack>
                <Button
                  onClick={togglePause}
                  tone={settings.paused ? undefined : "critical"}
                  loading={busy === "pause" || busy === "resume"}
                >
                  {settings.paused ? t("automation.resume") : t("automation.pause")}
                </Button>
              </InlineStack>
            </SectionCard>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
