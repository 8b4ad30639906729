export * from './types';
export {
  servingSpecSchema,
  parseServingSpec,
  SERVING_ENGINES,
  DEFAULT_VLLM_IMAGE,
  DEFAULT_TRITON_VLLM_IMAGE,
  DEFAULT_TRITON_TRTLLM_IMAGE,
  DEFAULT_PROMETHEUS_URL,
  type ServingEngine,
  type ServingSpec,
  type ServingSpecInput,
} from './spec';
export { planServing, ServingPlanError, type ServingPlan } from './plan';
export {
  summarizeServingPlan,
  servingPlanMarkdown,
  type ServingPlanSummary,
} from './summary';
export { renderVllmDeployment, vllmServeArgs, VLLM_PORT } from './vllm';
export {
  renderTritonDeployment,
  renderTritonVllmConfig,
  renderTritonVllmModelJson,
  renderTritonTrtllmConfig,
  renderModelRepositoryFiles,
  renderModelRepositoryConfigMap,
  tritonModelName,
  TRITON_PORTS,
} from './triton';
export {
  toPbtxt,
  PbEnum,
  PbBlocks,
  type PbMessage,
  type PbValue,
  type PbScalar,
} from './pbtxt';
export {
  renderModelCacheClaim,
  modelCacheInitContainers,
  modelCacheClaimName,
  MODEL_ROOT,
  CACHE_MARKER,
} from './modelCache';
export {
  renderScaledObject,
  renderTriggerAuthentication,
  queueDepthQuery,
  gpuUtilizationQuery,
} from './keda';
export { renderServingService, renderServingMonitor } from './service';
export {
  renderServingCatalogInfo,
  ANNOTATION_MLOPS_KV_CACHE_PLAN,
  SERVING_MANIFESTS_DIR,
  SERVING_COMPONENT_TYPE,
  type ServingComponentEntity,
} from './catalogInfo';
export { renderServingRepo, renderServingObjects } from './repo';
