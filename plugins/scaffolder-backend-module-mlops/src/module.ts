import {
  coreServices,
  createBackendFeatureLoader,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createManifestsValidateAction,
  createPublishLocalAction,
  createTrainingRenderAction,
  createServingPlanAction,
  createServingRenderAction,
} from './actions';
import { localRepoUrlReaderFactory } from './services/LocalRepos/localRepoUrlReaderFactory';

/**
 * Registers the MLOps scaffolder actions (`mlops:*`).
 *
 * @public
 */
export const scaffolderModuleMlops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'mlops',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ scaffolderActions, config }) {
        scaffolderActions.addActions(
          createTrainingRenderAction(),
          createManifestsValidateAction({ config }),
          createPublishLocalAction({ config }),
          createServingPlanAction(),
          createServingRenderAction(),
        );
      },
    });
  },
});

/**
 * The module with the UrlReader that serves `file://` URLs under the local publish root, so
 * repos published by `mlops:publish:local` can be registered with the stock `catalog:register`
 * and read by the reconciler. `backend.add(import(...))` of this package adds both.
 *
 * @public
 */
export const scaffolderModuleMlopsWithLocalRepos = createBackendFeatureLoader({
  *loader() {
    yield scaffolderModuleMlops;
    yield localRepoUrlReaderFactory;
  },
});
