import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { linkExportIdFromParam } from "~/api/params";
import { localeOfRequest, translatorFor } from "~/i18n/translate.server";
import { linkExportFile } from "~/services/activationLinks/linkExport.server";
import { customerWriteRefusalOf } from "~/services/staff/staffPermissions.server";
import { authenticate } from "~/shopify.server";
import { staffIdOf } from "~/utils/sessionToken.server";
import { csvHeaders } from "~/utils/csv";

// GET /app/links/:id/csv: the export's links as a CSV download, for the staff member who asked (same shop
// and same session token `sub`; anyone else gets 404, as for an export that does not exist). It may be
// fetched again until the download is confirmed (app.links.$id.confirm.tsx) or the hour is over: an
// interrupted download loses nothing. A staff member who has lost customer-write permission meanwhile is
// refused (403; 503 when it cannot be checked), as when starting one (decision 008). README "Activation
// link exports".
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const t = translatorFor(localeOfRequest(request));
  const id = linkExportIdFromParam(params.id);
  const staffId = staffIdOf(sessionToken);
  const refused = await customerWriteRefusalOf(request, { session, sessionToken });
  if (refused)
    return new Response(t(`api.${refused.refusal}`), {
      status: refused.status,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  const file =
    id && staffId
      ? await linkExportFile({ shop: session.shop, requestedBy: staffId, id, t })
      : ({ ok: false, reason: "notFound" } as const);
  if (!file.ok) {
    const status = file.reason === "notFound" ? 404 : file.reason === "expired" ? 410 : 409;
    return new Response(t(`links.file.${file.reason}`), {
      status,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  return new Response(file.csv, {
    headers: { ...csvHeaders(file.filename), "X-Content-SHA256": file.sha256 },
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  await authenticate.admin(request);
  return new Response(null, { status: 405, headers: { Allow: "GET" } });
};
