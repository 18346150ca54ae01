import { PolarisVizProvider } from "@shopify/polaris-viz";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/hooks/useFormat";

// What the overview's charts share (both loaded only in the browser, see ClientOnlyChart): polaris-viz's
// provider around a box of the chart's height, and the same texts and number format.

export function ChartFrame({ height, children }: { height: number; children: ReactNode }) {
  return (
    <PolarisVizProvider>
      <div style={{ height }}>{children}</div>
    </PolarisVizProvider>
  );
}

/** Numbers in the page's locale, and the props every chart takes alike (theme, legend, empty and error texts). */
export function useChartOptions() {
  const { t } = useTranslation();
  const format = useFormat();
  const formatValue = (value: number | string | null) =>
    typeof value === "number" ? format.number(value) : (value ?? "");
  return {
    formatValue,
    chartProps: {
      theme: "Light",
      showLegend: false,
      emptyStateText: t("overview.chartEmpty"),
      errorText: t("overview.chartError"),
      tooltipOptions: { valueFormatter: formatValue },
    } as const,
  };
}
