import type { LiveObject } from '../liveObject';

// As `kubectl get hpa -o json` shows the HPA KEDA made for the llama3-8b-chat ScaledObject.

export const kedaHpa: LiveObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: {
    name: 'keda-hpa-llama3-8b-chat',
    namespace: 'ml-serving',
    resourceVersion: '48602',
    creationTimestamp: '2026-11-26T09:12:45Z',
  },
  spec: {
    scaleTargetRef: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'llama3-8b-chat',
    },
    minReplicas: 1,
    maxReplicas: 4,
  },
  status: {
    currentReplicas: 2,
    desiredReplicas: 3,
    lastScaleTime: '2026-11-26T11:00:00Z',
    currentMetrics: [
      {
        type: 'External',
        external: {
          metric: {
            name: 's1-prometheus',
            selector: {
              matchLabels: { 'scaledobject.keda.sh/name': 'llama3-8b-chat' },
            },
          },
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
};

/** Just created by KEDA: the HPA controller has not written a status yet. */
export const kedaHpaWithoutStatus: LiveObject = {
  ...kedaHpa,
  status: undefined,
};
