import prisma from "~/db.server";

// What /healthz asks: whether the database answers, within a bound. No secrets, no auth, no shop data.
export const HEALTH_DB_TIMEOUT_MS = 2_000;

export async function databaseAnswers(timeoutMs = HEALTH_DB_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([prisma.$queryRaw`SELECT 1`.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
