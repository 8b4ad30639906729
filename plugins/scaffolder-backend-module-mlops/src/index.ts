/**
 * The MLOps module for `@backstage/plugin-scaffolder-backend`: the `mlops:*` actions, and a
 * UrlReader for repos published locally by `mlops:publish:local`.
 *
 * @packageDocumentation
 */

export {
  scaffolderModuleMlopsWithLocalRepos as default,
  scaffolderModuleMlops,
} from './module';
export {
  createManifestsValidateAction,
  createPublishLocalAction,
  createTrainingRenderAction,
} from './actions';
export { localRepoUrlReaderFactory } from './services/LocalRepos/localRepoUrlReaderFactory';
