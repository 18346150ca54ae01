import { env } from "~/env.server";
import type { WorkerOptions } from "~/jobs/inviteWorker.server";

/** The worker's settings from the environment (app/env.server.ts documents each one). */
export function workerOptionsFromEnv(): WorkerOptions {
  return {
    pollMs: env.WORKER_POLL_MS,
    leaseTtlMs: env.WORKER_LEASE_MS,
    requestTimeoutMs: env.INVITE_REQUEST_TIMEOUT_MS,
    maxAttempts: env.INVITE_MAX_ATTEMPTS,
    maxInFlight: env.INVITE_MAX_IN_FLIGHT,
    maxShops: 4,
    // A timed-out request may still run at Shopify; states are read only after it surely ended.
    uncertainGraceMs: env.INVITE_REQUEST_TIMEOUT_MS,
    backoffBaseMs: 1_000,
    backoffMaxMs: 30_000,
  };
}
