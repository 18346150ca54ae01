import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/** How often a page follows a job in progress: its loader reads maintained counters, so this is cheap. */
const POLL_MS = 2_000;

/**
 * While `live` (a campaign or a link export the worker is running), reads the page's loaders again every
 * POLL_MS, when the tab is visible and no revalidation is already under way.
 */
export function useLivePolling(live: boolean) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [live, revalidator]);
}
