/** `ui:field` of the GPU memory plan in the serving templates. */
export const SERVING_PLAN_FIELD = 'MlopsServingPlan';
