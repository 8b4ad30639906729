import type { MlopsHealth } from '@mlops-plugins/backstage-plugin-mlops-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  healthy: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  progressing: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  degraded: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  failed: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  suspended: {
    backgroundColor: theme.palette.grey[500],
    color: theme.palette.common.white,
  },
  unknown: {},
}));

/** Our health verdict as a coloured chip, labelled with `label` (e.g. the job's phase). */
export const HealthChip = (props: {
  health: MlopsHealth;
  label?: string;
  testId?: string;
}) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.label ?? props.health}
      className={classes[props.health] ?? classes.unknown}
      data-testid={props.testId}
      title={`health: ${props.health}`}
    />
  );
};
