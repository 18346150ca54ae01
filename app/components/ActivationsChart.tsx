import { LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/hooks/useFormat";

// Loaded only in the browser (see ClientOnlyChart): polaris-viz reads `navigator` while rendering.
export default function ActivationsChart({ days }: { days: { day: string; count: number }[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const formatValue = (value: number | string | null) =>
    typeof value === "number" ? format.number(value) : (value ?? "");
  return (
    <PolarisVizProvider>
      <div style={{ height: 240 }}>
        <LineChart
          theme="Light"
          showLegend={false}
          emptyStateText={t("overview.chartEmpty")}
          errorText={t("overview.chartError")}
          yAxisOptions={{ labelFormatter: formatValue, integersOnly: true }}
          tooltipOptions={{ valueFormatter: formatValue }}
          data={[
            {
              name: t("overview.activationsChartSeries"),
              data: days.map(({ day, count }) => ({ key: format.day(day), value: count })),
            },
          ]}
        />
      </div>
    </PolarisVizProvider>
  );
}
