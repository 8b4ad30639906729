import type { TrainJob } from './types';
import {
  baseEnv,
  gpuScheduling,
  kubernetesIdLabels,
  podSecurityContext,
  resourcesFor,
  runImage,
  trainingVolumeMounts,
  trainingVolumes,
} from './pod';
import { ncclEnv, trainArgs } from './pytorchjob';
import {
  parsePyTorchTrainingSpec,
  type PyTorchTrainingSpecInput,
} from './spec';

/** Where Trainer v2's dataset initializer leaves the data, on the runtime's shared volume. */
export const TRAINER_DATASET_DIR = '/workspace/dataset';
/** The replicated job and container of the stock torch-distributed runtimes. */
export const TRAINER_NODE = 'node';
/** Field manager of our runtime patch. */
export const TRAINER_PATCH_MANAGER = 'backstage.io/mlops';

/**
 * Renders a Kubeflow Trainer v2 TrainJob that references a (Cluster)TrainingRuntime such as
 * `torch-distributed`. Volumes, GPU scheduling and pod labels, which the trainer API has no
 * fields for, go in as a runtime patch of the runtime's `node` job.
 * @public
 */
export function renderTrainJob(input: PyTorchTrainingSpecInput): TrainJob {
  const spec = parsePyTorchTrainingSpec(input);
  const labels = kubernetesIdLabels(spec.name);
  const dataDir = spec.datasetUri ? TRAINER_DATASET_DIR : undefined;
  const initializer =
    spec.datasetUri || spec.modelUri
      ? {
          dataset: spec.datasetUri
            ? { storageUri: spec.datasetUri }
            : undefined,
          model: spec.modelUri ? { storageUri: spec.modelUri } : undefined,
        }
      : undefined;
  // The dataset reaches the pod through the initializer, so the fetcher's env is not needed.
  const env = [
    ...ncclEnv(spec),
    ...baseEnv({ ...spec, datasetUri: undefined }, dataDir),
  ];
  return {
    apiVersion: 'trainer.kubeflow.org/v1alpha1',
    kind: 'TrainJob',
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      runtimeRef: {
        apiGroup: 'trainer.kubeflow.org',
        kind: spec.runtime.kind,
        name: spec.runtime.name,
      },
      initializer,
      trainer: {
        image: runImage(spec),
        command: ['torchrun'],
        args: trainArgs(spec, dataDir),
        env,
        numNodes: spec.nodes,
        numProcPerNode: spec.procsPerNode,
        resourcesPerNode: resourcesFor(spec.cpu, spec.memory, spec.gpusPerNode),
      },
      runtimePatches: [
        {
          manager: TRAINER_PATCH_MANAGER,
          trainingRuntimeSpec: {
            template: {
              spec: {
                replicatedJobs: [
                  {
                    name: TRAINER_NODE,
                    template: {
                      metadata: { labels },
                      spec: {
                        template: {
                          metadata: { labels },
                          spec: {
                            ...gpuScheduling(spec, spec.gpusPerNode),
                            securityContext: podSecurityContext(),
                            volumes: trainingVolumes(spec).filter(
                              v => v.name !== 'data',
                            ),
                            containers: [
                              {
                                name: TRAINER_NODE,
                                volumeMounts: trainingVolumeMounts(spec).filter(
                                  m => m.name !== 'data',
                                ),
                              },
                            ],
                          },
                        },
                      },
                    },
                  },
                ],
              },
            },
          },
        },
      ],
    },
  };
}
