export { createManifestsValidateAction } from './manifests/validate';
export { createTrainingRenderAction } from './training/render';
export { createPublishLocalAction } from './publish/local';
export { createServingPlanAction } from './serving/plan';
export { createServingRenderAction } from './serving/render';
