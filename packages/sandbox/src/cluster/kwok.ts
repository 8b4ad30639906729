import type { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import path from 'node:path';
import { startProcess, type SandboxProcess } from '../processes';
import { rawRequest, serverSideApply } from '../rawApi';

export const FIELD_MANAGER = 'mlops-sandbox';
export const GPU_PRODUCT = 'NVIDIA-H100-80GB-HBM3';
export const GPUS_PER_NODE = 8;
/** Annotation on a training pod: how long it runs before KWOK marks it finished (Go duration). */
export const RUN_DURATION_ANNOTATION = 'sandbox.mlops/run-duration';
/** Label on a training pod that makes KWOK end it Failed (exit code 1) instead of Succeeded. */
export const SIMULATE_FAILURE_LABEL = 'sandbox.mlops/simulate-failure';

export interface FakeNode {
  name: string;
  gpus: number;
}

export const FAKE_NODES: FakeNode[] = [
  { name: 'kwok-gpu-0', gpus: GPUS_PER_NODE },
  { name: 'kwok-gpu-1', gpus: GPUS_PER_NODE },
  { name: 'kwok-cpu-0', gpus: 0 },
];

/** A Node object KWOK adopts (`kwok.x-k8s.io/node: fake`), with GPU capacity on GPU nodes. */
export function fakeNodeObject(node: FakeNode) {
  const gpu = node.gpus > 0;
  const capacity: Record<string, string> = gpu
    ? {
        cpu: '208',
        memory: '2064Gi',
        pods: '110',
        'ephemeral-storage': '7Ti',
        'nvidia.com/gpu': String(node.gpus),
      }
    : { cpu: '32', memory: '128Gi', pods: '110', 'ephemeral-storage': '1Ti' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      annotations: {
        'kwok.x-k8s.io/node': 'fake',
        'node.alpha.kubernetes.io/ttl': '0',
      },
      labels: {
        type: 'kwok',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': node.name,
        'node.kubernetes.io/instance-type': gpu
          ? 'sandbox-8xh100'
          : 'sandbox-cpu',
        ...(gpu
          ? {
              'nvidia.com/gpu.present': 'true',
              'nvidia.com/gpu.product': GPU_PRODUCT,
              'nvidia.com/gpu.count': String(node.gpus),
              'nvidia.com/gpu.memory': '81559',
            }
          : {}),
      },
    },
    spec: gpu
      ? {
          // As GPU node pools usually are: only pods that tolerate GPUs land here.
          taints: [
            { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
          ],
        }
      : {},
    status: {
      capacity,
      allocatable: capacity,
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'fake',
        kubeProxyVersion: 'fake',
        containerRuntimeVersion: 'kwok',
      },
    },
  };
}

/**
 * Creates the fake nodes (idempotent). A Node's status is written on create; an existing
 * node keeps whatever KWOK reports.
 */
export async function createFakeNodes(
  kc: KubeConfig,
  nodes: FakeNode[] = FAKE_NODES,
): Promise<void> {
  for (const node of nodes) {
    const res = await rawRequest(
      kc,
      'POST',
      '/api/v1/nodes',
      fakeNodeObject(node),
    );
    if (res.status >= 300 && res.status !== 409) {
      throw new Error(
        `creating node ${node.name} failed (${res.status}): ${res.body?.message}`,
      );
    }
    if (res.status === 409) {
      await serverSideApply(
        kc,
        `/api/v1/nodes/${node.name}`,
        {
          ...fakeNodeObject(node),
          status: undefined,
        },
        { fieldManager: FIELD_MANAGER, force: true },
      );
    }
  }
}

/**
 * Stages of our own on top of KWOK's "fast" set: pods of a training job (the operator's
 * `training.kubeflow.org/job-name` label) finish after RUN_DURATION_ANNOTATION (default
 * 20s), Succeeded, or Failed with exit code 1 when labelled SIMULATE_FAILURE_LABEL=true.
 */
export function trainingStagesYaml(): string {
  const stage = (
    name: string,
    failed: boolean,
  ) => `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: ${name}
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values: ['Running']
    - key: '.metadata.labels["training.kubeflow.org/job-name"]'
      operator: 'Exists'
    - key: '.metadata.labels["${SIMULATE_FAILURE_LABEL}"]'
      operator: '${failed ? 'In' : 'NotIn'}'
      values: ['true']
  delay:
    durationMilliseconds: 20000
    durationFrom:
      expressionFrom: '.metadata.annotations["${RUN_DURATION_ANNOTATION}"]'
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      - lastTransitionTime: {{ $now | Quote }}
        status: "False"
        type: Ready
        reason: PodCompleted
      - lastTransitionTime: {{ $now | Quote }}
        status: "False"
        type: ContainersReady
        reason: PodCompleted
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: false
        restartCount: 0
        started: false
        state:
          terminated:
            exitCode: ${failed ? 1 : 0}
            finishedAt: {{ $now | Quote }}
            reason: ${failed ? 'Error' : 'Completed'}
      {{ end }}
      phase: ${failed ? 'Failed' : 'Succeeded'}
`;
  return `${stage('training-pod-succeed', false)}---\n${stage(
    'training-pod-fail',
    true,
  )}`;
}

/**
 * KWOK on the host (not in the cluster): manages every node annotated as fake, with its
 * "fast" stages (nodes Ready with lease heartbeats, pods Running at once) plus ours. No
 * server port: --node-port and --server-address stay unset.
 */
export function startKwok(
  binary: string,
  stageDir: string,
  options: { workDir: string; kubeconfigPath: string; detached?: boolean },
): SandboxProcess {
  const ours = path.join(options.workDir, 'kwok-training-stages.yaml');
  fs.writeFileSync(ours, trainingStagesYaml());
  return startProcess(
    'kwok',
    binary,
    [
      `--kubeconfig=${options.kubeconfigPath}`,
      '--manage-all-nodes=true',
      `--config=${path.join(stageDir, 'fast')}`,
      `--config=${ours}`,
      '--node-lease-duration-seconds=40',
    ],
    {
      logFile: path.join(options.workDir, 'kwok.log'),
      detached: options.detached,
    },
  );
}
