import type { ComponentEntity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_MLOPS_CLUSTER,
  ANNOTATION_MLOPS_MANIFESTS,
  ANNOTATION_MLOPS_NAMESPACE,
  ANNOTATION_MLOPS_WORKLOAD,
} from '../annotations';
import { findGpuPreset } from '../planner/gpuPresets';
import { findModelPreset } from '../planner/modelPresets';
import {
  parseServingSpec,
  type ServingSpec,
  type ServingSpecInput,
} from './spec';
import type { ServingPlanSummary } from './summary';

/** Where the rendered manifests live in a serving repo (annotation `mlops/manifests`). @public */
export const SERVING_MANIFESTS_DIR = 'deploy';
/**
 * The plan's KV-cache range on the entity (JSON of plan.json's vllmRelease, verdict,
 * maxModelLen and kvCache; read with `plannedKvRange`), so the serving card can compare it
 * with the running server's `vllm:cache_config_info` without reading the repository.
 * @public
 */
export const ANNOTATION_MLOPS_KV_CACHE_PLAN = 'mlops/kv-cache-plan';
/** `spec.type` of a model-server Component. @public */
export const SERVING_COMPONENT_TYPE = 'model-server';

/**
 * The catalog Component of a serving repo, as rendered: catalog-model's `ComponentEntity` with
 * the fields the renderer always sets.
 * @public
 */
export interface ServingComponentEntity extends ComponentEntity {
  metadata: ComponentEntity['metadata'] & {
    description: string;
    tags: string[];
    annotations: Record<string, string>;
  };
  spec: ComponentEntity['spec'] & {
    type: typeof SERVING_COMPONENT_TYPE;
    lifecycle: 'experimental';
  };
}

const ENGINE_NAMES: Record<ServingSpec['engine'], string> = {
  vllm: 'vLLM',
  'triton-vllm': 'Triton (vLLM backend)',
  'triton-tensorrt-llm': 'Triton (TensorRT-LLM backend)',
};

/** @public */
export function describeServing(spec: ServingSpec): string {
  if (spec.description) return spec.description;
  const model = findModelPreset(spec.model)!;
  const gpu = findGpuPreset(spec.gpu)!;
  const gpus = gpu.mig ? '1 x' : `${spec.tensorParallelSize} x`;
  return `${model.displayName} on ${ENGINE_NAMES[spec.engine]}, ${gpus} ${
    gpu.displayName
  } per replica`;
}

function kvCachePlanAnnotation(plan: ServingPlanSummary): string {
  const { blockSize, blocks, tokens } = plan.kvCache;
  return JSON.stringify({
    vllmRelease: plan.vllmRelease,
    verdict: plan.verdict,
    maxModelLen: plan.maxModelLen,
    kvCache: { blockSize, blocks, tokens },
  });
}

/** The catalog Component; with the plan's summary, it carries the planned KV-cache range. @public */
export function renderServingCatalogInfo(
  input: ServingSpecInput | ServingSpec,
  plan?: ServingPlanSummary,
): ServingComponentEntity {
  const spec = parseServingSpec(input);
  const annotations: Record<string, string> = {
    [ANNOTATION_MLOPS_MANIFESTS]: `./${SERVING_MANIFESTS_DIR}`,
    [ANNOTATION_MLOPS_NAMESPACE]: spec.namespace,
    [ANNOTATION_MLOPS_WORKLOAD]: 'serving',
    [ANNOTATION_KUBERNETES_ID]: spec.name,
    'backstage.io/kubernetes-namespace': spec.namespace,
  };
  if (spec.cluster) annotations[ANNOTATION_MLOPS_CLUSTER] = spec.cluster;
  if (plan)
    annotations[ANNOTATION_MLOPS_KV_CACHE_PLAN] = kvCachePlanAnnotation(plan);
  const tags = [
    spec.engine === 'vllm' ? 'vllm' : 'triton',
    ...(spec.engine === 'triton-tensorrt-llm' ? ['tensorrt-llm'] : []),
    'llm',
    'gpu',
    'keda',
  ];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: spec.name,
      description: describeServing(spec),
      tags,
      annotations,
    },
    spec: {
      type: SERVING_COMPONENT_TYPE,
      lifecycle: 'experimental',
      owner: spec.owner,
      system: spec.system,
    },
  };
}
