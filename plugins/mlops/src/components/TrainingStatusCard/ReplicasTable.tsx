import type { MlopsTrainingStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { KubernetesTabLink } from './KubernetesTabLink';

/** Pods per replica type (Master, Worker, …): active, succeeded, failed. */
export const ReplicasTable = ({
  replicas,
}: {
  replicas: MlopsTrainingStatus['replicas'];
}) => {
  const types = Object.keys(replicas).sort();
  if (types.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No pods created yet.
      </Typography>
    );
  }
  return (
    <Table size="small" data-testid="mlops-training-replicas">
      <TableHead>
        <TableRow>
          <TableCell>Replica type</TableCell>
          <TableCell align="right">Active</TableCell>
          <TableCell align="right">Succeeded</TableCell>
          <TableCell align="right">Failed</TableCell>
          <TableCell>Pods</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {types.map(type => (
          <TableRow key={type} data-testid={`mlops-replicas-${type}`}>
            <TableCell>{type}</TableCell>
            <TableCell align="right">{replicas[type].active}</TableCell>
            <TableCell align="right">{replicas[type].succeeded}</TableCell>
            <TableCell align="right">{replicas[type].failed}</TableCell>
            <TableCell>
              <KubernetesTabLink>Kubernetes tab</KubernetesTabLink>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
