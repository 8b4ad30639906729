import {
  ANNOTATION_MLOPS_KV_CACHE_PLAN,
  plannedKvRange,
  type MlopsKvCacheConfig,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Stat, StatRow } from '../shared';

const tokens = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * The plan's KV-cache range (the entity's `mlops/kv-cache-plan`) against the pool the running
 * vLLM server allocated, both as blocks × block size so that hybrid models compare like for
 * like; a warning when the server holds less than the plan's low estimate.
 */
export const KvCachePlanCheck = ({
  running,
}: {
  running?: MlopsKvCacheConfig;
}) => {
  const { entity } = useEntity();
  const plan = plannedKvRange(
    entity.metadata.annotations?.[ANNOTATION_MLOPS_KV_CACHE_PLAN],
  );
  if (!plan) return null;
  const planned = {
    low: plan.blocks.low * plan.blockSize,
    middle: plan.blocks.middle * plan.blockSize,
    high: plan.blocks.high * plan.blockSize,
  };
  const difference = running
    ? ((running.tokens - planned.middle) / planned.middle) * 100
    : undefined;
  const belowLow = running !== undefined && running.tokens < planned.low;
  return (
    <Box mb={1} data-testid="mlops-serving-kv-plan">
      <StatRow>
        <Stat
          label={`Planned KV tokens (low–high, vLLM ${plan.vllmRelease})`}
          value={`${tokens(planned.low)}–${tokens(planned.high)}`}
          testId="mlops-serving-kv-planned"
        />
        <Stat
          label="Running server's KV tokens"
          value={running ? tokens(running.tokens) : '—'}
          hint={
            running
              ? `${tokens(running.numGpuBlocks)} blocks × ${
                  running.blockSize
                } (vllm:cache_config_info)`
              : 'the server does not export vllm:cache_config_info'
          }
          testId="mlops-serving-kv-running"
        />
        <Stat
          label="Difference from the expected plan"
          value={
            difference === undefined
              ? '—'
              : `${difference >= 0 ? '+' : ''}${difference.toFixed(1)}%`
          }
          testId="mlops-serving-kv-difference"
        />
      </StatRow>
      {belowLow ? (
        <Typography
          variant="body2"
          color="error"
          data-testid="mlops-serving-kv-warning"
        >
          The running server holds {tokens(running!.tokens)} KV tokens, below
          the plan's low estimate of {tokens(planned.low)}: the plan was
          optimistic for this server, so it runs fewer sequences of{' '}
          {tokens(plan.maxModelLen)} tokens at once than planned. Size
          --max-num-seqs and replicas from the running figure.
        </Typography>
      ) : null}
    </Box>
  );
};
