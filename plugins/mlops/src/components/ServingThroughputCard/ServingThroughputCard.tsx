import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import type {
  MlopsMetricsResponse,
  MlopsServingStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import {
  HealthChip,
  PolledCard,
  RequireMlopsAnnotations,
  useMlopsStatus,
  whyNoObject,
  type Polled,
} from '../shared';
import { KvCachePlanCheck } from './KvCachePlanCheck';
import { METRICS_RANGES, useMlopsMetrics } from './useMlopsMetrics';
import { TritonMetrics } from './TritonMetrics';
import { VllmMetrics } from './VllmMetrics';

const TITLE = 'Serving throughput';

const ServerLine = ({ serving }: { serving: MlopsServingStatus }) => (
  <Box display="flex" alignItems="center" flexWrap="wrap" mb={2}>
    <Typography variant="subtitle1" style={{ marginRight: 8 }}>
      {serving.kind} <strong>{serving.name}</strong>
      {serving.engine && serving.engine !== 'unknown'
        ? ` · ${serving.engine === 'vllm' ? 'vLLM' : 'Triton'}`
        : ''}
    </Typography>
    <HealthChip
      health={serving.health}
      label={`${serving.readyReplicas}/${serving.desiredReplicas} replicas ready`}
      testId="mlops-serving-replicas"
    />
  </Box>
);

const MetricsBody = ({ polled }: { polled: Polled<MlopsMetricsResponse> }) => {
  if (polled.error) return <ResponseErrorPanel error={polled.error} />;
  const metrics = polled.value;
  if (!metrics) return <Progress />;
  if (!metrics.available) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="mlops-serving-metrics-unavailable"
      >
        Metrics are unavailable: {metrics.reason ?? 'Prometheus did not answer'}
        .
      </Typography>
    );
  }
  return metrics.engine === 'triton' ? (
    <TritonMetrics metrics={metrics} />
  ) : (
    <>
      <KvCachePlanCheck running={metrics.kvCache} />
      <VllmMetrics metrics={metrics} />
    </>
  );
};

const ServingThroughput = () => {
  const [rangeIndex, setRangeIndex] = useState(0);
  const status = useMlopsStatus();
  const metrics = useMlopsMetrics(METRICS_RANGES[rangeIndex]);
  const rangeSelect = (
    <TextField
      select
      size="small"
      variant="outlined"
      label="Range"
      value={rangeIndex}
      onChange={e => setRangeIndex(Number(e.target.value))}
      inputProps={{ 'data-testid': 'mlops-serving-range' }}
    >
      {METRICS_RANGES.map((r, i) => (
        <MenuItem key={r.range} value={i}>
          {r.label}
        </MenuItem>
      ))}
    </TextField>
  );
  return (
    <PolledCard
      title={TITLE}
      testId="mlops-serving-card"
      polled={status}
      updatedAt={metrics.updatedAt}
      action={rangeSelect}
      isEmpty={s => !s.serving}
      emptyTitle="No model server in the cluster yet"
      emptyDescription={s => whyNoObject(s, 'Deployment or StatefulSet')}
    >
      {s => (
        <>
          <ServerLine serving={s.serving!} />
          <MetricsBody polled={metrics} />
        </>
      )}
    </PolledCard>
  );
};

/** Model server throughput, queue, KV cache and latency (vLLM) or Triton's counterparts. */
export const ServingThroughputCard = () => (
  <RequireMlopsAnnotations title={TITLE}>
    <ServingThroughput />
  </RequireMlopsAnnotations>
);
