import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';

/** One labelled figure: a small caption above a large value. */
export const Stat = (props: {
  label: string;
  value: ReactNode;
  testId?: string;
  hint?: string;
}) => (
  <Box minWidth={96} mr={3} mb={1} title={props.hint}>
    <Typography variant="caption" color="textSecondary" component="div">
      {props.label}
    </Typography>
    <Typography variant="h6" component="div" data-testid={props.testId}>
      {props.value}
    </Typography>
  </Box>
);

/** A wrapping row of {@link Stat}s. */
export const StatRow = ({ children }: { children: ReactNode }) => (
  <Box display="flex" flexWrap="wrap" alignItems="flex-start" mb={1}>
    {children}
  </Box>
);
