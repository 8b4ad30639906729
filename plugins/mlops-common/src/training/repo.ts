import type { ConfigMap, RenderedObject } from '../render/k8s';
import { toYaml } from '../render/yaml';
import { renderCatalogInfo, TRAINING_MANIFESTS_DIR } from './catalogInfo';
import {
  CODE_DIR,
  TRAINING_UID,
  codeConfigMapName,
  kubernetesIdLabels,
  s3CredentialsSecretName,
} from './pod';
import { renderPyTorchJob } from './pytorchjob';
import { renderRayCluster, renderRayJob } from './ray';
import {
  parseTrainingRepoSpec,
  type TrainingRepoSpec,
  type TrainingRepoSpecInput,
} from './repoSpec';
import {
  DOCKERIGNORE,
  PYTORCH_TRAIN_PY,
  RAY_TRAIN_PY,
  REQUIREMENTS_TXT,
} from './scripts';
import { renderTrainJob } from './trainjob';

/** One file of a generated repo, with its path relative to the repo root. @public */
export interface RenderedFile {
  path: string;
  content: string;
}

function scriptName(spec: TrainingRepoSpec): string {
  return spec.framework === 'pytorch' ? 'train.py' : 'train_ray.py';
}

function scriptOf(spec: TrainingRepoSpec): string {
  return spec.framework === 'pytorch' ? PYTORCH_TRAIN_PY : RAY_TRAIN_PY;
}

/** The workload object of the repo: one of PyTorchJob, TrainJob, RayJob, RayCluster. @public */
export function renderWorkload(input: TrainingRepoSpecInput): RenderedObject {
  const spec = parseTrainingRepoSpec(input);
  if (spec.framework === 'pytorch') {
    const { framework: _, ...rest } = spec;
    return spec.operator === 'trainjob'
      ? renderTrainJob(rest)
      : renderPyTorchJob(rest);
  }
  const { framework: _, ...rest } = spec;
  return spec.mode === 'rayjob' ? renderRayJob(rest) : renderRayCluster(rest);
}

function codeConfigMap(spec: TrainingRepoSpec): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: codeConfigMapName(spec.name),
      namespace: spec.namespace,
      labels: kubernetesIdLabels(spec.name),
    },
    data: { [scriptName(spec)]: scriptOf(spec) },
  };
}

function dockerfile(spec: TrainingRepoSpec): string {
  const script = scriptName(spec);
  const user =
    spec.framework === 'pytorch'
      ? [
          `RUN useradd --uid ${TRAINING_UID} --create-home --shell /usr/sbin/nologin trainer`,
          `USER ${TRAINING_UID}`,
          'ENV HOME=/home/trainer',
        ]
      : [
          '# rayproject images already run as the non-root user "ray" (UID 1000).',
          `USER ${TRAINING_UID}`,
        ];
  return [
    `# Training image of ${spec.name}. Build and push it, then set its reference as the`,
    '# template\'s "image" (or in deploy/) so the job runs this code instead of the ConfigMap copy.',
    `ARG BASE_IMAGE=${spec.baseImage}`,
    'FROM ${BASE_IMAGE}',
    '',
    `WORKDIR ${CODE_DIR}`,
    'COPY requirements.txt ./',
    'RUN pip install --no-cache-dir -r requirements.txt',
    `COPY ${script} ./`,
    '',
    ...user,
    'ENV PYTHONUNBUFFERED=1',
    spec.framework === 'pytorch'
      ? `CMD ["torchrun", "${CODE_DIR}/${script}"]`
      : `CMD ["python", "${CODE_DIR}/${script}"]`,
    '',
  ].join('\n');
}

function describeShape(spec: TrainingRepoSpec): string {
  if (spec.framework === 'pytorch') {
    return `${spec.nodes} node(s) x ${spec.gpusPerNode} GPU(s), ${spec.procsPerNode} process(es) per node`;
  }
  const autoscaled = spec.autoscaling
    ? `, autoscaled between ${spec.minWorkers} and ${spec.maxWorkers}`
    : '';
  return `${spec.workers} Ray worker(s) x ${spec.gpusPerWorker} GPU(s)${autoscaled}`;
}

function describeCode(spec: TrainingRepoSpec): string {
  if (spec.image) {
    return `The job runs the image \`${spec.image}\`, built from this repo's \`Dockerfile\`.`;
  }
  return `No custom image was given: the job runs \`${
    spec.baseImage
  }\` with \`${scriptName(
    spec,
  )}\` mounted from the ConfigMap \`${codeConfigMapName(
    spec.name,
  )}\` (deploy/code.yaml). Build the \`Dockerfile\` and set the image to stop depending on it.`;
}

function describeDataset(spec: TrainingRepoSpec): string {
  if (!spec.datasetUri) {
    return 'No dataset was given: the script trains on synthetic data until you point `--data-dir` at real data.';
  }
  const how =
    spec.framework === 'pytorch' && spec.operator === 'trainjob'
      ? " by Trainer v2's dataset initializer."
      : ` by an s5cmd init container; put AWS credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optionally AWS_ENDPOINT_URL) in a Secret named \`${s3CredentialsSecretName(
          spec.name,
        )}\` in the namespace \`${spec.namespace}\`.`;
  return `The dataset \`${spec.datasetUri}\` is copied into the pods before training${how}`;
}

function readme(
  spec: TrainingRepoSpec,
  description: string,
  workload: RenderedObject,
  files: string[],
): string {
  const shape = describeShape(spec);
  const code = describeCode(spec);
  const dataset = describeDataset(spec);
  return [
    `# ${spec.name}`,
    '',
    description,
    '',
    `A ${workload.kind} (\`${workload.apiVersion}\`) in the namespace \`${spec.namespace}\`: ${shape}.`,
    'Backstage reconciles `deploy/` to the cluster (annotation `mlops/manifests` in `catalog-info.yaml`);',
    'do not apply it by hand. Change the job by editing the manifests in `deploy/` or by',
    're-running the template with new values (the output is byte-for-byte reproducible).',
    '',
    '## Code',
    '',
    code,
    '',
    spec.framework === 'pytorch'
      ? '`train.py` is plain PyTorch DDP under `torchrun`: it reads RANK, WORLD_SIZE and LOCAL_RANK, writes a checkpoint to `$CHECKPOINT_DIR` after every epoch and resumes from it after a restart.'
      : "`train_ray.py` runs Ray Train's `TorchTrainer` with one training worker per GPU and checkpoints to `$CHECKPOINT_DIR` (use a ReadWriteMany claim for multi-node runs).",
    '',
    '## Data and checkpoints',
    '',
    dataset,
    spec.checkpointClaim
      ? `Checkpoints go to the PersistentVolumeClaim \`${spec.checkpointClaim}\`, which must exist in the namespace.`
      : 'Checkpoints go to an emptyDir and are lost with the pod; set a checkpoint claim to keep them.',
    '',
    '## Files',
    '',
    ...files.map(f => `- \`${f}\``),
    '',
  ].join('\n');
}

/**
 * Renders the whole content of a training repo in memory: `deploy/` manifests, Dockerfile,
 * training script, README and catalog-info.yaml, sorted by path. Pure: the same input always
 * gives byte-identical files.
 * @public
 */
export function renderTrainingRepo(
  input: TrainingRepoSpecInput,
): RenderedFile[] {
  const spec = parseTrainingRepoSpec(input);
  const workload = renderWorkload(spec);
  const catalogInfo = renderCatalogInfo(spec);
  const files: RenderedFile[] = [
    {
      path: `${TRAINING_MANIFESTS_DIR}/${workload.kind.toLowerCase()}.yaml`,
      content: toYaml(workload),
    },
    { path: 'catalog-info.yaml', content: toYaml(catalogInfo) },
    { path: 'Dockerfile', content: dockerfile(spec) },
    { path: '.dockerignore', content: DOCKERIGNORE },
    { path: 'requirements.txt', content: REQUIREMENTS_TXT },
    { path: scriptName(spec), content: scriptOf(spec) },
  ];
  if (!spec.image) {
    files.push({
      path: `${TRAINING_MANIFESTS_DIR}/code.yaml`,
      content: toYaml(codeConfigMap(spec)),
    });
  }
  const paths = [...files.map(f => f.path), 'README.md'].sort();
  files.push({
    path: 'README.md',
    content: readme(spec, catalogInfo.metadata.description, workload, paths),
  });
  // Code-point order, independent of the locale.
  return files.sort((a, b) => {
    if (a.path === b.path) {
      return 0;
    }
    return a.path < b.path ? -1 : 1;
  });
}
