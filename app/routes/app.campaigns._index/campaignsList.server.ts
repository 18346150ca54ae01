import { listCampaignsPage } from "~/models/Campaign.server";
import { decodeCursor, encodeCursor } from "~/utils/cursor";

// The campaigns list: newest first, 25 a page, forward by cursor.

export const CAMPAIGNS_PAGE_SIZE = 25;

export async function listCampaigns({ shop, cursor }: { shop: string; cursor?: string | null }) {
  const rows = await listCampaignsPage({
    shop,
    after: decodeCursor(cursor),
    take: CAMPAIGNS_PAGE_SIZE + 1,
  });
  const page = rows.slice(0, CAMPAIGNS_PAGE_SIZE);
  const last = page.at(-1);
  return {
    campaigns: page,
    nextCursor:
      rows.length > CAMPAIGNS_PAGE_SIZE && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}
