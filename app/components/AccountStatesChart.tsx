import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { CUSTOMER_STATES, type CustomerState } from "~/constants/invites";
import { strings } from "~/strings";

// Loaded only in the browser (see ClientOnlyChart): polaris-viz reads `navigator` while rendering.
export default function AccountStatesChart({ states }: { states: Record<CustomerState, number> }) {
  return (
    <PolarisVizProvider>
      <div style={{ height: 260 }}>
        <BarChart
          theme="Light"
          showLegend={false}
          data={[
            {
              name: strings.overview.chartTitle,
              data: CUSTOMER_STATES.map((state) => ({
                key: strings.customerStates[state],
                value: states[state],
              })),
            },
          ]}
        />
      </div>
    </PolarisVizProvider>
  );
}
