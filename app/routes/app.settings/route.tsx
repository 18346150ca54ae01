import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Button, Card, FormLayout, Layout, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { FixFieldsBanner } from "~/components/FixFieldsBanner";
import { FormTextField } from "~/components/FormTextField";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { useResultToast } from "~/hooks/useToast";
import { readSettings, updateSettings } from "~/routes/app.settings/settings.server";
import { authenticate } from "~/shopify.server";

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { settings: await readSettings({ shop: session.shop }) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await updateSettings({ shop: session.shop, form: await request.formData() });
  if (!result.success) return data({ ok: false as const, errors: result.errors }, { status: 400 });
  return { ok: true as const, errors: null };
};

export default function Settings() {
  const { settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const [subject, setSubject] = useState(settings.defaultSubject ?? "");
  const [message, setMessage] = useState(settings.defaultCustomMessage ?? "");
  const [hours, setHours] = useState(String(settings.reinviteWindowHours));
  const [cap, setCap] = useState(settings.campaignCap === null ? "" : String(settings.campaignCap));
  const errors = actionData?.errors ?? null;
  useResultToast(actionData?.ok ? actionData : null, t("settings.saved"));

  return (
    <Page title={t("settings.title")}>
      <TitleBar title={t("settings.title")} />
      <Form method="post">
        <Layout>
          {errors ? (
            <Layout.Section>
              <FixFieldsBanner />
            </Layout.Section>
          ) : null}
          <Layout.AnnotatedSection title={t("settings.emailHeading")} description={t("settings.emailBody")}>
            <Card>
              <FormLayout>
                <FormTextField
                  label={t("settings.subjectLabel")}
                  name="defaultSubject"
                  value={subject}
                  onChange={setSubject}
                  errors={errors}
                />
                <FormTextField
                  label={t("settings.messageLabel")}
                  name="defaultCustomMessage"
                  value={message}
                  onChange={setMessage}
                  multiline={4}
                  errors={errors}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.sendingHeading")}>
            <Card>
              <FormLayout>
                <FormTextField
                  label={t("settings.windowLabel")}
                  name="reinviteWindowHours"
                  type="number"
                  value={hours}
                  onChange={setHours}
                  helpText={t("settings.windowHelp")}
                  errors={errors}
                />
                <FormTextField
                  label={t("settings.capLabel")}
                  name="campaignCap"
                  type="number"
                  value={cap}
                  onChange={setCap}
                  helpText={t("settings.capHelp")}
                  errors={errors}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <BlockStack inlineAlign="end">
              <Button submit variant="primary" loading={navigation.state === "submitting"}>
                {t("settings.save")}
              </Button>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
