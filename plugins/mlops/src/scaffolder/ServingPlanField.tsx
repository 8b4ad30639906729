import {
  planServingForm,
  servingFormPlanSummary,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useEffect, useMemo } from 'react';
import { ServingPlanView } from './ServingPlanView';

/**
 * Read-only field: plans GPU memory from its sibling fields as they change. Its value is the
 * plan in one line, so the review step lists it and the task's parameters record it.
 */
export const ServingPlanField = ({
  formContext,
  formData,
  onChange,
  schema,
}: FieldExtensionComponentProps<string>) => {
  const values = formContext?.formData as Record<string, unknown> | undefined;
  const plan = useMemo(() => planServingForm(values), [values]);
  const summary = servingFormPlanSummary(plan);
  useEffect(() => {
    // The value also keeps the field in the form data, which is what makes the scaffolder validate it.
    if (summary !== formData) onChange(summary);
  }, [summary, formData, onChange]);
  return (
    <Box mt={2} mb={1}>
      <Typography variant="h6">{schema.title ?? 'GPU memory plan'}</Typography>
      {schema.description ? (
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {schema.description}
        </Typography>
      ) : null}
      <ServingPlanView plan={plan} />
    </Box>
  );
};
