import type { ObjectMeta } from '../render/k8s';
import {
  S5CMD_IMAGE,
  kubernetesIdLabels,
  restrictedSecurityContext,
} from '../training/pod';
import type {
  PersistentVolumeClaim,
  ServingContainer,
  ServingEnvVar,
  ServingVolume,
} from './types';
import type { ServingPlan } from './plan';
import type { ServingSpec } from './spec';

/** Mount point of the model cache in every serving pod. @public */
export const MODEL_ROOT = '/models';
/** Marker written after a complete copy; it holds `<source>@<revision>`. @public */
export const CACHE_MARKER = '.mlops-complete';
/** Parallel s5cmd workers: large safetensors shards download as many concurrent parts. */
const S5CMD_WORKERS = 64;

/** @public */
export function modelCacheClaimName(name: string): string {
  return `${name}-model-cache`;
}

/** Secret with AWS_* credentials (never rendered; the user creates it). @public */
export function s3CredentialsSecret(spec: ServingSpec): string {
  return spec.s3.credentialsSecret ?? `${spec.name}-s3-credentials`;
}

export function isS3(spec: ServingSpec): boolean {
  return spec.modelUri.startsWith('s3://');
}

/** Directory of this exact model revision in the cache. @public */
export function cachedModelDir(spec: ServingSpec): string {
  return `${MODEL_ROOT}/${spec.model}--${spec.modelRevision}`;
}

/** The model argument of the server: a cache path, an s3:// URI to stream, or a Hugging Face id. */
export function modelLocation(spec: ServingSpec): string {
  if (!isS3(spec)) return spec.modelUri.slice('hf://'.length);
  return spec.loadFormat === 'runai_streamer'
    ? spec.modelUri.replace(/\/+$/, '')
    : cachedModelDir(spec);
}

/** AWS_* settings for s5cmd and the Run:ai streamer; credentials only from the Secret. */
export function s3Env(spec: ServingSpec): {
  env: ServingEnvVar[];
  envFrom: Array<{ secretRef: { name: string; optional: boolean } }>;
} {
  const env: ServingEnvVar[] = [];
  if (spec.s3.region) env.push({ name: 'AWS_REGION', value: spec.s3.region });
  if (spec.s3.endpoint) {
    env.push({ name: 'AWS_ENDPOINT_URL', value: spec.s3.endpoint });
    env.push({ name: 'S3_ENDPOINT_URL', value: spec.s3.endpoint });
  }
  return {
    env,
    // A defaulted Secret may be absent (IRSA, workload identity); a named one must exist.
    envFrom: [
      {
        secretRef: {
          name: s3CredentialsSecret(spec),
          optional: spec.s3.credentialsSecret === undefined,
        },
      },
    ],
  };
}

/** Whether the repo renders a PVC cache (weights copied once, or the Hugging Face cache). */
export function usesCacheVolume(spec: ServingSpec): boolean {
  return spec.loadFormat === 'cache';
}

/** @public */
export function renderModelCacheClaim(
  spec: ServingSpec,
  plan: ServingPlan,
): PersistentVolumeClaim {
  const metadata: ObjectMeta = {
    name: modelCacheClaimName(spec.name),
    namespace: spec.namespace,
    labels: kubernetesIdLabels(spec.name),
  };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata,
    spec: {
      accessModes: [spec.cache.accessMode],
      storageClassName: spec.cache.storageClassName,
      resources: { requests: { storage: plan.cacheSize } },
    },
  };
}

// Values reach the script as environment variables, never spliced into its text.
const FETCH_SCRIPT = [
  'set -eu',
  `marker="$MODEL_DIR/${CACHE_MARKER}"`,
  'want="$MODEL_SOURCE@$MODEL_REVISION"',
  'if [ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ]; then',
  '  echo "model cache hit: $MODEL_DIR ($want)"',
  '  exit 0',
  'fi',
  'partial="$MODEL_ROOT/.partial-$HOSTNAME"',
  'rm -rf "$partial"',
  'mkdir -p "$partial"',
  'echo "copying $MODEL_SOURCE into $MODEL_DIR"',
  '/s5cmd --numworkers "$S5CMD_WORKERS" cp "$MODEL_SOURCE/*" "$partial/"',
  'printf "%s" "$want" > "$partial/.mlops-complete"',
  '# Another replica may have finished first; its copy is as good as ours.',
  'if [ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ]; then rm -rf "$partial"; exit 0; fi',
  'rm -rf "$MODEL_DIR"',
  'mv "$partial" "$MODEL_DIR"',
].join('\n');

/**
 * The init container that fills the cache from S3 with s5cmd (parallel), skipping the copy when
 * the marker of this exact source and revision is present. None for Hugging Face models (the
 * server downloads into the cache itself) or when vLLM streams from S3.
 * @public
 */
export function modelCacheInitContainers(
  spec: ServingSpec,
): ServingContainer[] {
  if (!usesCacheVolume(spec) || !isS3(spec)) return [];
  const s3 = s3Env(spec);
  return [
    {
      name: 'fetch-model',
      image: S5CMD_IMAGE,
      command: ['/bin/sh', '-c', FETCH_SCRIPT],
      env: [
        { name: 'MODEL_SOURCE', value: spec.modelUri.replace(/\/+$/, '') },
        { name: 'MODEL_REVISION', value: spec.modelRevision },
        { name: 'MODEL_ROOT', value: MODEL_ROOT },
        { name: 'MODEL_DIR', value: cachedModelDir(spec) },
        { name: 'S5CMD_WORKERS', value: String(S5CMD_WORKERS) },
        ...s3.env,
      ],
      envFrom: s3.envFrom,
      resources: {
        requests: { cpu: '2', memory: '2Gi' },
        limits: { memory: '2Gi' },
      },
      volumeMounts: [{ name: 'model-cache', mountPath: MODEL_ROOT }],
      securityContext: restrictedSecurityContext(),
    },
  ];
}

/** The cache volume: the PVC, or an emptyDir when vLLM streams the weights. */
export function modelCacheVolume(spec: ServingSpec): ServingVolume {
  return usesCacheVolume(spec)
    ? {
        name: 'model-cache',
        persistentVolumeClaim: { claimName: modelCacheClaimName(spec.name) },
      }
    : { name: 'model-cache', emptyDir: {} };
}
