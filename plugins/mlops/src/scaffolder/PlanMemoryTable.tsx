import {
  GIB,
  type ServingFormPlan,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';

const gib = (bytes: number) => `${(bytes / GIB).toFixed(2)} GiB`;

/** Where each GPU's memory goes, as vLLM V1 divides it, at the expected (middle) estimate. */
export const PlanMemoryTable = ({
  plan,
}: {
  plan: Extract<ServingFormPlan, { status: 'planned' }>;
}) => {
  const g = plan.memory.perGpu;
  const rows: Array<[string, string]> = [
    ['GPU memory', gib(g.totalBytes)],
    [
      `Budget (× --gpu-memory-utilization ${plan.input.gpuMemoryUtilization})`,
      gib(g.budgetBytes),
    ],
    ['Weights', gib(g.weightBytes)],
    ['Activation peak (profiling run and sampler)', gib(g.activationPeakBytes)],
    ['Non-torch (cuBLAS, kernels, NCCL)', gib(g.nonTorchBytes)],
    ['CUDA graph estimate', gib(g.cudaGraphBytes)],
    ['KV cache (expected)', gib(g.kvCacheBytes)],
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
