import type { ServingFormPlan } from '@mlops-plugins/backstage-plugin-mlops-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Stat, StatRow } from '../components/shared/Stat';
import { PlanMemoryTable } from './PlanMemoryTable';
import { PlanMessages } from './PlanMessages';
import { ServingTradeoffCharts } from './ServingTradeoffCharts';

const tokens = (n: number) => Math.round(n).toLocaleString('en-US');

type Planned = Extract<ServingFormPlan, { status: 'planned' }>;

const VERDICTS: Record<Planned['verdict'], string> = {
  fits: 'fits at the low estimate',
  borderline:
    'borderline: fits only if memory comes out below the high estimates',
  'does-not-fit': 'does not fit',
};

/**
 * The GPU memory plan of one replica, or why it cannot be made; renders only what it is given.
 *
 * @public
 */
export const ServingPlanView = ({ plan }: { plan: ServingFormPlan }) => {
  if (plan.status === 'incomplete') {
    return (
      <Typography variant="body2" color="textSecondary">
        Choose {plan.missing.join(', ')} to see the GPU memory plan.
      </Typography>
    );
  }
  if (plan.status === 'invalid') {
    return <PlanMessages messages={[plan.message]} kind="error" />;
  }
  const { memory, input } = plan;
  const { low, high } = memory.estimates;
  const planned = plan.verdict !== 'does-not-fit';
  return (
    <Box data-testid="mlops-serving-plan">
      <Typography variant="body2" gutterBottom>
        {plan.model.displayName} on {plan.gpusPerReplica} ×{' '}
        {plan.gpu.displayName} per replica, vLLM {memory.vllmRelease}:{' '}
        <span data-testid="mlops-plan-verdict">{VERDICTS[plan.verdict]}</span>
      </Typography>
      <StatRow>
        <Stat
          label="KV-cache tokens per replica (low–high)"
          value={`${tokens(low.tokens)}–${tokens(high.tokens)}`}
          testId="mlops-plan-kv-tokens"
        />
        <Stat
          label={`Sequences of ${tokens(
            input.maxModelLen,
          )} tokens at once (low–high)`}
          value={`${low.maxConcurrency.toFixed(
            2,
          )}–${high.maxConcurrency.toFixed(2)}`}
          testId="mlops-plan-concurrency"
        />
        <Stat
          label="--max-num-seqs"
          value={planned ? plan.maxNumSeqs : '—'}
          testId="mlops-plan-max-num-seqs"
          hint={`low estimate of KV-cache tokens / ${tokens(
            plan.typicalRequestTokens,
          )} typical request tokens, at most 256`}
        />
        <Stat
          label="KV bytes per token per GPU"
          value={tokens(memory.kvBytesPerTokenPerGpu)}
        />
      </StatRow>
      <PlanMessages
        messages={plan.verdict === 'borderline' ? plan.warnings : []}
        kind="warning"
      />
      <PlanMessages messages={planned ? [] : plan.problems} kind="error" />
      <ServingTradeoffCharts plan={plan} />
      <PlanMemoryTable plan={plan} />
    </Box>
  );
};
