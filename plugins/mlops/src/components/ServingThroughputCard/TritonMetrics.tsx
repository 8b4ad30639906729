import type { MlopsMetricsResponse } from '@mlops-plugins/backstage-plugin-mlops-common';
import Box from '@material-ui/core/Box';
import { formatMs, formatNumber, Stat, StatRow } from '../shared';
import { SeriesChart } from './SeriesChart';
import { UsageGauge } from './UsageGauge';

/** Triton: inferences/s, queue time, achieved batch size, pending requests, GPU utilisation. */
export const TritonMetrics = ({
  metrics,
}: {
  metrics: MlopsMetricsResponse;
}) => {
  const { latest } = metrics;
  const gpu = latest.gpuUtilizationPercent;
  return (
    <>
      <Box display="flex" flexWrap="wrap" alignItems="center">
        <StatRow>
          <Stat
            label="Inferences/s"
            value={formatNumber(latest.inferencesPerSecond, 1)}
            testId="mlops-serving-inferences-per-second"
          />
          <Stat
            label="Queue time"
            value={formatMs(latest.queueTimeSeconds)}
            testId="mlops-serving-queue-time"
          />
          <Stat
            label="Achieved batch size"
            value={formatNumber(latest.batchSize, 1)}
            testId="mlops-serving-batch-size"
          />
          <Stat
            label="Pending requests"
            value={formatNumber(latest.pendingRequests, 0)}
          />
        </StatRow>
        <UsageGauge
          label="GPU utilisation"
          fraction={gpu === undefined ? undefined : gpu / 100}
          testId="mlops-serving-gpu"
        />
      </Box>
      <SeriesChart
        title="Inferences per second"
        series={metrics.series}
        unit="inf/s"
        testId="mlops-serving-chart"
        lines={[{ metric: 'inferencesPerSecond', label: 'inferences' }]}
      />
    </>
  );
};
