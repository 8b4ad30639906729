import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { MlopsClient, mlopsApiRef } from './api';
import { rootRouteRef } from './routes';
import {
  SERVING_PLAN_FIELD,
  ServingPlanField,
  validateServingPlan,
} from './scaffolder';

/**
 * The MLOps frontend plugin for apps on the legacy frontend system. Apps on the new
 * frontend system use the default export of `@mlops-plugins/backstage-plugin-mlops/alpha`.
 *
 * @public
 */
export const mlopsPlugin = createPlugin({
  id: 'mlops',
  apis: [
    createApiFactory({
      api: mlopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MlopsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { entityContent: rootRouteRef },
});

/**
 * Entity overview card: the MLOps annotations of the entity, or the missing-annotation
 * state when it has none.
 *
 * @public
 */
export const EntityMlopsWorkloadCard = mlopsPlugin.provide(
  createComponentExtension({
    name: 'EntityMlopsWorkloadCard',
    component: {
      lazy: () => import('./components').then(m => m.MlopsWorkloadCard),
    },
  }),
);

/**
 * PyTorchJob / TrainJob / RayJob phase, replicas, duration, restarts and conditions.
 * Use with `isTrainingWorkload`.
 *
 * @public
 */
export const EntityTrainingStatusCard = mlopsPlugin.provide(
  createComponentExtension({
    name: 'EntityTrainingStatusCard',
    component: {
      lazy: () => import('./components').then(m => m.TrainingStatusCard),
    },
  }),
);

/**
 * Model server tokens/s, queue, KV cache, latency and GPU utilisation (vLLM or Triton).
 * Use with `isServingWorkload`.
 *
 * @public
 */
export const EntityServingThroughputCard = mlopsPlugin.provide(
  createComponentExtension({
    name: 'EntityServingThroughputCard',
    component: {
      lazy: () => import('./components').then(m => m.ServingThroughputCard),
    },
  }),
);

/**
 * KEDA ScaledObject: replica bounds and counts, triggers, conditions, HPA and cooldown.
 * Use with `isServingWorkload`.
 *
 * @public
 */
export const EntityAutoscalerCard = mlopsPlugin.provide(
  createComponentExtension({
    name: 'EntityAutoscalerCard',
    component: {
      lazy: () => import('./components').then(m => m.AutoscalerCard),
    },
  }),
);

/**
 * Reconcile record of the entity and "Sync now" for users with `mlops.workload.sync`.
 * Use with `isMlopsAvailable`.
 *
 * @public
 */
export const EntityReconcileStatusCard = mlopsPlugin.provide(
  createComponentExtension({
    name: 'EntityReconcileStatusCard',
    component: {
      lazy: () => import('./components').then(m => m.ReconcileStatusCard),
    },
  }),
);

/**
 * The MLOps entity tab: the cards that fit the entity's workload type.
 * Use with `isMlopsAvailable`.
 *
 * @public
 */
export const EntityMlopsContent = mlopsPlugin.provide(
  createRoutableExtension({
    name: 'EntityMlopsContent',
    component: () => import('./components').then(m => m.MlopsContent),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Create-form field `MlopsServingPlan`: the GPU memory plan of the serving templates' form
 * values, refusing the step when the configuration cannot fit. Place it inside
 * `<ScaffolderFieldExtensions>` of the scaffolder route.
 *
 * @public
 */
export const MlopsServingPlanFieldExtension = mlopsPlugin.provide(
  createScaffolderFieldExtension({
    name: SERVING_PLAN_FIELD,
    component: ServingPlanField,
    validation: validateServingPlan,
  }),
);
