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
    maxShops: env.WORKER_MAX_SHOPS,
    sliceMs: env.WORKER_SLICE_MS,
    // A timed-out request may still run at Shopify; states are read only after it surely ended.
    uncertainGraceMs: env.INVITE_REQUEST_TIMEOUT_MS,
    backoffBaseMs: 1_000,
    backoffMaxMs: 30_000,
    // Errors without progress: up to 8 failed requests in a row per turn; cool-downs double from 30 s to
    // 15 min; after 8 such turns in a row (about an hour and a half) the campaign pauses (NO_PROGRESS).
    maxFailuresInRow: 8,
    maxCoolDownMs: 15 * 60_000,
    maxBackoffsWithoutProgress: 8,
  };
}
