import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { useTranslation } from "react-i18next";
import { CUSTOMER_STATES, type CustomerState } from "~/constants/invites";
import { useFormat } from "~/hooks/useFormat";

// Loaded only in the browser (see ClientOnlyChart): polaris-viz reads `navigator` while rendering.
export default function AccountStatesChart({ states }: { states: Record<CustomerState, number> }) {
  const { t } = useTranslation();
  const format = useFormat();
  const formatValue = (value: number | string | null) =>
    typeof value === "number" ? format.number(value) : (value ?? "");
  return (
    <PolarisVizProvider>
      <div style={{ height: 260 }}>
        <BarChart
          theme="Light"
          showLegend={false}
          emptyStateText={t("overview.chartEmpty")}
          errorText={t("overview.chartError")}
          yAxisOptions={{ labelFormatter: formatValue }}
          tooltipOptions={{ valueFormatter: formatValue }}
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
      </div>
    </PolarisVizProvider>
  );
}
