import prisma from "~/db.server";

// Activation links issued, never the links themselves (they are credentials): when, until when, by whom,
// and a keyed fingerprint.

export async function findLiveActivationLink({
  shop,
  customerId,
  now = new Date(),
}: {
  shop: string;
  customerId: string;
  now?: Date;
}) {
  return prisma.activationLink.findFirst({
    where: { shop, customerId, replacedAt: null, expiresAt: { gt: now } },
    orderBy: { issuedAt: "desc" },
    select: { id: true, issuedAt: true, expiresAt: true, issuedBy: true },
  });
}

/** Records a new link and marks the customer's earlier links replaced (Shopify just invalidated them). */
export async function recordActivationLink({
  shop,
  customerId,
  issuedAt,
  expiresAt,
  issuedBy,
  fingerprint,
}: {
  shop: string;
  customerId: string;
  issuedAt: Date;
  expiresAt: Date;
  issuedBy: string | null;
  fingerprint: string;
}) {
  return prisma.$transaction(async (tx) => {
    await tx.activationLink.updateMany({
      where: { shop, customerId, replacedAt: null },
      data: { replacedAt: issuedAt },
    });
    return tx.activationLink.create({
      data: { shop, customerId, issuedAt, expiresAt, issuedBy, fingerprint },
      select: { id: true, issuedAt: true, expiresAt: true },
    });
  });
}

export async function findCustomerActivationLinks({
  shop,
  customerId,
}: {
  shop: string;
  customerId: string;
}) {
  return prisma.activationLink.findMany({
    where: { shop, customerId },
    select: { customerId: true, issuedAt: true, expiresAt: true, issuedBy: true, replacedAt: true },
    orderBy: { issuedAt: "desc" },
  });
}

export async function deleteCustomerActivationLinks({
  shop,
  customerId,
}: {
  shop: string;
  customerId: string;
}) {
  const { count } = await prisma.activationLink.deleteMany({ where: { shop, customerId } });
  return count;
}

export async function deleteShopActivationLinks({ shop }: { shop: string }) {
  const { count } = await prisma.activationLink.deleteMany({ where: { shop } });
  return count;
}

/** A shop's issued links newest first (the History page); `before` is the (issuedAt, id) of the last shown. */
export async function listShopActivationLinks({
  shop,
  filters,
  before,
  take,
}: {
  shop: string;
  filters: { customerId?: string | null; issuedBy?: string | null; from?: Date | null; to?: Date | null };
  before?: { at: Date; id: string } | null;
  take: number;
}) {
  const issuedAt = {
    ...(filters.from ? { gte: filters.from } : {}),
    ...(filters.to ? { lt: filters.to } : {}),
  };
  return prisma.activationLink.findMany({
    where: {
      shop,
      ...(filters.customerId ? { customerId: filters.customerId } : {}),
      ...(filters.issuedBy ? { issuedBy: filters.issuedBy } : {}),
      ...(Object.keys(issuedAt).length > 0 ? { issuedAt } : {}),
      ...(before
        ? { OR: [{ issuedAt: { lt: before.at } }, { issuedAt: before.at, id: { lt: before.id } }] }
        : {}),
    },
    orderBy: [{ issuedAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, customerId: true, issuedAt: true, expiresAt: true, issuedBy: true, replacedAt: true },
  });
}

/** How many links the shop issued (the overview). */
export async function countShopActivationLinks({ shop }: { shop: string }) {
  return prisma.activationLink.count({ where: { shop } });
}
