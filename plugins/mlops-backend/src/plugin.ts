import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readConfiguredClusters } from './config';
import { createRouter } from './router';

/**
 * The MLOps backend plugin: reconciles MLOps workloads to their clusters and serves
 * their status and metrics under `/api/mlops`.
 *
 * @public
 */
export const mlopsPlugin = createBackendPlugin({
  pluginId: 'mlops',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, logger, httpRouter }) {
        const clusters = readConfiguredClusters(config);
        logger.info(
          `MLOps clusters configured: ${
            clusters.map(c => c.name).join(', ') || 'none'
          }`,
        );
        httpRouter.use(await createRouter({ clusters }));
        // Liveness for load balancers and the smoke test; it reveals only cluster names.
        httpRouter.addAuthPolicy({
          path: '/v1/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
