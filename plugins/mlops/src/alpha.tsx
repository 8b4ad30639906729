import { compatWrapper } from '@backstage/core-compat-api';
import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';

/** Overview card on every component page; shows the missing-annotation state where unset. */
const entityMlopsWorkloadCard = EntityCardBlueprint.make({
  name: 'workload',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/MlopsWorkloadCard').then(m =>
        compatWrapper(<m.MlopsWorkloadCard />),
      ),
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
  extensions: [entityMlopsWorkloadCard],
});
