import prisma from "~/db.server";

export async function deleteSessions({ shop }: { shop: string }) {
  const { count } = await prisma.session.deleteMany({ where: { shop } });
  return count;
}

export async function updateSessionScopes({ shop, scope }: { shop: string; scope: string }) {
  const { count } = await prisma.session.updateMany({ where: { shop }, data: { scope } });
  return count;
}

/**
 * Marks the shop's offline session expired, so the next `unauthenticated.admin(shop)` refreshes its
 * token with the refresh token (the library refreshes only sessions it sees as expiring). Used after
 * Shopify answered 401 to a token the session still thought valid.
 */
export async function expireOfflineSession({ shop, now = new Date() }: { shop: string; now?: Date }) {
  const { count } = await prisma.session.updateMany({
    where: { shop, isOnline: false, refreshToken: { not: null } },
    data: { expires: new Date(now.getTime() - 1_000) },
  });
  return count;
}
