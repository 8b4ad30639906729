/**
 * The subset of Kubernetes core types that the renderers produce. Typed once here so every
 * renderer builds the same shapes; fields we never render are left out.
 */

/** @public */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** @public */
export interface EnvVar {
  name: string;
  value: string;
}

/** @public */
export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

/** @public */
export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

/** @public */
export interface Volume {
  name: string;
  emptyDir?: { medium?: 'Memory'; sizeLimit?: string };
  persistentVolumeClaim?: { claimName: string };
  configMap?: { name: string };
}

/** @public */
export interface Toleration {
  key: string;
  operator: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** @public */
export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: 'TCP' | 'UDP';
}

/** @public */
export interface SecurityContext {
  allowPrivilegeEscalation?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  capabilities?: { drop?: string[] };
}

/** @public */
export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: Array<{ secretRef: { name: string; optional?: boolean } }>;
  ports?: ContainerPort[];
  resources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  securityContext?: SecurityContext;
}

/** @public */
export interface PodSpec {
  initContainers?: Container[];
  containers: Container[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  volumes?: Volume[];
  securityContext?: { runAsNonRoot?: boolean; fsGroup?: number };
}

/** @public */
export interface PodTemplateSpec {
  metadata: {
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: PodSpec;
}

/** @public */
export interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  data: Record<string, string>;
}

/** Any object a renderer returns. @public */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}
