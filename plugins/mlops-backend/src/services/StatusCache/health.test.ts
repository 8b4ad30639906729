import {
  objectStatus,
  pytorchJobStatus,
  rayJobStatus,
  scaledObjectStatus,
  servingStatus,
  trainJobStatus,
  withHpa,
  type LiveObject,
} from './health';

const NOW = Date.parse('2026-11-26T12:00:00Z');

const pytorchJob = (
  conditions: Array<[string, string]>,
  extra: any = {},
): LiveObject => ({
  apiVersion: 'kubeflow.org/v1',
  kind: 'PyTorchJob',
  metadata: { name: 'resnet50-ddp', namespace: 'ml-training' },
  spec: { runPolicy: { cleanPodPolicy: 'Running' } },
  status: {
    conditions: conditions.map(([type, status], i) => ({
      type,
      status,
      reason: `PyTorchJob${type}`,
      lastTransitionTime: `2026-11-26T11:0${i}:00Z`,
    })),
    replicaStatuses: {
      Master: { active: 1 },
      Worker: { active: 2, failed: 1 },
    },
    startTime: '2026-11-26T11:00:00Z',
    ...extra,
  },
});

describe('PyTorchJob health (training-operator v1.9 status)', () => {
  it('is Running and healthy with the replica counts and elapsed time', () => {
    const s = pytorchJobStatus(
      pytorchJob([
        ['Created', 'True'],
        ['Running', 'True'],
      ]),
      NOW,
    );
    expect(s).toMatchObject({
      phase: 'Running',
      health: 'healthy',
      replicas: {
        Master: { active: 1, succeeded: 0, failed: 0 },
        Worker: { active: 2, succeeded: 0, failed: 1 },
      },
      durationSeconds: 3600,
      restarts: 0,
      cleanPodPolicy: 'Running',
    });
  });

  it('counts restarts and is degraded while Restarting', () => {
    const s = pytorchJobStatus(
      pytorchJob([
        ['Created', 'True'],
        ['Running', 'False'],
        ['Restarting', 'True'],
      ]),
      NOW,
    );
    expect(s.phase).toBe('Restarting');
    expect(s.health).toBe('degraded');
    expect(s.restarts).toBe(1);
  });

  it('is failed after Failed, with the total duration', () => {
    const s = pytorchJobStatus(
      pytorchJob(
        [
          ['Created', 'True'],
          ['Running', 'False'],
          ['Failed', 'True'],
        ],
        {
          completionTime: '2026-11-26T11:30:00Z',
        },
      ),
      NOW,
    );
    expect(s).toMatchObject({
      phase: 'Failed',
      health: 'failed',
      durationSeconds: 1800,
    });
  });

  it('is progressing, not healthy, the moment it exists without status', () => {
    const fresh: LiveObject = {
      apiVersion: 'kubeflow.org/v1',
      kind: 'PyTorchJob',
      metadata: { name: 'x' },
    };
    expect(objectStatus(fresh)).toMatchObject({
      health: 'progressing',
      reason: 'Pending',
    });
  });
});

describe('TrainJob and RayJob health', () => {
  it('reads TrainJob Complete and Failed conditions', () => {
    const base = {
      apiVersion: 'trainer.kubeflow.org/v1alpha1',
      kind: 'TrainJob',
      metadata: { name: 't', creationTimestamp: '2026-11-26T11:00:00Z' } as any,
    };
    expect(
      trainJobStatus(
        {
          ...base,
          status: {
            conditions: [
              {
                type: 'Complete',
                status: 'True',
                lastTransitionTime: '2026-11-26T11:10:00Z',
              },
            ],
          },
        },
        NOW,
      ),
    ).toMatchObject({
      phase: 'Complete',
      health: 'healthy',
      durationSeconds: 600,
    });
    expect(
      trainJobStatus({
        ...base,
        status: { conditions: [{ type: 'Failed', status: 'True' }] },
      }).health,
    ).toBe('failed');
    expect(trainJobStatus(base).phase).toBe('Pending');
  });

  it.each([
    ['SUCCEEDED', 'Complete', 'healthy'],
    ['RUNNING', 'Running', 'healthy'],
    ['FAILED', 'Failed', 'failed'],
    ['', 'ValidationFailed', 'failed'],
    ['PENDING', 'Retrying', 'degraded'],
    ['', 'Initializing', 'progressing'],
    ['STOPPED', 'Suspended', 'suspended'],
  ])(
    'RayJob jobStatus %s / %s is %s',
    (jobStatus, jobDeploymentStatus, health) => {
      const s = rayJobStatus({
        apiVersion: 'ray.io/v1',
        kind: 'RayJob',
        metadata: { name: 'r' },
        status: { jobStatus, jobDeploymentStatus },
      });
      expect(s.health).toBe(health);
      expect(s.phase).toBe(jobStatus || jobDeploymentStatus);
    },
  );

  it("does not count a RayJob's terminal failure as a restart, and names its reason", () => {
    const failedOnce: LiveObject = {
      apiVersion: 'ray.io/v1',
      kind: 'RayJob',
      metadata: { name: 'r' },
      status: {
        jobStatus: 'FAILED',
        jobDeploymentStatus: 'Failed',
        failed: 1,
        reason: 'AppFailed',
      },
    };
    expect(rayJobStatus(failedOnce).restarts).toBe(0);
    expect(objectStatus(failedOnce).reason).toBe('FAILED: AppFailed');
    const retrying: LiveObject = {
      ...failedOnce,
      status: { jobDeploymentStatus: 'Retrying', failed: 2 },
    };
    expect(rayJobStatus(retrying).restarts).toBe(2);
  });
});

describe('Deployment and RayCluster health', () => {
  const deployment = (
    replicas: number,
    available: number,
    generation = 1,
    observed = 1,
  ): LiveObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llama3-8b-chat', generation },
    spec: {
      replicas,
      template: {
        spec: {
          containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0' }],
        },
      },
    },
    status: {
      readyReplicas: available,
      availableReplicas: available,
      updatedReplicas: available,
      observedGeneration: observed,
    },
  });

  it('compares available with desired replicas', () => {
    expect(servingStatus(deployment(2, 2))).toMatchObject({
      health: 'healthy',
      engine: 'vllm',
      desiredReplicas: 2,
    });
    expect(servingStatus(deployment(3, 1)).health).toBe('degraded');
    expect(servingStatus(deployment(1, 0)).health).toBe('progressing');
    expect(servingStatus(deployment(1, 1, 2, 1)).health).toBe('degraded');
    expect(servingStatus(deployment(0, 0)).health).toBe('healthy');
  });

  it('needs state ready and HeadPodReady for a RayCluster', () => {
    const ray = (state: string, headReady: string): LiveObject => ({
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'rc' },
      status: {
        state,
        readyWorkerReplicas: 2,
        desiredWorkerReplicas: 2,
        conditions: [{ type: 'HeadPodReady', status: headReady }],
      },
    });
    expect(objectStatus(ray('ready', 'True'))).toMatchObject({
      health: 'healthy',
      reason: '2/2 workers ready',
    });
    expect(objectStatus(ray('', 'False')).health).toBe('progressing');
  });
});

describe('ScaledObject health (KEDA v2.20 status)', () => {
  const so = (
    conditions: Array<[string, string, string?]>,
    annotations?: Record<string, string>,
  ): LiveObject => ({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'llama3-8b-chat', annotations },
    spec: {
      minReplicaCount: 1,
      maxReplicaCount: 4,
      cooldownPeriod: 360,
      triggers: [
        {
          type: 'prometheus',
          name: 'queue-depth',
          metadata: { query: 'sum(vllm:num_requests_waiting)', threshold: '8' },
        },
        {
          type: 'prometheus',
          name: 'gpu',
          metadata: { query: 'avg(DCGM_FI_DEV_GPU_UTIL)', threshold: '80' },
        },
      ],
    },
    status: {
      hpaName: 'keda-hpa-llama3-8b-chat',
      externalMetricNames: ['s0-prometheus', 's1-prometheus'],
      health: {
        's0-prometheus': { numberOfFailures: 0, status: 'Happy' },
        's1-prometheus': { numberOfFailures: 4, status: 'Failing' },
      },
      conditions: conditions.map(([type, status, reason]) => ({
        type,
        status,
        reason,
      })),
    },
  });

  it('is healthy when Ready, with triggers matched to their metric health', () => {
    const s = scaledObjectStatus(
      so([
        ['Ready', 'True', 'ScaledObjectReady'],
        ['Active', 'True'],
        ['Fallback', 'False'],
      ]),
    );
    expect(s).toMatchObject({
      health: 'healthy',
      hpaName: 'keda-hpa-llama3-8b-chat',
      minReplicas: 1,
      maxReplicas: 4,
      paused: false,
    });
    expect(s.triggers).toEqual([
      {
        name: 'queue-depth',
        type: 'prometheus',
        metricName: 's0-prometheus',
        query: 'sum(vllm:num_requests_waiting)',
        threshold: '8',
        health: 'Happy',
      },
      {
        name: 'gpu',
        type: 'prometheus',
        metricName: 's1-prometheus',
        query: 'avg(DCGM_FI_DEV_GPU_UTIL)',
        threshold: '80',
        health: 'Failing',
      },
    ]);
  });

  it('is degraded while a Fallback is in force, failed when not Ready, suspended when paused', () => {
    expect(
      scaledObjectStatus(
        so([
          ['Ready', 'True'],
          ['Fallback', 'True'],
        ]),
      ).health,
    ).toBe('degraded');
    expect(
      scaledObjectStatus(so([['Ready', 'False', 'ScaledObjectCheckFailed']]))
        .health,
    ).toBe('failed');
    expect(
      scaledObjectStatus(
        so([['Ready', 'True']], { 'autoscaling.keda.sh/paused-replicas': '0' }),
      ),
    ).toMatchObject({ health: 'suspended', paused: true });
    expect(scaledObjectStatus(so([])).health).toBe('progressing');
  });
});

describe('withHpa', () => {
  const status = scaledObjectStatus({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'llama3-8b-chat', namespace: 'ml-serving' },
    spec: {
      triggers: [
        {
          type: 'prometheus',
          name: 'queue-depth',
          metadata: { threshold: '8' },
        },
        { type: 'prometheus', name: 'gpu', metadata: { threshold: '80' } },
      ],
    },
    status: {
      hpaName: 'keda-hpa-llama3-8b-chat',
      externalMetricNames: ['s0-prometheus', 's1-prometheus'],
    },
  });

  it("adds the HPA's replicas and each trigger's current value, matched by metric name", () => {
    const merged = withHpa(status, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'keda-hpa-llama3-8b-chat' },
      status: {
        currentReplicas: 2,
        desiredReplicas: 3,
        lastScaleTime: '2026-11-26T11:00:00Z',
        currentMetrics: [
          {
            type: 'External',
            external: {
              metric: { name: 's1-prometheus' },
              current: { averageValue: '61' },
            },
          },
          {
            type: 'External',
            external: {
              metric: { name: 's0-prometheus' },
              current: { value: '20' },
            },
          },
        ],
      },
    });
    expect(merged).toMatchObject({
      currentReplicas: 2,
      desiredReplicas: 3,
      lastScaleTime: '2026-11-26T11:00:00Z',
    });
    expect(
      merged.triggers.map(t => [t.name, t.currentValue, t.threshold]),
    ).toEqual([
      ['queue-depth', '20', '8'],
      ['gpu', '61', '80'],
    ]);
  });

  it('leaves the status as it is without an HPA', () => {
    expect(withHpa(status, undefined)).toBe(status);
  });
});
