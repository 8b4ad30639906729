import type { EnvVar, PodTemplateSpec } from '../render/k8s';
import type { PyTorchJob, PyTorchReplicaSpec } from './types';
import {
  CHECKPOINT_DIR,
  CODE_DIR,
  DATA_DIR,
  baseEnv,
  datasetInitContainers,
  gpuScheduling,
  kubernetesIdLabels,
  podSecurityContext,
  resourcesFor,
  runImage,
  trainingContainer,
  trainingVolumeMounts,
  trainingVolumes,
} from './pod';
import {
  parsePyTorchTrainingSpec,
  type PyTorchTrainingSpec,
  type PyTorchTrainingSpecInput,
} from './spec';

/** NCCL settings the operator does not inject; users would otherwise hand-write them. */
export function ncclEnv(spec: PyTorchTrainingSpec): EnvVar[] {
  const env: EnvVar[] = [
    { name: 'NCCL_DEBUG', value: spec.nccl.debug },
    { name: 'NCCL_IB_DISABLE', value: spec.nccl.ib ? '0' : '1' },
  ];
  if (spec.nccl.socketIfname) {
    env.push({ name: 'NCCL_SOCKET_IFNAME', value: spec.nccl.socketIfname });
  }
  return env;
}

/** `train.py` arguments shared by the PyTorchJob and the TrainJob. */
export function trainArgs(
  spec: PyTorchTrainingSpec,
  dataDir: string = DATA_DIR,
): string[] {
  return [
    `${CODE_DIR}/train.py`,
    `--epochs=${spec.epochs}`,
    `--batch-size=${spec.batchSize}`,
    `--data-dir=${dataDir}`,
    `--checkpoint-dir=${CHECKPOINT_DIR}`,
  ];
}

function podTemplate(spec: PyTorchTrainingSpec): PodTemplateSpec {
  return {
    metadata: { labels: kubernetesIdLabels(spec.name) },
    spec: {
      ...gpuScheduling(spec, spec.gpusPerNode),
      initContainers: datasetInitContainers(spec),
      containers: [
        trainingContainer({
          // The training operator finds the container by this exact name.
          name: 'pytorch',
          image: runImage(spec),
          command: ['torchrun'],
          args: trainArgs(spec),
          env: [...ncclEnv(spec), ...baseEnv(spec)],
          resources: resourcesFor(spec.cpu, spec.memory, spec.gpusPerNode),
          volumeMounts: trainingVolumeMounts(spec),
        }),
      ],
      volumes: trainingVolumes(spec),
      securityContext: podSecurityContext(),
    },
  };
}

function replicas(
  spec: PyTorchTrainingSpec,
  count: number,
): PyTorchReplicaSpec {
  return {
    replicas: count,
    restartPolicy: 'OnFailure',
    template: podTemplate(spec),
  };
}

/**
 * Renders a Kubeflow training-operator v1 PyTorchJob: a Master and `nodes - 1` Workers running
 * torchrun (which reads the operator's PET_* environment), or Workers only under an elastic
 * policy with c10d rendezvous, where no fixed master exists.
 * @public
 */
export function renderPyTorchJob(input: PyTorchTrainingSpecInput): PyTorchJob {
  const spec = parsePyTorchTrainingSpec(input);
  const { elastic } = spec;
  return {
    apiVersion: 'kubeflow.org/v1',
    kind: 'PyTorchJob',
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      labels: kubernetesIdLabels(spec.name),
    },
    spec: {
      nprocPerNode: String(spec.procsPerNode),
      runPolicy: {
        cleanPodPolicy: spec.cleanPodPolicy,
        ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished,
        backoffLimit: spec.backoffLimit,
      },
      elasticPolicy: elastic
        ? {
            minReplicas: elastic.minNodes,
            maxReplicas: elastic.maxNodes,
            maxRestarts: elastic.maxRestarts,
            rdzvBackend: 'c10d',
          }
        : undefined,
      pytorchReplicaSpecs: elastic
        ? { Worker: replicas(spec, spec.nodes) }
        : {
            Master: replicas(spec, 1),
            Worker: spec.nodes > 1 ? replicas(spec, spec.nodes - 1) : undefined,
          },
    },
  };
}
