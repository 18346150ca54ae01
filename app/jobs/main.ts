// `npm run worker`: the invite worker as its own process (set WORKER_ENABLED=false for the app then).
// Several of these may run against one PostgreSQL database: shop leases keep one pacer per shop.
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

// A graceful stop lets requests in flight be answered and settled; a kill is survived by the ledger.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    logger.info({ signal }, "invite worker stopping");
    void worker.stop().then(() => process.exit(0));
  });
}
