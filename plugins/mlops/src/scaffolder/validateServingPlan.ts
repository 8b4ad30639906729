import {
  planServingForm,
  servingFormPlanError,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';

/**
 * Refuses the step when the configuration cannot fit, with the planner's reasons and the
 * nearest configuration that does. `mlops:serving:plan` checks again when the task runs.
 */
export const validateServingPlan: CustomFieldValidator<string> = (
  _value,
  validation,
  context,
) => {
  const error = servingFormPlanError(planServingForm(context.formData));
  if (error) validation.addError(error);
};
