export * from './types';
export * from './spec';
export * from './repoSpec';
export { renderPyTorchJob } from './pytorchjob';
export { renderTrainJob } from './trainjob';
export { renderRayJob, renderRayCluster } from './ray';
export {
  renderCatalogInfo,
  TRAINING_MANIFESTS_DIR,
  TRAINING_COMPONENT_TYPE,
  type TrainingComponentEntity,
} from './catalogInfo';
export { renderTrainingRepo, renderWorkload, type RenderedFile } from './repo';
