import prisma from "~/db.server";

// When the app was last installed on a shop: set by the token exchange that stores a new offline
// session (shopify.server.ts, afterAuth).

export async function recordInstallation({ shop, now = new Date() }: { shop: string; now?: Date }) {
  await prisma.shopInstallation.upsert({
    where: { shop },
    create: { shop, installedAt: now },
    update: { installedAt: now },
  });
}

export async function findInstallation({ shop }: { shop: string }) {
  return prisma.shopInstallation.findUnique({ where: { shop } });
}

export async function deleteInstallation({ shop }: { shop: string }) {
  const { count } = await prisma.shopInstallation.deleteMany({ where: { shop } });
  return count;
}
