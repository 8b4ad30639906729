import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { rawRequest } from '../rawApi';
import { applyAll, eventually } from './e2eHelpers';
import { RUN_DURATION_ANNOTATION } from './kwok';
import { queryPrometheus } from './prometheus';
import { startSandboxStack, type SandboxStack } from './stack';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

function readManifests(dir: string): any[] {
  return fs
    .readdirSync(dir)
    .filter(f => /\.ya?ml$/.test(f))
    .sort()
    .flatMap(f =>
      parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d =>
        d.toJS(),
      ),
    )
    .filter(Boolean);
}

describe('dev sandbox, end to end (tier 2)', () => {
  let stack: SandboxStack | undefined;
  const get = async (p: string) =>
    (await rawRequest(stack!.controlPlane.adminKubeConfig, 'GET', p)).body;

  beforeAll(async () => {
    stack = await startSandboxStack({
      load: { rps: 4, durationSeconds: 300, maxInFlight: 128 },
      scrapeIntervalSeconds: 2,
    });
    await applyAll(
      stack,
      readManifests(path.join(EXAMPLES, 'llama3-8b-chat/deploy')),
    );
    // The example as written; only its simulated run time is shortened for the test.
    const training = readManifests(path.join(EXAMPLES, 'resnet50-ddp/deploy'));
    for (const o of training) {
      o.metadata.annotations = {
        ...o.metadata.annotations,
        [RUN_DURATION_ANNOTATION]: '8s',
      };
    }
    await applyAll(stack, training);
    // Generous: on a machine whose cache lacks the tier-2 binaries, this builds them (~10 min).
  }, 1_200_000);

  afterAll(async () => {
    await stack?.stop();
  }, 120_000);

  it('runs the serving example on a GPU node, with vLLM metrics and a Ready ScaledObject', async () => {
    const pods = await eventually(
      'llama3-8b-chat pods Running',
      60_000,
      async () => {
        const list = await get(
          `/api/v1/namespaces/ml-serving/pods?labelSelector=${encodeURIComponent(
            'app.kubernetes.io/name=llama3-8b-chat',
          )}`,
        );
        const running = list.items.filter(
          (p: any) => p.status.phase === 'Running',
        );
        return running.length > 0 ? running : undefined;
      },
    );
    for (const pod of pods) {
      const node = await get(`/api/v1/nodes/${pod.spec.nodeName}`);
      expect(node.metadata.labels['nvidia.com/gpu.product']).toBe(
        'NVIDIA-H100-80GB-HBM3',
      );
      expect(node.status.capacity['nvidia.com/gpu']).toBe('8');
    }
    const rs = await get('/apis/apps/v1/namespaces/ml-serving/replicasets');
    expect(rs.items.length).toBeGreaterThan(0);

    const query =
      'sum(vllm:generation_tokens_total{namespace="ml-serving",model_name="llama3-8b-chat"})';
    const first = await eventually(
      'vllm:generation_tokens_total in Prometheus',
      60_000,
      async () => {
        const s = await queryPrometheus(stack!.prometheusUrl, query);
        return s.length && s[0].value > 0 ? s[0].value : undefined;
      },
    );
    await eventually(
      'vllm:generation_tokens_total rising',
      30_000,
      async () => {
        const s = await queryPrometheus(stack!.prometheusUrl, query);
        return s.length && s[0].value > first ? true : undefined;
      },
    );
    const gpuUtil = await queryPrometheus(
      stack!.prometheusUrl,
      'DCGM_FI_DEV_GPU_UTIL{namespace="ml-serving",pod=~"llama3-8b-chat-.*"}',
    );
    expect(gpuUtil.length).toBeGreaterThan(0);

    const so = await eventually('ScaledObject Ready', 60_000, async () => {
      const o = await get(
        '/apis/keda.sh/v1alpha1/namespaces/ml-serving/scaledobjects/llama3-8b-chat',
      );
      const ready = o.status?.conditions?.find((c: any) => c.type === 'Ready');
      return ready?.status === 'True' ? o : undefined;
    });
    expect(so.status.hpaName).toBe('keda-hpa-llama3-8b-chat');
    expect(Object.keys(so.status.health ?? {})).toEqual([
      's0-prometheus',
      's1-prometheus',
    ]);
    const hpa = await get(
      '/apis/autoscaling/v2/namespaces/ml-serving/horizontalpodautoscalers/keda-hpa-llama3-8b-chat',
    );
    expect(hpa.spec.scaleTargetRef.name).toBe('llama3-8b-chat');
    expect(hpa.spec.maxReplicas).toBe(4);
  }, 200_000);

  it('runs the training example to Succeeded with Master and Worker replica statuses', async () => {
    const job = await eventually('PyTorchJob Succeeded', 90_000, async () => {
      const o = await get(
        '/apis/kubeflow.org/v1/namespaces/ml-training/pytorchjobs/resnet50-ddp',
      );
      const last = o.status?.conditions?.at(-1);
      return last?.type === 'Succeeded' && last.status === 'True'
        ? o
        : undefined;
    });
    expect(job.status.conditions.map((c: any) => c.type)).toEqual([
      'Created',
      'Running',
      'Succeeded',
    ]);
    expect(job.status.replicaStatuses.Master).toMatchObject({ succeeded: 1 });
    expect(job.status.replicaStatuses.Worker).toMatchObject({ succeeded: 1 });
    expect(job.status.completionTime).toBeDefined();
    const pods = await get(
      `/api/v1/namespaces/ml-training/pods?labelSelector=${encodeURIComponent(
        'training.kubeflow.org/job-name=resnet50-ddp',
      )}`,
    );
    expect(
      pods.items
        .map((p: any) => [
          p.metadata.name,
          p.metadata.labels['training.kubeflow.org/replica-type'],
          p.status.phase,
        ])
        .sort(),
    ).toEqual([
      ['resnet50-ddp-master-0', 'master', 'Succeeded'],
      ['resnet50-ddp-worker-0', 'worker', 'Succeeded'],
    ]);
  }, 120_000);

  it('honours GPU requests: a pod asking for more GPUs than a node has stays Pending', async () => {
    await applyAll(stack!, [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'too-many-gpus', namespace: 'ml-serving' },
        spec: {
          tolerations: [
            { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
          ],
          containers: [
            {
              name: 'c',
              image: 'busybox',
              resources: { limits: { 'nvidia.com/gpu': '9' } },
            },
          ],
        },
      },
    ]);
    const cond = await eventually('FailedScheduling', 30_000, async () => {
      const p = await get('/api/v1/namespaces/ml-serving/pods/too-many-gpus');
      return p.status.conditions?.find(
        (c: any) => c.type === 'PodScheduled' && c.status === 'False',
      );
    });
    expect(cond.reason).toBe('Unschedulable');
    expect(cond.message).toContain('nvidia.com/gpu');
    const p = await get('/api/v1/namespaces/ml-serving/pods/too-many-gpus');
    expect(p.status.phase).toBe('Pending');
  }, 60_000);
});
