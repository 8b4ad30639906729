import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** Sentences of one kind: why vLLM would refuse (error), or why the plan is borderline (warning). */
export const PlanMessages = (props: {
  messages: string[];
  kind: 'error' | 'warning';
}) => {
  if (props.messages.length === 0) return null;
  const error = props.kind === 'error';
  return (
    <Box
      component="ul"
      pl={2}
      color={error ? 'error.main' : 'warning.dark'}
      data-testid={error ? 'mlops-plan-problems' : 'mlops-plan-warnings'}
    >
      {props.messages.map(message => (
        <Typography
          component="li"
          variant="body2"
          color="inherit"
          key={message}
        >
          {message}
        </Typography>
      ))}
    </Box>
  );
};
