import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { useDownload } from "~/hooks/useDownload";
import { MAX_LINKS_PER_EXPORT } from "~/services/activationLinkExport.server";
import { authenticate } from "~/shopify.server";
import { strings } from "~/strings";
import { fill } from "~/utils/format";

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return { max: MAX_LINKS_PER_EXPORT };
};

// The form posts to /app/links/csv (app.links.csv.tsx), whose answer is the CSV download itself: the
// links are never stored, so there is nothing to show again after the download.
export default function ActivationLinks() {
  const { max } = useLoaderData<typeof loader>();
  const text = strings.links;
  const { download, busy } = useDownload();
  const [source, setSource] = useState<"ids" | "query">("ids");
  const [customerIds, setCustomerIds] = useState("");
  const [query, setQuery] = useState("");
  const [replace, setReplace] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const generate = async () => {
    setErrors({});
    const form = new FormData();
    form.set("source", source);
    form.set("customerIds", customerIds);
    form.set("query", query);
    if (replace) form.set("replace", "on");
    await download(
      "/app/links/csv",
      { method: "POST", body: form },
      (response) =>
        fill(text.done, {
          issued: Number(response.headers.get("X-Links-Issued") ?? 0),
          skipped: Number(response.headers.get("X-Links-Skipped") ?? 0),
          failed: Number(response.headers.get("X-Links-Failed") ?? 0),
        }),
      async (response) => {
        const body: unknown = await response.json().catch(() => null);
        const fieldErrors =
          body &&
          typeof body === "object" &&
          "fieldErrors" in body &&
          body.fieldErrors &&
          typeof body.fieldErrors === "object"
            ? Object.fromEntries(Object.entries(body.fieldErrors).map(([k, v]) => [k, String(v)]))
            : { form: strings.common.fixFields };
        setErrors(fieldErrors);
      },
    );
  };

  return (
    <Page title={text.title}>
      <TitleBar title={text.title} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Banner tone="warning" title={text.warningTitle}>
              <Text as="p">{text.warning}</Text>
            </Banner>
            <Card>
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  void generate();
                }}
              >
                <BlockStack gap="400">
                  {errors.form ? <Banner tone="critical">{errors.form}</Banner> : null}
                  <ChoiceList
                    title={text.sourceLabel}
                    choices={[
                      { label: text.sourceIds, value: "ids" },
                      { label: text.sourceQuery, value: "query" },
                    ]}
                    selected={[source]}
                    onChange={(value) => setSource(value[0] === "query" ? "query" : "ids")}
                  />
                  {source === "ids" ? (
                    <TextField
                      label={text.idsLabel}
                      value={customerIds}
                      onChange={setCustomerIds}
                      multiline={6}
                      helpText={fill(text.idsHelp, { max })}
                      autoComplete="off"
                      error={errors.customerIds}
                    />
                  ) : (
                    <TextField
                      label={text.queryLabel}
                      value={query}
                      onChange={setQuery}
                      helpText={fill(text.queryHelp, { max })}
                      autoComplete="off"
                      error={errors.query}
                    />
                  )}
                  <Checkbox
                    label={text.replaceLabel}
                    helpText={text.replaceHelp}
                    checked={replace}
                    onChange={setReplace}
                  />
                  {busy ? (
                    <Text as="p" tone="subdued">
                      {text.generating}
                    </Text>
                  ) : null}
                  <div>
                    <Button submit variant="primary" loading={busy}>
                      {text.submit}
                    </Button>
                  </div>
                </BlockStack>
              </form>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = PageErrorBoundary;
