export { SERVING_PLAN_FIELD } from './fieldName';
export { ServingPlanField } from './ServingPlanField';
export { ServingPlanView } from './ServingPlanView';
export { validateServingPlan } from './validateServingPlan';
