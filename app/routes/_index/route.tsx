import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { login } from "~/shopify.server";
import { strings } from "~/strings";

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
  return (
    <main
      style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", padding: "0 1rem" }}
    >
      <h1>{strings.appName}</h1>
      <p>{strings.landing.tagline}</p>
      {showForm && (
        <Form method="post" action="/auth/login">
          <label>
            <span>{strings.login.shopDomainLabel}</span>{" "}
            <input type="text" name="shop" placeholder="example.myshopify.com" />
          </label>{" "}
          <button type="submit">{strings.login.submit}</button>
        </Form>
      )}
    </main>
  );
}
