import type { MlopsMetricsResponse } from '@mlops-plugins/backstage-plugin-mlops-common';
import Box from '@material-ui/core/Box';
import { formatMs, formatNumber, Stat, StatRow } from '../shared';
import { SeriesChart } from './SeriesChart';
import { UsageGauge } from './UsageGauge';

/** vLLM: tokens/s, queue, KV cache, TTFT and inter-token latency, GPU utilisation. */
export const VllmMetrics = ({ metrics }: { metrics: MlopsMetricsResponse }) => {
  const { latest } = metrics;
  const gpu = latest.gpuUtilizationPercent;
  return (
    <>
      <Box display="flex" flexWrap="wrap" alignItems="center">
        <StatRow>
          <Stat
            label="Generation tokens/s"
            value={formatNumber(latest.generationTokensPerSecond, 1)}
            testId="mlops-serving-tokens-per-second"
          />
          <Stat
            label="Prompt tokens/s"
            value={formatNumber(latest.promptTokensPerSecond, 1)}
          />
          <Stat
            label="Requests running"
            value={formatNumber(latest.requestsRunning, 0)}
            testId="mlops-serving-running"
          />
          <Stat
            label="Requests waiting"
            value={formatNumber(latest.requestsWaiting, 0)}
            testId="mlops-serving-waiting"
          />
        </StatRow>
        <Box display="flex">
          <UsageGauge
            label="KV cache"
            fraction={latest.kvCacheUsage}
            testId="mlops-serving-kv-cache"
          />
          <UsageGauge
            label="GPU utilisation"
            fraction={gpu === undefined ? undefined : gpu / 100}
            testId="mlops-serving-gpu"
          />
        </Box>
      </Box>
      <StatRow>
        <Stat
          label="TTFT p50 / p95"
          value={`${formatMs(latest.ttftP50Seconds)} / ${formatMs(
            latest.ttftP95Seconds,
          )}`}
          hint="Time to first token"
          testId="mlops-serving-ttft"
        />
        <Stat
          label="Inter-token latency p50 / p95"
          value={`${formatMs(latest.interTokenLatencyP50Seconds)} / ${formatMs(
            latest.interTokenLatencyP95Seconds,
          )}`}
          testId="mlops-serving-itl"
        />
      </StatRow>
      <SeriesChart
        title="Tokens per second"
        series={metrics.series}
        unit="tok/s"
        testId="mlops-serving-chart"
        lines={[
          { metric: 'generationTokensPerSecond', label: 'generation' },
          { metric: 'promptTokensPerSecond', label: 'prompt' },
        ]}
      />
      <SeriesChart
        title="Requests"
        series={metrics.series}
        lines={[
          { metric: 'requestsRunning', label: 'running' },
          { metric: 'requestsWaiting', label: 'waiting' },
        ]}
      />
    </>
  );
};
