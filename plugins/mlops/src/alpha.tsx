import { compatWrapper } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import {
  isMlopsWorkload,
  isServingWorkload,
  isTrainingWorkload,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { MlopsClient, mlopsApiRef } from './api';

const mlopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: mlopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MlopsClient({ discoveryApi, fetchApi }),
    }),
});

/** What the reconciler applies, and where; on every MLOps workload's overview. */
const entityMlopsWorkloadCard = EntityCardBlueprint.make({
  name: 'workload',
  params: {
    filter: isMlopsWorkload,
    type: 'info',
    loader: () =>
      import('./components').then(m => compatWrapper(<m.MlopsWorkloadCard />)),
  },
});

const entityTrainingStatusCard = EntityCardBlueprint.make({
  name: 'training-status',
  params: {
    filter: isTrainingWorkload,
    type: 'content',
    loader: () =>
      import('./components').then(m => compatWrapper(<m.TrainingStatusCard />)),
  },
});

const entityServingThroughputCard = EntityCardBlueprint.make({
  name: 'serving-throughput',
  params: {
    filter: isServingWorkload,
    type: 'content',
    loader: () =>
      import('./components').then(m =>
        compatWrapper(<m.ServingThroughputCard />),
      ),
  },
});

const entityAutoscalerCard = EntityCardBlueprint.make({
  name: 'autoscaler',
  params: {
    filter: isServingWorkload,
    type: 'content',
    loader: () =>
      import('./components').then(m => compatWrapper(<m.AutoscalerCard />)),
  },
});

const entityReconcileStatusCard = EntityCardBlueprint.make({
  name: 'reconcile-status',
  params: {
    filter: isMlopsWorkload,
    // Its objects table outgrows the sticky info column.
    type: 'content',
    loader: () =>
      import('./components').then(m =>
        compatWrapper(<m.ReconcileStatusCard />),
      ),
  },
});

/** The MLOps tab, on entities with `mlops/manifests`. */
const entityMlopsContent = EntityContentBlueprint.make({
  params: {
    path: '/mlops',
    title: 'MLOps',
    filter: isMlopsWorkload,
    loader: () =>
      import('./components').then(m => compatWrapper(<m.MlopsContent />)),
  },
});

/** `ui:field: MlopsServingPlan`: the serving templates' GPU memory plan, refusing what cannot fit. */
const servingPlanFormField = FormFieldBlueprint.make({
  name: 'serving-plan',
  params: {
    field: () =>
      import('./scaffolder/formField').then(m => m.servingPlanFormField),
  },
});

/**
 * The MLOps plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'mlops',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    mlopsApi,
    entityMlopsWorkloadCard,
    entityTrainingStatusCard,
    entityServingThroughputCard,
    entityAutoscalerCard,
    entityReconcileStatusCard,
    entityMlopsContent,
    servingPlanFormField,
  ],
});
