/**
 * The Kubernetes and CRD shapes the serving renderers produce, typed once (Headlamp-style: one
 * interface per kind, with a guard on apiVersion + kind). Fields never rendered are left out.
 */
import type { Container, ObjectMeta, PodSpec, Volume } from '../render/k8s';

/** @public */
export interface HttpProbe {
  httpGet: { path: string; port: string | number };
  initialDelaySeconds?: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

/** An env var with a literal value or a Secret key. @public */
export type ServingEnvVar =
  | { name: string; value: string }
  | {
      name: string;
      valueFrom: {
        secretKeyRef: { name: string; key: string; optional?: boolean };
      };
    };

/** A container with probes and Secret-backed env, as the serving pods need. @public */
export interface ServingContainer extends Omit<Container, 'env'> {
  env?: ServingEnvVar[];
  startupProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
}

/** @public */
export type ServingVolume =
  | Volume
  | {
      name: string;
      configMap: {
        name: string;
        items: Array<{ key: string; path: string }>;
      };
    };

/** @public */
export interface ServingPodSpec
  extends Omit<PodSpec, 'containers' | 'initContainers' | 'volumes'> {
  initContainers?: ServingContainer[];
  containers: ServingContainer[];
  volumes: ServingVolume[];
  terminationGracePeriodSeconds: number;
}

/** apps/v1 Deployment without spec.replicas: the ScaledObject owns it. @public */
export interface Deployment {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: ObjectMeta;
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    strategy: {
      type: 'RollingUpdate';
      rollingUpdate: { maxSurge: number; maxUnavailable: number };
    };
    template: {
      metadata: {
        labels: Record<string, string>;
        annotations?: Record<string, string>;
      };
      spec: ServingPodSpec;
    };
  };
}

/** @public */
export interface Service {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: ObjectMeta;
  spec: {
    type: 'ClusterIP';
    selector: Record<string, string>;
    ports: Array<{
      name: string;
      port: number;
      targetPort: string;
      protocol: 'TCP';
    }>;
  };
}

/** @public */
export interface PersistentVolumeClaim {
  apiVersion: 'v1';
  kind: 'PersistentVolumeClaim';
  metadata: ObjectMeta;
  spec: {
    accessModes: Array<'ReadWriteOnce' | 'ReadWriteMany'>;
    storageClassName?: string;
    resources: { requests: { storage: string } };
  };
}

/** @public */
export interface PrometheusTrigger {
  type: 'prometheus';
  name: string;
  metricType: 'AverageValue';
  metadata: {
    serverAddress: string;
    query: string;
    threshold: string;
    activationThreshold: string;
    ignoreNullValues: string;
    authModes?: string;
  };
  authenticationRef?: { name: string };
}

/** @public */
export interface HpaScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

/** KEDA ScaledObject (`keda.sh/v1alpha1`), as rendered. @public */
export interface ScaledObject {
  apiVersion: 'keda.sh/v1alpha1';
  kind: 'ScaledObject';
  metadata: ObjectMeta;
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1'; kind: 'Deployment'; name: string };
    pollingInterval: number;
    cooldownPeriod: number;
    initialCooldownPeriod: number;
    minReplicaCount: number;
    maxReplicaCount: number;
    fallback: { failureThreshold: number; replicas: number };
    advanced: {
      horizontalPodAutoscalerConfig: {
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: number;
            selectPolicy: 'Max';
            policies: HpaScalingPolicy[];
          };
          scaleDown: {
            stabilizationWindowSeconds: number;
            selectPolicy: 'Min';
            policies: HpaScalingPolicy[];
          };
        };
      };
    };
    triggers: PrometheusTrigger[];
  };
}

/** KEDA TriggerAuthentication (`keda.sh/v1alpha1`), as rendered. @public */
export interface TriggerAuthentication {
  apiVersion: 'keda.sh/v1alpha1';
  kind: 'TriggerAuthentication';
  metadata: ObjectMeta;
  spec: {
    secretTargetRef: Array<{ parameter: string; name: string; key: string }>;
  };
}

/** Prometheus Operator PodMonitor (`monitoring.coreos.com/v1`), as rendered. @public */
export interface PodMonitor {
  apiVersion: 'monitoring.coreos.com/v1';
  kind: 'PodMonitor';
  metadata: ObjectMeta;
  spec: {
    selector: { matchLabels: Record<string, string> };
    /** Pod labels copied onto every scraped series (`mlops/entity` becomes `mlops_entity`). */
    podTargetLabels: string[];
    podMetricsEndpoints: Array<{
      port: string;
      path: string;
      interval: string;
    }>;
  };
}

/** Prometheus Operator ServiceMonitor (`monitoring.coreos.com/v1`), as rendered. @public */
export interface ServiceMonitor {
  apiVersion: 'monitoring.coreos.com/v1';
  kind: 'ServiceMonitor';
  metadata: ObjectMeta;
  spec: {
    selector: { matchLabels: Record<string, string> };
    podTargetLabels: string[];
    endpoints: Array<{ port: string; path: string; interval: string }>;
  };
}

/** A ConfigMap whose keys are the Triton model repository files. @public */
export interface ModelRepositoryConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  data: Record<string, string>;
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
export function isScaledObject(value: unknown): value is ScaledObject {
  return hasKind(value, 'keda.sh/v1alpha1', 'ScaledObject');
}
/** @public */
export function isDeployment(value: unknown): value is Deployment {
  return hasKind(value, 'apps/v1', 'Deployment');
}
