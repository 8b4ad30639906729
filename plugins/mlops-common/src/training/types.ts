import type {
  EnvVar,
  ObjectMeta,
  PodTemplateSpec,
  ResourceRequirements,
  Toleration,
  Volume,
  VolumeMount,
} from '../render/k8s';

/** A replica spec of a PyTorchJob (`kubeflow.org/v1`). @public */
export interface PyTorchReplicaSpec {
  replicas: number;
  restartPolicy: 'Always' | 'OnFailure' | 'Never' | 'ExitCode';
  template: PodTemplateSpec;
}

/** Kubeflow training-operator v1 PyTorchJob, as rendered. @public */
export interface PyTorchJob {
  apiVersion: 'kubeflow.org/v1';
  kind: 'PyTorchJob';
  metadata: ObjectMeta;
  spec: {
    nprocPerNode: string;
    runPolicy: {
      cleanPodPolicy: 'Running' | 'All' | 'None';
      ttlSecondsAfterFinished: number;
      backoffLimit: number;
    };
    elasticPolicy?: {
      minReplicas: number;
      maxReplicas: number;
      maxRestarts: number;
      rdzvBackend: 'c10d';
    };
    pytorchReplicaSpecs: {
      /** Absent under an elastic policy (c10d rendezvous needs no fixed master). */
      Master?: PyTorchReplicaSpec;
      Worker?: PyTorchReplicaSpec;
    };
  };
}

/** Kubeflow Trainer v2 TrainJob (`trainer.kubeflow.org/v1alpha1`), as rendered. @public */
export interface TrainJob {
  apiVersion: 'trainer.kubeflow.org/v1alpha1';
  kind: 'TrainJob';
  metadata: ObjectMeta;
  spec: {
    runtimeRef: {
      apiGroup: 'trainer.kubeflow.org';
      kind: 'ClusterTrainingRuntime' | 'TrainingRuntime';
      name: string;
    };
    initializer?: {
      dataset?: { storageUri: string };
      model?: { storageUri: string };
    };
    trainer: {
      image: string;
      command: string[];
      args: string[];
      env: EnvVar[];
      numNodes: number;
      numProcPerNode: number;
      resourcesPerNode: ResourceRequirements;
    };
    runtimePatches: Array<{
      manager: string;
      trainingRuntimeSpec: {
        template: {
          spec: {
            replicatedJobs: Array<{
              name: string;
              template: {
                metadata: { labels: Record<string, string> };
                spec: {
                  template: {
                    metadata: { labels: Record<string, string> };
                    spec: {
                      nodeSelector?: Record<string, string>;
                      tolerations?: Toleration[];
                      securityContext?: {
                        runAsNonRoot?: boolean;
                        fsGroup?: number;
                      };
                      volumes: Volume[];
                      containers: Array<{
                        name: string;
                        volumeMounts: VolumeMount[];
                      }>;
                    };
                  };
                };
              };
            }>;
          };
        };
      };
    }>;
  };
}

/** A worker group of a RayCluster. @public */
export interface RayWorkerGroupSpec {
  groupName: string;
  replicas: number;
  minReplicas: number;
  maxReplicas: number;
  idleTimeoutSeconds?: number;
  rayStartParams: Record<string, string>;
  template: PodTemplateSpec;
}

/** The spec of a RayCluster, also embedded in a RayJob. @public */
export interface RayClusterSpec {
  rayVersion: string;
  enableInTreeAutoscaling: boolean;
  autoscalerOptions?: { idleTimeoutSeconds: number; upscalingMode: 'Default' };
  headGroupSpec: {
    rayStartParams: Record<string, string>;
    template: PodTemplateSpec;
  };
  workerGroupSpecs: RayWorkerGroupSpec[];
}

/** KubeRay RayCluster (`ray.io/v1`), as rendered. @public */
export interface RayCluster {
  apiVersion: 'ray.io/v1';
  kind: 'RayCluster';
  metadata: ObjectMeta;
  spec: RayClusterSpec;
}

/** KubeRay RayJob (`ray.io/v1`), as rendered. @public */
export interface RayJob {
  apiVersion: 'ray.io/v1';
  kind: 'RayJob';
  metadata: ObjectMeta;
  spec: {
    entrypoint: string;
    submissionMode: 'K8sJobMode';
    shutdownAfterJobFinishes: boolean;
    ttlSecondsAfterFinished: number;
    backoffLimit: number;
    rayClusterSpec: RayClusterSpec;
  };
}

function hasKind(value: unknown, apiVersion: string, kind: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { apiVersion?: unknown }).apiVersion === apiVersion &&
    (value as { kind?: unknown }).kind === kind
  );
}

/** @public */
export function isPyTorchJob(value: unknown): value is PyTorchJob {
  return hasKind(value, 'kubeflow.org/v1', 'PyTorchJob');
}
/** @public */
export function isTrainJob(value: unknown): value is TrainJob {
  return hasKind(value, 'trainer.kubeflow.org/v1alpha1', 'TrainJob');
}
/** @public */
export function isRayJob(value: unknown): value is RayJob {
  return hasKind(value, 'ray.io/v1', 'RayJob');
}
/** @public */
export function isRayCluster(value: unknown): value is RayCluster {
  return hasKind(value, 'ray.io/v1', 'RayCluster');
}
