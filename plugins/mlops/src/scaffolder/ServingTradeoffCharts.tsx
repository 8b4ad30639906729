import {
  servingFormTradeoffs,
  type ServingFormPlan,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import Box from '@material-ui/core/Box';
import { useMemo } from 'react';
import { TradeoffChart } from './TradeoffChart';

const contextLength = (x: number) =>
  x >= 1024 && x % 1024 === 0 ? `${x / 1024}k` : x.toLocaleString('en-US');
const utilization = (x: number) => x.toFixed(2);

/** What a longer context, or more of the GPU, does to concurrency for this configuration. */
export const ServingTradeoffCharts = ({ plan }: { plan: ServingFormPlan }) => {
  const tradeoffs = useMemo(() => servingFormTradeoffs(plan), [plan]);
  if (!tradeoffs) return null;
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      mt={1}
      data-testid="mlops-plan-tradeoffs"
    >
      <Box mr={2} mb={1}>
        <TradeoffChart
          title="Sequences at once by --max-model-len"
          points={tradeoffs.byContextLength}
          chosenX={tradeoffs.chosen.maxModelLen}
          formatX={contextLength}
          evenlySpaced
          testId="mlops-plan-chart-context"
        />
      </Box>
      <Box mb={1}>
        <TradeoffChart
          title="Sequences at once by --gpu-memory-utilization"
          points={tradeoffs.byUtilization}
          chosenX={tradeoffs.chosen.gpuMemoryUtilization}
          formatX={utilization}
          testId="mlops-plan-chart-utilization"
        />
      </Box>
    </Box>
  );
};
