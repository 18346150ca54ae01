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
import { useTranslation } from "react-i18next";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { useDownload } from "~/hooks/useDownload";
import { isMessage, useMessage } from "~/hooks/useMessage";
import type { Message } from "~/i18n/message";
import { MAX_LINKS_PER_EXPORT } from "~/services/activationLinks/linkExport.server";
import { StaffPermissionBanner } from "~/components/StaffPermissionBanner";
import { customerWriteRefusal } from "~/services/staff/staffPermissions.server";
import { authenticate } from "~/shopify.server";
import { sessionTokenOf, staffIdOf } from "~/utils/sessionToken.server";

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const refused = await customerWriteRefusal({
    shop: session.shop,
    staffId: staffIdOf(sessionToken),
    sessionToken: sessionTokenOf(request),
  });
  return { max: MAX_LINKS_PER_EXPORT, sendRefusal: refused?.refusal ?? null };
};

// The form posts to /app/links/csv (app.links.csv.tsx), whose answer is the CSV download itself: the
// links are never stored, so there is nothing to show again after the download.
export default function ActivationLinks() {
  const { max, sendRefusal } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { text } = useMessage();
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
      (response) => {
        const count = (header: string) => Number(response.headers.get(header) ?? 0);
        return t("links.done", {
          issued: t("links.doneIssued", { count: count("X-Links-Issued") }),
          skipped: t("links.doneSkipped", { count: count("X-Links-Skipped") }),
          failed: t("links.doneFailed", { count: count("X-Links-Failed") }),
        });
      },
      async (response) => {
        const body: unknown = await response.json().catch(() => null);
        const fields = fieldErrorsOf(body, text);
        // A refusal (403: no permission, 503: not checked) comes with its message in the page's language.
        const refusal =
          body &&
          typeof body === "object" &&
          "error" in body &&
          typeof body.error === "string" &&
          response.status !== 400
            ? body.error
            : null;
        setErrors(Object.keys(fields).length > 0 ? fields : { form: refusal ?? t("common.fixFields") });
      },
    );
  };

  return (
    <Page title={t("links.title")}>
      <TitleBar title={t("links.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <StaffPermissionBanner refusal={sendRefusal} />
            <Banner tone="warning" title={t("links.warningTitle")}>
              <Text as="p">{t("links.warning")}</Text>
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
                    title={t("links.sourceLabel")}
                    choices={[
                      { label: t("links.sourceIds"), value: "ids" },
                      { label: t("links.sourceQuery"), value: "query" },
                    ]}
                    selected={[source]}
                    onChange={(value) => setSource(value[0] === "query" ? "query" : "ids")}
                  />
                  {source === "ids" ? (
                    <TextField
                      label={t("links.idsLabel")}
                      value={customerIds}
                      onChange={setCustomerIds}
                      multiline={6}
                      helpText={t("links.idsHelp", { max })}
                      autoComplete="off"
                      error={errors.customerIds}
                    />
                  ) : (
                    <TextField
                      label={t("links.queryLabel")}
                      value={query}
                      onChange={setQuery}
                      helpText={t("links.queryHelp", { count: max })}
                      autoComplete="off"
                      error={errors.query}
                    />
                  )}
                  <Checkbox
                    label={t("links.replaceLabel")}
                    helpText={t("links.replaceHelp")}
                    checked={replace}
                    onChange={setReplace}
                  />
                  {busy ? (
                    <Text as="p" tone="subdued">
                      {t("links.generating")}
                    </Text>
                  ) : null}
                  <div>
                    <Button submit variant="primary" loading={busy} disabled={sendRefusal !== null}>
                      {t("links.submit")}
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

/**
 * The field map of a 400 answer: `{ fieldErrors: { field: text } }`, already in the page's language (the
 * request carries `locale`, app.links.csv.tsx renders them), or messages to render here.
 */
function fieldErrorsOf(body: unknown, text: (item: Message) => string): Record<string, string> {
  if (!body || typeof body !== "object" || !("fieldErrors" in body) || !body.fieldErrors) return {};
  const fields: Record<string, string> = {};
  for (const [field, error] of Object.entries(body.fieldErrors)) {
    if (typeof error === "string") fields[field] = error;
    else if (isMessage(error)) fields[field] = text(error);
  }
  return fields;
}

export const ErrorBoundary = PageErrorBoundary;
