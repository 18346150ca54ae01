import { LineChart } from "@shopify/polaris-viz";
import { useTranslation } from "react-i18next";
import { ChartFrame, useChartOptions } from "~/components/ChartFrame";
import { useFormat } from "~/hooks/useFormat";

// Loaded only in the browser (see ClientOnlyChart): polaris-viz reads `navigator` while rendering.
export default function ActivationsChart({ days }: { days: { day: string; count: number }[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { formatValue, chartProps } = useChartOptions();
  return (
    <ChartFrame height={240}>
      <LineChart
        {...chartProps}
        yAxisOptions={{ labelFormatter: formatValue, integersOnly: true }}
        data={[
          {
            name: t("overview.activationsChartSeries"),
            data: days.map(({ day, count }) => ({ key: format.day(day), value: count })),
          },
        ]}
      />
    </ChartFrame>
  );
}
