import type { MlopsObjectOutcome } from '@mlops-plugins/backstage-plugin-mlops-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';

/** What the last pass did to each object, with drifted fields and other entities that claim it. */
export const ObjectsTable = ({
  objects,
}: {
  objects: MlopsObjectOutcome[];
}) => (
  <Table size="small" data-testid="mlops-reconcile-objects">
    <TableHead>
      <TableRow>
        <TableCell>Object</TableCell>
        <TableCell>Action</TableCell>
        <TableCell>Drift / message</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {objects.map(o => (
        <TableRow key={`${o.kind}/${o.namespace}/${o.name}`}>
          <TableCell>
            {o.kind} {o.name}
          </TableCell>
          <TableCell>
            {o.action}
            {o.contestedBy?.length ? ' · contested' : ''}
          </TableCell>
          <TableCell>
            {[o.drift?.length ? `drift: ${o.drift.join(', ')}` : '', o.message]
              .filter(Boolean)
              .join(' · ') || '—'}
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
