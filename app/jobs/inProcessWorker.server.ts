import { env } from "~/env.server";
import { createInviteWorker, type InviteWorker } from "~/jobs/inviteWorker.server";
import { renewWorkerAccess, workerGraphql } from "~/jobs/workerAdmin.server";
import { workerOptionsFromEnv } from "~/jobs/workerOptions.server";
import { logger } from "~/utils/logger.server";

declare global {
  // One worker per process, even when Vite reloads this module in development.
  var inviteWorkerGlobal: InviteWorker | undefined;
}

/**
 * Starts the invite worker inside the app process (one instance on SQLite: the default). Off with
 * WORKER_ENABLED=false (run `npm run worker` instead) and under tests, which drive workers themselves.
 * Stopping it (`worker.stop()`) takes no new batch, lets requests in flight be answered and settled,
 * and releases its leases, so a deploy leaves nothing in `sending`.
 *
 * Who stops it: the production server (app/server/productionServer.server.ts) owns SIGTERM/SIGINT and
 * stops the worker as part of its shutdown (`handleSignals: false`). Under `remix vite:dev` there is no
 * such server, so the worker handles the signals itself (`handleSignals: true`).
 */
export function startInProcessWorker({ handleSignals }: { handleSignals: boolean }): InviteWorker | null {
  if (!env.WORKER_ENABLED || env.NODE_ENV === "test") return null;
  if (globalThis.inviteWorkerGlobal) return globalThis.inviteWorkerGlobal;
  const worker = createInviteWorker({
    options: workerOptionsFromEnv(),
    getGraphql: workerGraphql,
    renewAccess: renewWorkerAccess,
  });
  globalThis.inviteWorkerGlobal = worker;
  worker.start();
  logger.info({ owner: worker.owner }, "invite worker running in the app process");
  if (handleSignals) {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        logger.info({ signal }, "stopping the invite worker");
        void worker.stop().finally(() => {
          // The dev server closes on the same signal; exit once the worker has settled even if a
          // keep-alive connection lingers.
          setTimeout(() => process.exit(0), 2_000).unref();
        });
      });
    }
  }
  return worker;
}
