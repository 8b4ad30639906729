import { Gauge } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** A small labelled gauge; `fraction` in [0, 1]; high is bad (inverse colours). */
export const UsageGauge = (props: {
  label: string;
  fraction: number | undefined;
  testId?: string;
}) => (
  <Box width={112} mr={3} mb={1} textAlign="center" data-testid={props.testId}>
    {props.fraction === undefined ? (
      <Typography variant="h6">—</Typography>
    ) : (
      <Gauge
        value={Math.min(Math.max(props.fraction, 0), 1)}
        fractional
        inverse
        size="small"
      />
    )}
    <Typography variant="caption" color="textSecondary">
      {props.label}
    </Typography>
  </Box>
);
