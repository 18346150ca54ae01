import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, FormLayout, Layout, Page, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { useResultToast } from "~/hooks/useToast";
import { readSettings, updateSettings } from "~/services/settings.server";
import { authenticate } from "~/shopify.server";
import { strings } from "~/strings";

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
  const text = strings.settings;
  const [subject, setSubject] = useState(settings.defaultSubject ?? "");
  const [message, setMessage] = useState(settings.defaultCustomMessage ?? "");
  const [hours, setHours] = useState(String(settings.reinviteWindowHours));
  const [cap, setCap] = useState(settings.campaignCap === null ? "" : String(settings.campaignCap));
  const errors = actionData?.errors ?? null;
  useResultToast(actionData?.ok ? actionData : null, text.saved);

  return (
    <Page title={text.title}>
      <TitleBar title={text.title} />
      <Form method="post">
        <Layout>
          {errors ? (
            <Layout.Section>
              <Banner tone="critical" title={strings.common.fixFields} />
            </Layout.Section>
          ) : null}
          <Layout.AnnotatedSection title={text.emailHeading} description={text.emailBody}>
            <Card>
              <FormLayout>
                <TextField
                  label={text.subjectLabel}
                  name="defaultSubject"
                  value={subject}
                  onChange={setSubject}
                  autoComplete="off"
                  error={errors?.defaultSubject}
                />
                <TextField
                  label={text.messageLabel}
                  name="defaultCustomMessage"
                  value={message}
                  onChange={setMessage}
                  multiline={4}
                  autoComplete="off"
                  error={errors?.defaultCustomMessage}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={text.sendingHeading}>
            <Card>
              <FormLayout>
                <TextField
                  label={text.windowLabel}
                  name="reinviteWindowHours"
                  type="number"
                  value={hours}
                  onChange={setHours}
                  helpText={text.windowHelp}
                  autoComplete="off"
                  error={errors?.reinviteWindowHours}
                />
                <TextField
                  label={text.capLabel}
                  name="campaignCap"
                  type="number"
                  value={cap}
                  onChange={setCap}
                  helpText={text.capHelp}
                  autoComplete="off"
                  error={errors?.campaignCap}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <BlockStack inlineAlign="end">
              <Button submit variant="primary" loading={navigation.state === "submitting"}>
                {text.save}
              </Button>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
