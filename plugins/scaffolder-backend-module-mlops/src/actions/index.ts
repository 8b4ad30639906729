export { createManifestsValidateAction } from './manifests/validate';
export { createTrainingRenderAction } from './training/render';
export { createPublishLocalAction } from './publish/local';
