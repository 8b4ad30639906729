import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { SERVING_PLAN_FIELD } from './fieldName';
import { ServingPlanField } from './ServingPlanField';
import { validateServingPlan } from './validateServingPlan';

/** The plan field for the new frontend system's scaffolder (loaded by `FormFieldBlueprint`). */
export const servingPlanFormField = createFormField({
  name: SERVING_PLAN_FIELD,
  component: ServingPlanField,
  validation: validateServingPlan,
});
