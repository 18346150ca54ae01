import prisma from "~/db.server";

/** An offline session as token exchange stores it. */
export async function storeOfflineSession(shop: string, scope = "read_customers,write_customers") {
  return prisma.session.create({
    data: {
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      scope,
      accessToken: "shpat_test_token",
      expires: new Date(Date.now() + 3600_000),
    },
  });
}
