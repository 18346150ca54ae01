import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { exportActivationLinks, parseLinkExportForm } from "~/services/activationLinkExport.server";
import { authenticate } from "~/shopify.server";
import { csvHeaders } from "~/utils/csv";

// POST /app/links/csv (form: source ids|query, customerIds, query, replace): issues the links and
// answers with the CSV as a download. The links exist only in this response (see activationLinks.server.ts).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return new Response("Use POST to generate activation links.", { status: 405, headers: { Allow: "POST" } });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session, sessionToken } = await authenticate.admin(request);
  const input = parseLinkExportForm(await request.formData());
  if (!input.success) {
    return Response.json({ error: "Some fields are not valid.", fieldErrors: input.errors }, { status: 400 });
  }
  const result = await exportActivationLinks({
    graphql: admin.graphql,
    shop: session.shop,
    input: input.data,
    issuedBy: sessionToken?.sub ? String(sessionToken.sub) : null,
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  return new Response(result.csv, {
    headers: {
      ...csvHeaders(`activation-links-${stamp}.csv`),
      "X-Links-Issued": String(result.issued),
      "X-Links-Skipped": String(result.skipped),
      "X-Links-Failed": String(result.failed),
    },
  });
};
