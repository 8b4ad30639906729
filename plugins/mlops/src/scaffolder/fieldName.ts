/**
 * `ui:field` of the GPU memory plan in the serving templates.
 *
 * @public
 */
export const SERVING_PLAN_FIELD = 'MlopsServingPlan';
