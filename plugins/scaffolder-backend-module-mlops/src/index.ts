/**
 * The MLOps module for @backstage/plugin-scaffolder-backend: the `mlops:*` actions.
 *
 * @packageDocumentation
 */

export { scaffolderModuleMlops as default } from './module';
export { createManifestsValidateAction } from './actions';
