import { SkeletonBodyText } from "@shopify/polaris";
import { lazy, Suspense, useEffect, useState } from "react";
import type { CustomerState } from "~/constants/invites";

// polaris-viz cannot render on the server (it reads `navigator` and measures the DOM): the chart is a
// separate chunk rendered after hydration, with a skeleton of the same height before.
const AccountStatesChart = lazy(() => import("~/components/AccountStatesChart"));
const ActivationsChart = lazy(() => import("~/components/ActivationsChart"));

export function ClientOnlyChart({ states }: { states: Record<CustomerState, number> }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const fallback = (
    <div style={{ height: 260 }}>
      <SkeletonBodyText lines={6} />
    </div>
  );
  if (!mounted) return fallback;
  return (
    <Suspense fallback={fallback}>
      <AccountStatesChart states={states} />
    </Suspense>
  );
}

/** Activations per day (the overview), rendered in the browser only like the states chart. */
export function ClientOnlyActivationsChart({ days }: { days: { day: string; count: number }[] }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const fallback = (
    <div style={{ height: 240 }}>
      <SkeletonBodyText lines={6} />
    </div>
  );
  if (!mounted) return fallback;
  return (
    <Suspense fallback={fallback}>
      <ActivationsChart days={days} />
    </Suspense>
  );
}
