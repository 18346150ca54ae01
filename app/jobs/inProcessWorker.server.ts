import { env } from "~/env.server";
import { createInviteWorker, type InviteWorker } from "~/jobs/inviteWorker.server";
import { workerOptionsFromEnv } from "~/jobs/workerOptions.server";
import { unauthenticated } from "~/shopify.server";
import { logger } from "~/utils/logger.server";

declare global {
  // One worker per process, even when Vite reloads this module in development.
  var inviteWorkerGlobal: InviteWorker | undefined;
}

/**
 * Starts the invite worker inside the app process (one instance on SQLite: the default). Off with
 * WORKER_ENABLED=false (run `npm run worker` instead) and under tests, which drive workers themselves.
 */
export function startInProcessWorker(): InviteWorker | null {
  if (!env.WORKER_ENABLED || env.NODE_ENV === "test") return null;
  if (globalThis.inviteWorkerGlobal) return globalThis.inviteWorkerGlobal;
  const worker = createInviteWorker({
    options: workerOptionsFromEnv(),
    getGraphql: async (shop) => (await unauthenticated.admin(shop)).admin.graphql,
  });
  globalThis.inviteWorkerGlobal = worker;
  worker.start();
  logger.info({ owner: worker.owner }, "invite worker running in the app process");
  return worker;
}
