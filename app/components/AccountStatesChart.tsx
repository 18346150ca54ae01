import { BarChart } from "@shopify/polaris-viz";
import { useTranslation } from "react-i18next";
import { ChartFrame, useChartOptions } from "~/components/ChartFrame";
import { CUSTOMER_STATES, type CustomerState } from "~/constants/invites";

// Loaded only in the browser (see ClientOnlyChart): polaris-viz reads `navigator` while rendering.
export default function AccountStatesChart({ states }: { states: Record<CustomerState, number> }) {
  const { t } = useTranslation();
  const { formatValue, chartProps } = useChartOptions();
  return (
    <ChartFrame height={260}>
      <BarChart
        {...chartProps}
        yAxisOptions={{ labelFormatter: formatValue }}
        data={[
          {
            name: t("overview.chartTitle"),
            data: CUSTOMER_STATES.map((state) => ({
              key: t(`customerStates.${state}`),
              value: states[state],
            })),
          },
        ]}
      />
    </ChartFrame>
  );
}
