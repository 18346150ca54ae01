// `npm run worker` (build/worker/main.js, compiled by `npm run build`): the invite worker as its own
// process (set WORKER_ENABLED=false for the app then). Several of these may run against one PostgreSQL
// database: shop leases keep one pacer per shop. It runs nothing at start but itself: migrations are a
// deploy step (`npm run db:migrate`).
import prisma from "~/db.server";
import { env } from "~/env.server";
import { createInviteWorker } from "~/jobs/inviteWorker.server";
import { workerOptionsFromEnv } from "~/jobs/workerOptions.server";
import { renewWorkerAccess, workerGraphql } from "~/jobs/workerAdmin.server";
import { logger } from "~/utils/logger.server";

const worker = createInviteWorker({
  options: workerOptionsFromEnv(),
  getGraphql: workerGraphql,
  renewAccess: renewWorkerAccess,
});
worker.start();
logger.info({ owner: worker.owner }, "invite worker started");

// A graceful stop lets requests in flight be answered and settled, then closes the database; a second
// signal or the deadline exits at once (a kill is survived by the ledger: the crash guarantee).
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) {
      logger.warn({ signal }, "second signal: invite worker exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "invite worker stopping");
    setTimeout(() => {
      logger.error(
        { deadlineMs: env.SHUTDOWN_TIMEOUT_MS },
        "invite worker stop deadline passed: exiting now",
      );
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_MS).unref();
    void worker
      .stop()
      .then(() => prisma.$disconnect())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "invite worker stop failed");
          process.exit(1);
        },
      );
  });
}
