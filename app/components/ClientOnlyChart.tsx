import { SkeletonBodyText } from "@shopify/polaris";
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import type { CustomerState } from "~/constants/invites";

// polaris-viz cannot render on the server (it reads `navigator` and measures the DOM): the chart is a
// separate chunk rendered after hydration, with a skeleton of the same height before.
const AccountStatesChart = lazy(() => import("~/components/AccountStatesChart"));
const ActivationsChart = lazy(() => import("~/components/ActivationsChart"));

function AfterHydration({ height, children }: { height: number; children: ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const fallback = (
    <div style={{ height }}>
      <SkeletonBodyText lines={6} />
    </div>
  );
  if (!mounted) return fallback;
  return <Suspense fallback={fallback}>{children}</Suspense>;
}

export function ClientOnlyChart({ states }: { states: Record<CustomerState, number> }) {
  return (
    <AfterHydration height={260}>
      <AccountStatesChart states={states} />
    </AfterHydration>
  );
}

/** Activations per day (the overview), rendered in the browser only like the states chart. */
export function ClientOnlyActivationsChart({ days }: { days: { day: string; count: number }[] }) {
  return (
    <AfterHydration height={240}>
      <ActivationsChart days={days} />
    </AfterHydration>
  );
}
