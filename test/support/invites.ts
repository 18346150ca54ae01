import { expireOfflineSession } from "~/models/Session.server";
import { reasonMessage } from "~/i18n/message";
import { english, render } from "~/i18n/translate.server";
import { createInviteWorker, type WorkerOptions } from "~/jobs/inviteWorker.server";
import { authenticate, unauthenticated } from "~/shopify.server";
import type { TestEmulator, TestShop } from "./emulator";
import { embeddedDocumentRequest } from "./requests";

// Helpers for invite-engine tests against the emulator: a shop with the app installed (offline session
// obtained by token exchange through the library), a worker with test-sized timings, the outbox.

/** Creates the shop in the emulator and installs the app the way Shopify admin does (token exchange). */
export async function installShop(emulator: TestEmulator, shop: TestShop) {
  await emulator.createShop(shop);
  const { admin } = await authenticate.admin(embeddedDocumentRequest("/app", { shop: shop.domain }));
  return admin.graphql;
}

export const fastWorkerOptions: WorkerOptions = {
  pollMs: 50,
  leaseTtlMs: 3_000,
  requestTimeoutMs: 2_000,
  maxAttempts: 5,
  maxInFlight: 3,
  maxShops: 4,
  uncertainGraceMs: 2_000,
  backoffBaseMs: 50,
  backoffMaxMs: 500,
  maxFailuresInRow: 8,
  sliceMs: 60_000,
  maxCoolDownMs: 2_000,
  maxBackoffsWithoutProgress: 6,
};

export function testWorker(options: Partial<WorkerOptions> = {}) {
  return createInviteWorker({
    options: { ...fastWorkerOptions, ...options },
    getGraphql: async (shop) => (await unauthenticated.admin(shop)).admin.graphql,
    renewAccess: async (shop) => {
      await expireOfflineSession({ shop });
    },
  });
}

export interface OutboxEmail {
  customerId: string;
  to: string;
  subject: string;
  customMessage: string | null;
  bcc: string[];
  /** When the emulator sent it (ISO). */
  sentAt: string;
}

export async function outbox(emulator: TestEmulator, shop: string) {
  return (await emulator.control<{ emails: OutboxEmail[] }>("GET", `outbox?shop=${encodeURIComponent(shop)}`))
    .emails;
}

export interface EmulatorCustomer {
  id: string;
  state: "DISABLED" | "INVITED" | "ENABLED" | "DECLINED";
  email: string | null;
  tags: string[];
}

export async function customers(emulator: TestEmulator, shop: string, limit = 10_000) {
  return (
    await emulator.control<{ customers: EmulatorCustomer[] }>(
      "GET",
      `customers?shop=${encodeURIComponent(shop)}&limit=${limit}`,
    )
  ).customers;
}

/** Who eligibility should invite, from the emulator's own view (24 h window, nothing sent before). */
export function expectedEligible(list: EmulatorCustomer[], { includeDeclined = false } = {}) {
  return list.filter(
    (c) =>
      c.email &&
      (c.state === "DISABLED" || c.state === "INVITED" || (includeDeclined && c.state === "DECLINED")),
  );
}

export function countBy<T>(items: T[], key: (item: T) => string) {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  { timeoutMs = 60_000, intervalMs = 50 } = {},
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A recipient row's reason as the merchant reads it (English), from its stored code and parameters. */
export function reasonText(row: { reasonCode: string | null; reasonParams: string | null }): string | null {
  return row.reasonCode ? render(english(), reasonMessage(row.reasonCode, row.reasonParams)) : null;
}
