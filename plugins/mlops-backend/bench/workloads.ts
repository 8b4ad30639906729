/**
 * The synthetic workloads the benchmarks share: entity `w<i>` is a vLLM-shaped server of five
 * objects (two ConfigMaps, a Service, a Deployment, a ScaledObject) in namespace
 * `<prefix>-<i % NAMESPACES>`.
 */
import fs from 'node:fs';
import path from 'node:path';

export const NAMESPACES = 10;
export const OWNER = 'group:default/bench';

/** A logger that drops everything, for the services a benchmark runs in-process. */
export const silentLogger: any = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silentLogger,
};

export const workloadNamespace = (i: number, prefix: string) =>
  `${prefix}-${i % NAMESPACES}`;

/** The manifest files of entity `w<i>`; `version` changes one ConfigMap value. */
export function manifests(i: number, version: number): Record<string, string> {
  const name = `w${i}`;
  return {
    'config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-config\ndata:\n  version: "${version}"\n`,
    'settings.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-settings\ndata:\n  maxModelLen: "8192"\n`,
    'service.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 8000}]\n`,
    'deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers: [{name: vllm, image: vllm/vllm-openai:v0.11.0, resources: {limits: {nvidia.com/gpu: "1"}}}]\n`,
    'scaledobject.yaml': `apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: ${name}\nspec:\n  scaleTargetRef: {name: ${name}}\n  minReplicaCount: 1\n  maxReplicaCount: 4\n  triggers:\n    - type: prometheus\n      metadata: {serverAddress: "http://prometheus:9090", query: "sum(vllm:num_requests_waiting)", threshold: "8"}\n`,
  };
}

/** Writes `<root>/w<i>/deploy/*.yaml`. */
export function writeRepo(root: string, i: number, version: number) {
  const dir = path.join(root, `w${i}`, 'deploy');
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(manifests(i, version))) {
    fs.writeFileSync(path.join(dir, file), text);
  }
}
