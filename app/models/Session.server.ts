import prisma from "~/db.server";

export async function deleteSessions({ shop }: { shop: string }) {
  const { count } = await prisma.session.deleteMany({ where: { shop } });
  return count;
}

export async function updateSessionScopes({ shop, scope }: { shop: string; scope: string }) {
  const { count } = await prisma.session.updateMany({ where: { shop }, data: { scope } });
  return count;
}
