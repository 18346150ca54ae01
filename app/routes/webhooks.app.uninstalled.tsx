import type { ActionFunctionArgs } from "@remix-run/node";
import { deleteSessions } from "~/models/Session.server";
import { authenticate } from "~/shopify.server";
import { logger } from "~/utils/logger.server";

// Safe to receive twice, or after the sessions are gone. The shop's ledger is kept until shop/redact
// (48 h later) so a merchant who reinstalls finds their history.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic } = await authenticate.webhook(request);
  const sessions = await deleteSessions({ shop });
  logger.info({ shop, topic, sessions }, "app uninstalled: sessions removed");
  return new Response();
};
