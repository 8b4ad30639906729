import {
  GIB,
  type ServingFormPlan,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Stat, StatRow } from '../components/shared/Stat';

const tokens = (n: number) => Math.round(n).toLocaleString('en-US');
const gib = (bytes: number) => `${(bytes / GIB).toFixed(2)} GiB`;

type Planned = Extract<ServingFormPlan, { status: 'planned' }>;

/** Where each GPU's memory goes, as vLLM V1 divides it. */
const MemoryTable = ({ plan }: { plan: Planned }) => {
  const g = plan.memory.perGpu;
  const rows: Array<[string, string]> = [
    ['GPU memory', gib(g.totalBytes)],
    [
      `Budget (× --gpu-memory-utilization ${plan.input.gpuMemoryUtilization})`,
      gib(g.budgetBytes),
    ],
    ['Weights', gib(g.weightBytes)],
    ['Activation peak (profiling run)', gib(g.activationPeakBytes)],
    ['Non-torch (CUDA context, NCCL)', gib(g.nonTorchBytes)],
    ['KV cache', gib(g.kvCacheBytes)],
  ];
  return (
    <Table size="small" data-testid="mlops-plan-memory">
      <TableBody>
        {rows.map(([label, value]) => (
          <TableRow key={label}>
            <TableCell component="th" scope="row">
              {label}
            </TableCell>
            <TableCell align="right">{value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

const Problems = ({ problems }: { problems: string[] }) => (
  <Box component="ul" pl={2} data-testid="mlops-plan-problems">
    {problems.map(problem => (
      <Typography component="li" color="error" variant="body2" key={problem}>
        {problem}
      </Typography>
    ))}
  </Box>
);

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
    return <Problems problems={[plan.message]} />;
  }
  const { memory, input } = plan;
  return (
    <Box data-testid="mlops-serving-plan">
      <Typography variant="body2" gutterBottom>
        {plan.model.displayName} on {plan.gpusPerReplica} ×{' '}
        {plan.gpu.displayName} per replica
        {plan.fits ? '' : ': does not fit'}
      </Typography>
      <StatRow>
        <Stat
          label="KV-cache tokens per replica"
          value={tokens(memory.kvCacheTokens)}
          testId="mlops-plan-kv-tokens"
        />
        <Stat
          label={`Sequences of ${tokens(input.maxModelLen)} tokens at once`}
          value={memory.maxConcurrency.toFixed(2)}
          testId="mlops-plan-concurrency"
        />
        <Stat
          label="--max-num-seqs"
          value={plan.fits ? plan.maxNumSeqs : '—'}
          testId="mlops-plan-max-num-seqs"
          hint={`KV-cache tokens / ${tokens(
            plan.typicalRequestTokens,
          )} typical request tokens, at most 256`}
        />
        <Stat
          label="KV bytes per token per GPU"
          value={tokens(memory.kvBytesPerTokenPerGpu)}
        />
      </StatRow>
      <MemoryTable plan={plan} />
      {plan.fits ? null : <Problems problems={plan.problems} />}
    </Box>
  );
};
