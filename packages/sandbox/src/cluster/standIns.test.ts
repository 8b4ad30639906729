import { dcgmMetricsText, gpuReadings } from './dcgmExporter';
import type { KubeObject } from './kubeClient';
import { fakeNodeObject, FAKE_NODES } from './kwok';
import { desiredPods, nextStatus } from './pytorchJobStandIn';
import { kedaDesiredReplicas, stabilize } from './scaledObjectStandIn';
import { parseVllmArgs } from './servingSimulators';

const job: KubeObject = {
  apiVersion: 'kubeflow.org/v1',
  kind: 'PyTorchJob',
  metadata: { name: 'j', namespace: 'ns', uid: 'u1' },
  spec: {
    nprocPerNode: '4',
    pytorchReplicaSpecs: {
      Worker: {
        replicas: 2,
        template: { spec: { containers: [{ name: 'pytorch' }] } },
      },
      Master: {
        replicas: 1,
        template: { spec: { containers: [{ name: 'pytorch' }] } },
      },
    },
  },
};
const pod = (name: string, type: string, phase: string): KubeObject => ({
  metadata: { name, labels: { 'training.kubeflow.org/replica-type': type } },
  status: { phase },
});

describe('KEDA stand-in rule', () => {
  it('takes the max over triggers of ceil(metric / threshold), clamped to [min, max]', () => {
    expect(
      kedaDesiredReplicas(
        [
          { value: 17, threshold: 8 },
          { value: 40, threshold: 80 },
        ],
        1,
        4,
      ),
    ).toBe(3);
    expect(kedaDesiredReplicas([{ value: 200, threshold: 8 }], 1, 4)).toBe(4);
    expect(kedaDesiredReplicas([{ value: 0, threshold: 8 }], 1, 4)).toBe(1);
    expect(kedaDesiredReplicas([{ threshold: 8 }], 2, 4)).toBe(2);
  });

  it('scales down only to the highest recommendation in the window', () => {
    const h = [
      { at: 0, desired: 4 },
      { at: 1000, desired: 1 },
    ];
    expect(stabilize(4, h, 1000, 0, 300_000)).toBe(4);
    expect(stabilize(4, h, 400_000, 0, 300_000)).toBe(1);
    expect(stabilize(4, [{ at: 1000, desired: 1 }], 2000, 0, 300_000)).toBe(1);
    expect(stabilize(1, [{ at: 1000, desired: 3 }], 1000, 0, 300_000)).toBe(3);
  });
});

describe('training-operator stand-in', () => {
  it('creates Master then Worker pods with the operator labels and rank env', () => {
    const pods = desiredPods(job);
    expect(pods.map(p => p.metadata.name)).toEqual([
      'j-master-0',
      'j-worker-0',
      'j-worker-1',
    ]);
    expect(pods[0].metadata.labels).toMatchObject({
      'training.kubeflow.org/job-name': 'j',
      'training.kubeflow.org/replica-type': 'master',
      'training.kubeflow.org/replica-index': '0',
      'training.kubeflow.org/job-role': 'master',
    });
    const env = Object.fromEntries(
      pods[2].spec.containers[0].env.map((e: any) => [e.name, e.value]),
    );
    expect(env).toMatchObject({
      MASTER_ADDR: 'j-master-0',
      WORLD_SIZE: '3',
      RANK: '2',
      PYTHONUNBUFFERED: '1',
    });
  });

  it('goes Created → Running → Succeeded, and Running turns False at the end', () => {
    let j = { ...job, status: nextStatus(job, [], 't0') };
    expect(j.status.conditions.map((c: any) => c.type)).toEqual(['Created']);
    const running = [
      pod('a', 'master', 'Running'),
      pod('b', 'worker', 'Running'),
      pod('c', 'worker', 'Running'),
    ];
    j = { ...j, status: nextStatus(j, running, 't1') };
    expect(j.status.conditions.at(-1)).toMatchObject({
      type: 'Running',
      status: 'True',
    });
    expect(j.status.replicaStatuses.Worker).toMatchObject({ active: 2 });
    const done = running.map(p => ({ ...p, status: { phase: 'Succeeded' } }));
    j = { ...j, status: nextStatus(j, done, 't2') };
    expect(j.status.conditions.map((c: any) => [c.type, c.status])).toEqual([
      ['Created', 'True'],
      ['Running', 'False'],
      ['Succeeded', 'True'],
    ]);
    expect(j.status.completionTime).toBe('t2');
    expect(j.status.replicaStatuses.Master).toMatchObject({
      succeeded: 1,
      active: 0,
    });
  });

  it('fails the job when a replica fails', () => {
    const pods = [pod('a', 'master', 'Running'), pod('b', 'worker', 'Failed')];
    const status = nextStatus(job, pods, 't');
    expect(status.conditions.at(-1)).toMatchObject({
      type: 'Failed',
      reason: 'PyTorchJobFailed',
    });
  });
});

describe('DCGM exporter stand-in', () => {
  it('gives a pod the GPUs it asked for, with pod labels, on GPU nodes only', () => {
    const nodes = FAKE_NODES.map(
      n => fakeNodeObject(n) as unknown as KubeObject,
    );
    const p: KubeObject = {
      metadata: { name: 'm-1', namespace: 'ml', creationTimestamp: 'x' },
      spec: {
        nodeName: 'kwok-gpu-1',
        containers: [
          { name: 'vllm', resources: { limits: { 'nvidia.com/gpu': '2' } } },
        ],
      },
      status: { phase: 'Running' },
    };
    const readings = gpuReadings(
      nodes,
      [p],
      () => ({ busy: 0.5, memoryFraction: 0.9 }),
      () => 0.5,
    );
    expect(readings).toHaveLength(16);
    expect(
      readings.filter(r => r.pod).map(r => [r.node, r.gpu, r.utilPercent]),
    ).toEqual([
      ['kwok-gpu-1', 0, 50],
      ['kwok-gpu-1', 1, 50],
    ]);
    const text = dcgmMetricsText(readings);
    expect(text).toMatch(
      /^DCGM_FI_DEV_GPU_UTIL\{gpu="0",UUID="GPU-[0-9a-f-]+",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="kwok-gpu-1",container="vllm",namespace="ml",pod="m-1"\} 50$/m,
    );
    expect(text).toContain('DCGM_FI_DEV_FB_USED{');
  });
});

describe('vLLM arguments', () => {
  it('reads the flags the simulator takes from a vLLM container', () => {
    expect(
      parseVllmArgs({
        name: 'vllm',
        args: [
          '--model=meta-llama/Meta-Llama-3-8B-Instruct',
          '--served-model-name',
          'chat',
          '--max-num-seqs=64',
          '--gpu-memory-utilization=0.85',
        ],
      }),
    ).toEqual({
      model: 'meta-llama/Meta-Llama-3-8B-Instruct',
      servedModelName: 'chat',
      maxNumSeqs: 64,
      maxModelLen: 8192,
      gpuMemoryUtilization: 0.85,
    });
  });
});
