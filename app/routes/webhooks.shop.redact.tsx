import type { ActionFunctionArgs } from "@remix-run/node";
import { deleteShopData } from "~/services/compliance/shopData.server";
import { authenticate } from "~/shopify.server";

// Sent 48 hours after uninstall: remove everything the app holds for the shop. Safe to run twice.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticate.webhook(request);
  await deleteShopData({ shop });
  return new Response();
};
