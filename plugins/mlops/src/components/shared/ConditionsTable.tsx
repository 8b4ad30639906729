import type { MlopsCondition } from '@mlops-plugins/backstage-plugin-mlops-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatTime } from './format';

const useStyles = makeStyles({
  // Type, status and reason are single words; let the message take the wrapping.
  word: { whiteSpace: 'nowrap' },
});

/** Conditions as a timeline: type, status, reason, message and transition time. */
export const ConditionsTable = (props: {
  conditions: MlopsCondition[];
  testId?: string;
}) => {
  const classes = useStyles();
  if (props.conditions.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No conditions reported yet.
      </Typography>
    );
  }
  // Oldest first, so the table reads as a timeline; ties keep the operator's order.
  const rows = [...props.conditions].sort((a, b) =>
    (a.lastTransitionTime ?? '').localeCompare(b.lastTransitionTime ?? ''),
  );
  // KEDA sets no transition times; an empty column would only squeeze the others.
  const withTimes = rows.some(c => c.lastTransitionTime);
  return (
    <Table size="small" data-testid={props.testId}>
      <TableHead>
        <TableRow>
          <TableCell className={classes.word}>Condition</TableCell>
          <TableCell className={classes.word}>Status</TableCell>
          <TableCell className={classes.word}>Reason</TableCell>
          <TableCell>Message</TableCell>
          {withTimes && <TableCell>Since</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(c => (
          <TableRow key={`${c.type}-${c.lastTransitionTime}`}>
            <TableCell className={classes.word}>{c.type}</TableCell>
            <TableCell className={classes.word}>{c.status}</TableCell>
            <TableCell className={classes.word}>{c.reason ?? '—'}</TableCell>
            <TableCell>{c.message ?? ''}</TableCell>
            {withTimes && (
              <TableCell>{formatTime(c.lastTransitionTime)}</TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
