import type { ComponentEntity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_MLOPS_CLUSTER,
  ANNOTATION_MLOPS_MANIFESTS,
  ANNOTATION_MLOPS_NAMESPACE,
  ANNOTATION_MLOPS_WORKLOAD,
} from '../annotations';
import { parseTrainingRepoSpec, type TrainingRepoSpecInput } from './repoSpec';

/** Where the rendered manifests live in a training repo (annotation `mlops/manifests`). @public */
export const TRAINING_MANIFESTS_DIR = 'deploy';
/** `spec.type` of a training Component. @public */
export const TRAINING_COMPONENT_TYPE = 'training-job';

/**
 * The catalog Component of a training repo, as rendered: catalog-model's `ComponentEntity` with
 * the fields the renderer always sets.
 * @public
 */
export interface TrainingComponentEntity extends ComponentEntity {
  metadata: ComponentEntity['metadata'] & {
    description: string;
    tags: string[];
    annotations: Record<string, string>;
  };
  spec: ComponentEntity['spec'] & {
    type: typeof TRAINING_COMPONENT_TYPE;
    lifecycle: 'experimental';
  };
}

/** A one-line description when the user gave none. */
export function defaultDescription(input: TrainingRepoSpecInput): string {
  const spec = parseTrainingRepoSpec(input);
  if (spec.description) {
    return spec.description;
  }
  if (spec.framework === 'pytorch') {
    const what =
      spec.operator === 'trainjob' ? 'Trainer v2 TrainJob' : 'PyTorchJob';
    return `PyTorch DDP training on ${spec.nodes} node(s) x ${spec.gpusPerNode} GPU(s) (Kubeflow ${what})`;
  }
  const what = spec.mode === 'rayjob' ? 'RayJob' : 'RayCluster';
  return `Ray Train on ${spec.workers} worker(s) x ${spec.gpusPerWorker} GPU(s) (KubeRay ${what})`;
}

/**
 * Renders the `catalog-info.yaml` Component of a training repo: our annotations (which make the
 * reconciler apply `./deploy`), the stock Kubernetes plugin's id, owner, system, `training-job`.
 * @public
 */
export function renderCatalogInfo(
  input: TrainingRepoSpecInput,
): TrainingComponentEntity {
  const spec = parseTrainingRepoSpec(input);
  const annotations: Record<string, string> = {
    [ANNOTATION_MLOPS_MANIFESTS]: `./${TRAINING_MANIFESTS_DIR}`,
    [ANNOTATION_MLOPS_NAMESPACE]: spec.namespace,
    [ANNOTATION_MLOPS_WORKLOAD]: 'training',
    [ANNOTATION_KUBERNETES_ID]: spec.name,
    'backstage.io/kubernetes-namespace': spec.namespace,
  };
  if (spec.cluster) {
    annotations[ANNOTATION_MLOPS_CLUSTER] = spec.cluster;
  }
  const tags =
    spec.framework === 'pytorch'
      ? [
          'pytorch',
          'ddp',
          spec.operator === 'trainjob' ? 'kubeflow-trainer' : 'kubeflow',
        ]
      : ['ray', 'kuberay'];
  const gpus =
    spec.framework === 'pytorch' ? spec.gpusPerNode : spec.gpusPerWorker;
  if (gpus > 0) {
    tags.push('gpu');
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: spec.name,
      description: defaultDescription(input),
      tags,
      annotations,
    },
    spec: {
      type: TRAINING_COMPONENT_TYPE,
      lifecycle: 'experimental',
      owner: spec.owner,
      system: spec.system,
    },
  };
}
