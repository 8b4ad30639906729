import {
  renderRayCluster,
  renderRayJob,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { Watch } from '@kubernetes/client-node';
import { applyAll, eventually, getObject } from './e2eHelpers';
import { GPU_PRODUCT } from './kwok';
import { SIMULATE_ANNOTATION } from './pytorchJobStandIn';
import { startSandboxStack, type SandboxStack } from './stack';

const NS = 'ml-training';
const OWNER = 'group:default/ml-platform-team';
const RAY_API = `/apis/ray.io/v1/namespaces/${NS}`;

/** What the real KubeRay operator (v1.5) does with the Ray renderers' output on KWOK nodes. */
describe('KubeRay operator in the sandbox, end to end (tier 2)', () => {
  let stack: SandboxStack;
  const get = (p: string) => getObject(stack, p);
  const podsOf = async (selector: string) =>
    (
      await get(
        `/api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent(
          selector,
        )}`,
      )
    ).items as any[];

  beforeAll(async () => {
    stack = await startSandboxStack({
      load: { rps: 1, durationSeconds: 60, maxInFlight: 4 },
    });
  }, 1_200_000);

  afterAll(async () => {
    await stack?.stop();
  }, 120_000);

  it('turns a rendered RayCluster into head and GPU worker pods Running on the fake nodes, and state ready', async () => {
    const cluster = renderRayCluster({
      name: 'ray-e2e-cluster',
      namespace: NS,
      owner: OWNER,
      mode: 'raycluster',
      workers: 2,
      gpusPerWorker: 2,
      gpuProduct: GPU_PRODUCT,
    });
    await applyAll(stack, [cluster]);

    const rc = await eventually('RayCluster state ready', 90_000, async () => {
      const o = await get(`${RAY_API}/rayclusters/ray-e2e-cluster`);
      return o.status?.state === 'ready' ? o : undefined;
    });
    const pods = await podsOf('ray.io/cluster=ray-e2e-cluster');
    const byType = (t: string) =>
      pods.filter(p => p.metadata.labels['ray.io/node-type'] === t);
    expect(byType('head')).toHaveLength(1);
    expect(byType('worker')).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.status.phase).toBe('Running');
      expect(pod.spec.nodeName).toMatch(/^kwok-/);
      expect(pod.metadata.ownerReferences[0]).toMatchObject({
        kind: 'RayCluster',
        name: 'ray-e2e-cluster',
      });
    }
    for (const worker of byType('worker')) {
      expect(worker.metadata.labels['ray.io/group']).toBe('gpu-workers');
      const node = await get(`/api/v1/nodes/${worker.spec.nodeName}`);
      expect(node.metadata.labels['nvidia.com/gpu.product']).toBe(GPU_PRODUCT);
    }

    expect(rc.status).toMatchObject({
      state: 'ready',
      desiredWorkerReplicas: 2,
      readyWorkerReplicas: 2,
      availableWorkerReplicas: 2,
      minWorkerReplicas: 2,
      maxWorkerReplicas: 2,
      desiredGPU: '4',
      head: {
        podName: byType('head')[0].metadata.name,
        serviceName: 'ray-e2e-cluster-head-svc',
      },
    });
    expect(rc.status.endpoints).toMatchObject({ dashboard: '8265' });
    const conditions = Object.fromEntries(
      rc.status.conditions.map((c: any) => [c.type, c.status]),
    );
    expect(conditions).toMatchObject({
      HeadPodReady: 'True',
      RayClusterProvisioned: 'True',
    });
    const svc = await get(
      `/api/v1/namespaces/${NS}/services/ray-e2e-cluster-head-svc`,
    );
    expect(svc.spec.ports.map((p: any) => p.name)).toContain('dashboard');
  }, 150_000);

  it('runs a rendered RayJob (K8sJobMode) to Complete / SUCCEEDED through its own RayCluster and submitter Job', async () => {
    const job = renderRayJob({
      name: 'ray-e2e-job',
      namespace: NS,
      owner: OWNER,
      workers: 1,
      gpusPerWorker: 4,
      gpuProduct: GPU_PRODUCT,
    });

    // Every status the operator writes, in order: a watch started before the RayJob exists
    // sees each update, however quickly the next one follows.
    const seen: string[] = [];
    const watch = await new Watch(stack.controlPlane.adminKubeConfig).watch(
      `${RAY_API}/rayjobs`,
      { fieldSelector: 'metadata.name=ray-e2e-job' },
      (_phase, o) => {
        const s = o.status?.jobDeploymentStatus;
        if (s && seen.at(-1) !== s) seen.push(s);
      },
      () => {},
    );
    let done: any;
    try {
      await applyAll(stack, [job]);
      done = await eventually('RayJob Complete', 120_000, async () => {
        const o = await get(`${RAY_API}/rayjobs/ray-e2e-job`);
        const s = o.status?.jobDeploymentStatus;
        return s === 'Complete' || s === 'Failed' ? o : undefined;
      });
      // The watch may deliver the last update after the GET saw it.
      await eventually('the watch seeing the end', 10_000, async () =>
        seen.at(-1) === done.status.jobDeploymentStatus ? true : undefined,
      );
    } finally {
      watch.abort();
    }
    expect(seen).toEqual(['Initializing', 'Running', 'Complete']);
    const status = done.status;
    expect(status).toMatchObject({
      jobDeploymentStatus: 'Complete',
      jobStatus: 'SUCCEEDED',
      rayClusterStatus: { state: 'ready', readyWorkerReplicas: 1 },
    });
    expect(status.jobId).toMatch(/^ray-e2e-job-/);
    expect(status.rayClusterName).toMatch(/^ray-e2e-job-/);
    expect(status.dashboardURL).toBe(
      `${status.rayClusterName}-head-svc.${NS}.svc.cluster.local:8265`,
    );
    expect(Date.parse(status.startTime)).toBeLessThanOrEqual(
      Date.parse(status.endTime),
    );
    // The Ray job's own times come from the dashboard stand-in (the submitter pod's run).
    expect(status.rayJobInfo.startTime).toBeDefined();
    expect(status.rayJobInfo.endTime).toBeDefined();
    expect(status.succeeded).toBe(1);

    // The operator made the cluster (owned by the RayJob) and the submitter Job, which the
    // real Job controller ran to Complete.
    const rc = await get(`${RAY_API}/rayclusters/${status.rayClusterName}`);
    expect(rc.metadata.ownerReferences[0]).toMatchObject({
      kind: 'RayJob',
      name: 'ray-e2e-job',
    });
    const submitter = await get(
      `/apis/batch/v1/namespaces/${NS}/jobs/ray-e2e-job`,
    );
    expect(submitter.metadata.labels['app.kubernetes.io/created-by']).toBe(
      'kuberay-operator',
    );
    expect(
      submitter.status.conditions.find((c: any) => c.type === 'Complete')
        ?.status,
    ).toBe('True');
    const workers = await podsOf(
      `ray.io/cluster=${status.rayClusterName},ray.io/node-type=worker`,
    );
    expect(workers.map(w => w.spec.containers[0].resources.limits)).toEqual([
      expect.objectContaining({ 'nvidia.com/gpu': '4' }),
    ]);
  }, 150_000);

  it('ends a RayJob whose Ray job fails as Failed / FAILED with reason AppFailed', async () => {
    const job = renderRayJob({
      name: 'ray-e2e-failing',
      namespace: NS,
      owner: OWNER,
      workers: 1,
      gpusPerWorker: 0,
    });
    job.metadata.annotations = { [SIMULATE_ANNOTATION]: 'failure' };
    await applyAll(stack, [job]);
    const failed = await eventually('RayJob Failed', 120_000, async () => {
      const o = await get(`${RAY_API}/rayjobs/ray-e2e-failing`);
      const s = o.status?.jobDeploymentStatus;
      return s === 'Complete' || s === 'Failed' ? o : undefined;
    });
    expect(failed.status).toMatchObject({
      jobDeploymentStatus: 'Failed',
      jobStatus: 'FAILED',
      reason: 'AppFailed',
    });
    expect(failed.status.message).toContain(SIMULATE_ANNOTATION);
  }, 150_000);
});
