import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { exportActivationLinks, parseLinkExportForm } from "~/services/activationLinks/linkExport.server";
import { localeOfRequest, render, renderFields, translatorFor } from "~/i18n/translate.server";
import { customerWriteRefusal } from "~/services/staff/staffPermissions.server";
import { authenticate } from "~/shopify.server";
import { sessionTokenOf, staffIdOf } from "~/utils/sessionToken.server";
import { csvHeaders } from "~/utils/csv";

// POST /app/links/csv (form: source ids|query, customerIds, query, replace): issues the links and
// answers with the CSV as a download. The links exist only in this response (see activationLinks.server.ts).
// Only for a staff member who may edit customers: 403 (503 when that cannot be checked), nothing issued.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const t = translatorFor(localeOfRequest(request));
  return new Response(t("api.linkPostOnly"), { status: 405, headers: { Allow: "POST" } });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session, sessionToken } = await authenticate.admin(request);
  const t = translatorFor(localeOfRequest(request));
  const refused = await customerWriteRefusal({
    shop: session.shop,
    staffId: staffIdOf(sessionToken),
    sessionToken: sessionTokenOf(request),
  });
  if (refused) {
    return Response.json(
      { error: render(t, { key: `api.${refused.refusal}` }), fieldErrors: {}, refusal: refused.refusal },
      { status: refused.status },
    );
  }
  const input = parseLinkExportForm(await request.formData());
  if (!input.success) {
    return Response.json(
      { error: render(t, { key: "common.fixFields" }), fieldErrors: renderFields(t, input.errors) },
      { status: 400 },
    );
  }
  const result = await exportActivationLinks({
    graphql: admin.graphql,
    shop: session.shop,
    input: input.data,
    issuedBy: staffIdOf(sessionToken),
    t,
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
