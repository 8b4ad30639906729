import type { Entity } from '@backstage/catalog-model';
import {
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type {
  MlopsEntityStatusResponse,
  MlopsMetricsResponse,
  MlopsReconcileStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import type { MlopsApi } from '../api';
import { mlopsApiRef } from '../api';

export function workloadEntity(
  name: string,
  workload?: 'training' | 'serving',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'mlops/manifests': './deploy',
        'mlops/namespace':
          workload === 'serving' ? 'ml-serving' : 'ml-training',
        ...(workload ? { 'mlops/workload': workload } : {}),
        'backstage.io/kubernetes-id': name,
      },
    },
    spec: {
      type: 'service',
      owner: 'group:default/ml',
      lifecycle: 'experimental',
    },
  };
}

export const plainEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plain', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/ml', lifecycle: 'production' },
};

export const syncedRecord: MlopsReconcileStatus = {
  entityRef: 'component:default/llama3-8b-chat',
  cluster: 'mlops-sandbox',
  namespace: 'ml-serving',
  revision: '8221d0f988a4793a',
  result: 'synced',
  objects: [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'ml-serving',
      name: 'llama3-8b-chat',
      action: 'updated',
      drift: ['spec.template.spec.containers[0].args'],
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      namespace: 'ml-serving',
      name: 'llama3-8b-chat',
      action: 'unchanged',
    },
  ],
  driftCount: 1,
  lastAttemptAt: '2026-11-27T00:51:41.564Z',
  lastSuccessAt: '2026-11-27T00:51:41.564Z',
};

export function servingStatus(
  overrides: Partial<MlopsEntityStatusResponse> = {},
): MlopsEntityStatusResponse {
  return {
    entityRef: 'component:default/llama3-8b-chat',
    reconcile: syncedRecord,
    cacheReady: true,
    objects: [],
    serving: {
      kind: 'Deployment',
      name: 'llama3-8b-chat',
      desiredReplicas: 3,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 3,
      health: 'progressing',
      engine: 'vllm',
    },
    autoscaling: {
      name: 'llama3-8b-chat',
      health: 'healthy',
      minReplicas: 1,
      maxReplicas: 4,
      cooldownSeconds: 360,
      pollingIntervalSeconds: 15,
      hpaName: 'keda-hpa-llama3-8b-chat',
      paused: false,
      lastActiveTime: '2026-11-27T00:51:59Z',
      conditions: [
        { type: 'Ready', status: 'True', reason: 'ScaledObjectReady' },
        { type: 'Active', status: 'True', reason: 'ScalerActive' },
        { type: 'Fallback', status: 'False', reason: 'NoFallbackFound' },
      ],
      triggers: [
        {
          name: 'queue-depth',
          type: 'prometheus',
          metricName: 's0-prometheus',
          query: 'sum(vllm:num_requests_waiting)',
          threshold: '8',
          health: 'Happy',
        },
      ],
    },
    ...overrides,
  };
}

export function trainingStatus(
  overrides: Partial<NonNullable<MlopsEntityStatusResponse['training']>> = {},
): MlopsEntityStatusResponse {
  return {
    entityRef: 'component:default/resnet50-ddp',
    reconcile: { ...syncedRecord, namespace: 'ml-training', objects: [] },
    cacheReady: true,
    objects: [],
    training: {
      kind: 'PyTorchJob',
      name: 'resnet50-ddp',
      phase: 'Running',
      health: 'progressing',
      conditions: [
        {
          type: 'Created',
          status: 'True',
          reason: 'PyTorchJobCreated',
          message: 'PyTorchJob resnet50-ddp is created.',
          lastTransitionTime: '2026-11-27T00:48:21Z',
        },
        {
          type: 'Running',
          status: 'True',
          reason: 'PyTorchJobRunning',
          message: 'PyTorchJob ml-training/resnet50-ddp is running.',
          lastTransitionTime: '2026-11-27T00:48:42Z',
        },
      ],
      replicas: {
        Master: { active: 1, succeeded: 0, failed: 0 },
        Worker: { active: 3, succeeded: 0, failed: 0 },
      },
      startTime: '2026-11-27T00:48:21Z',
      durationSeconds: 125,
      restarts: 0,
      cleanPodPolicy: 'Running',
      ...overrides,
    },
  };
}

const t0 = 1795740520;
const points = (values: number[]): Array<[number, number]> =>
  values.map((v, i) => [t0 + i * 30, v]);

export const vllmMetrics: MlopsMetricsResponse = {
  entityRef: 'component:default/llama3-8b-chat',
  engine: 'vllm',
  rangeSeconds: 900,
  stepSeconds: 15,
  available: true,
  series: {
    generationTokensPerSecond: points([200, 533, 812.4]),
    promptTokensPerSecond: points([50, 80, 90]),
    requestsRunning: points([10, 20, 17]),
    requestsWaiting: points([0, 2, 5]),
  },
  latest: {
    generationTokensPerSecond: 812.4,
    promptTokensPerSecond: 90,
    requestsRunning: 17,
    requestsWaiting: 5,
    kvCacheUsage: 0.42,
    ttftP50Seconds: 0.085,
    ttftP95Seconds: 0.31,
    interTokenLatencyP50Seconds: 0.021,
    interTokenLatencyP95Seconds: 0.048,
    gpuUtilizationPercent: 63,
  },
};

/** A fake {@link MlopsApi}; every method resolves with what the test gives. */
export function fakeApi(parts: Partial<MlopsApi> = {}): jest.Mocked<MlopsApi> {
  return {
    getStatus: jest.fn(parts.getStatus ?? (() => new Promise(() => {}))),
    getMetrics: jest.fn(parts.getMetrics ?? (async () => vllmMetrics)),
    sync: jest.fn(parts.sync ?? (async () => syncedRecord)),
  } as jest.Mocked<MlopsApi>;
}

/** Renders `element` for `entity` with the fake API and a permission decision. */
export function renderCard(
  element: ReactElement,
  options: { entity: Entity; api: MlopsApi; syncAllowed?: boolean },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [mlopsApiRef, options.api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize:
              options.syncAllowed === false
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ],
      ]}
    >
      {/* usePermission caches decisions in SWR; a fresh cache per render keeps tests apart. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={options.entity}>{element}</EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
