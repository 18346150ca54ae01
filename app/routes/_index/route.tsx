import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { login } from "~/shopify.server";

// Opened outside Shopify admin: with ?shop= we go to the embedded app, otherwise we offer the login form.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  return { showForm: Boolean(login) };
};

export default function Landing() {
  const { showForm } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <main
      style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", padding: "0 1rem" }}
    >
      <h1>{t("appName")}</h1>
      <p>{t("landing.tagline")}</p>
      {showForm && (
        <Form method="post" action="/auth/login">
          <label>
            <span>{t("login.shopDomainLabel")}</span>{" "}
            <input type="text" name="shop" placeholder="example.myshopify.com" />
          </label>{" "}
          <button type="submit">{t("login.submit")}</button>
        </Form>
      )}
    </main>
  );
}
