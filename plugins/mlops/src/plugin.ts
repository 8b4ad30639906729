import {
  createComponentExtension,
  createPlugin,
} from '@backstage/core-plugin-api';

/**
 * The MLOps frontend plugin for apps on the legacy frontend system. Apps on the new
 * frontend system use the default export of `@internal/backstage-plugin-mlops/alpha`.
 *
 * @public
 */
export const mlopsPlugin = createPlugin({
  id: 'mlops',
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
      lazy: () =>
        import('./components/MlopsWorkloadCard').then(m => m.MlopsWorkloadCard),
    },
  }),
);
