import { expireOfflineSession } from "~/models/Session.server";
import { unauthenticated } from "~/shopify.server";
import type { AdminGraphql } from "~/types/admin";

// The worker's Admin API access through the library: `unauthenticated.admin(shop)` loads the shop's
// offline session and refreshes its token when it is about to expire. After a 401 the stored session is
// marked expired, so the next call refreshes it with the refresh token (a 401 after that: the grant is
// gone, and the sender stops the shop's campaigns with that reason).

export async function workerGraphql(shop: string): Promise<AdminGraphql> {
  return (await unauthenticated.admin(shop)).admin.graphql;
}

export async function renewWorkerAccess(shop: string): Promise<void> {
  await expireOfflineSession({ shop });
}
