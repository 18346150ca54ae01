import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { linkExportIdFromParam } from "~/api/params";
import { localeOfRequest, translatorFor } from "~/i18n/translate.server";
import { confirmLinkExportDownload } from "~/services/activationLinks/linkExport.server";
import { authenticate } from "~/shopify.server";
import { staffIdOf } from "~/utils/sessionToken.server";

// POST /app/links/:id/confirm (form: sha256, the digest of the file the page saved; `locale` as for the
// download): with the digest of the complete file, the export's links are deleted (200 { cleared: true }).
// Another digest deletes nothing (409): a truncated download can be repeated. Only the staff member who
// asked; anyone else gets 404.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return new Response(null, { status: 405, headers: { Allow: "POST" } });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const t = translatorFor(localeOfRequest(request));
  const id = linkExportIdFromParam(params.id);
  // No permission check: deleting one's own held links is always allowed.
  const staffId = staffIdOf(sessionToken);
  const form = await request.formData();
  const receivedSha256 = String(form.get("sha256") ?? "");
  const result =
    id && staffId && /^[0-9a-f]{64}$/i.test(receivedSha256)
      ? await confirmLinkExportDownload({ shop: session.shop, requestedBy: staffId, id, receivedSha256, t })
      : id && staffId
        ? "mismatch"
        : "notFound";
  const status = { cleared: 200, mismatch: 409, notReady: 409, notFound: 404, expired: 410 }[result];
  return Response.json(
    { cleared: result === "cleared", result },
    { status, headers: { "Cache-Control": "no-store" } },
  );
};
