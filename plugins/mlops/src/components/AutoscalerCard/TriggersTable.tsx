import type { MlopsAutoscalingStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';

/** Each scaler trigger with its current value against its threshold, and KEDA's health of its metric. */
export const TriggersTable = ({
  triggers,
}: {
  triggers: MlopsAutoscalingStatus['triggers'];
}) => (
  <Table size="small" data-testid="mlops-autoscaler-triggers">
    <TableHead>
      <TableRow>
        <TableCell>Trigger</TableCell>
        <TableCell>Type</TableCell>
        <TableCell align="right">Current</TableCell>
        <TableCell align="right">Threshold</TableCell>
        <TableCell>Metric health</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {triggers.map((t, i) => (
        <TableRow key={t.name ?? i}>
          <TableCell>
            <Tooltip title={t.query ?? t.metricName ?? ''}>
              <span>{t.name ?? t.metricName ?? `trigger ${i + 1}`}</span>
            </Tooltip>
          </TableCell>
          <TableCell>{t.type}</TableCell>
          <TableCell align="right">{t.currentValue ?? '—'}</TableCell>
          <TableCell align="right">{t.threshold ?? '—'}</TableCell>
          <TableCell>{t.health ?? '—'}</TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
