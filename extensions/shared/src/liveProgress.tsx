import type { I18n } from "@shopify/ui-extensions/admin";
import { useEffect, useState } from "preact/hooks";
import { ApiFailureBanner } from "./ApiFailureBanner";
import type { ApiFailure, ApiResult } from "./apiClient";

// Live progress of what a dialog started (a campaign, a link export): ask the app again every
// `polling.intervalMs` while it runs, three times slower after a failed ask, and stop on answers a
// retry cannot fix (the session expired, the job is gone).

export interface Polling {
  /** How often to ask (tests shorten it). */
  intervalMs: number;
}

/**
 * The job as last seen (null until `setCurrent` gives the first answer) and the last failed refresh.
 * `isLive` and `refresh` should be module-level functions: a new one restarts the wait.
 */
export function useLiveProgress<T extends { id: string }>(
  polling: Polling,
  isLive: (current: T) => boolean,
  refresh: (id: string) => Promise<ApiResult<T>>,
) {
  const [current, setCurrent] = useState<T | null>(null);
  const [pollFailure, setPollFailure] = useState<ApiFailure | null>(null);
  const [pollCount, setPollCount] = useState(0);

  useEffect(() => {
    if (!current || !isLive(current)) return;
    if (pollFailure?.kind === "unauthorized" || pollFailure?.kind === "notFound") return;
    let cancelled = false;
    const timer = setTimeout(
      async () => {
        const result = await refresh(current.id);
        if (cancelled) return;
        if (result.ok) {
          setPollFailure(null);
          setCurrent(result.data);
        } else {
          setPollFailure(result.error);
        }
        setPollCount((count) => count + 1);
      },
      pollFailure ? polling.intervalMs * 3 : polling.intervalMs,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [current, pollCount, pollFailure, polling, isLive, refresh]);

  return { current, setCurrent, pollFailure };
}

/**
 * A failed refresh: a passing one (offline, a server error) says it tries again (`progress.refreshFailed`);
 * one a retry cannot fix gets its banner.
 */
export function RefreshFailure({ failure, i18n }: { failure: ApiFailure | null; i18n: I18n }) {
  if (!failure) return null;
  if (failure.kind !== "network" && failure.kind !== "server")
    return <ApiFailureBanner failure={failure} i18n={i18n} />;
  return <s-text tone="caution">{i18n.translate("progress.refreshFailed")}</s-text>;
}
