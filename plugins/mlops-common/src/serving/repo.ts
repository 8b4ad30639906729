import type { RenderedObject } from '../render/k8s';
import { toYaml } from '../render/yaml';
import type { RenderedFile } from '../training/repo';
import {
  SERVING_MANIFESTS_DIR,
  describeServing,
  renderServingCatalogInfo,
} from './catalogInfo';
import {
  renderScaledObject,
  renderTriggerAuthentication,
  queueDepthQuery,
  gpuUtilizationQuery,
} from './keda';
import {
  cachedModelDir,
  isS3,
  modelCacheClaimName,
  renderModelCacheClaim,
  s3CredentialsSecret,
  usesCacheVolume,
} from './modelCache';
import { planServing, type ServingPlan } from './plan';
import { renderServingMonitor, renderServingService } from './service';
import {
  parseServingSpec,
  type ServingSpec,
  type ServingSpecInput,
} from './spec';
import { servingPlanMarkdown, summarizeServingPlan } from './summary';
import {
  renderModelRepositoryConfigMap,
  renderModelRepositoryFiles,
  renderTritonDeployment,
} from './triton';
import { renderVllmDeployment } from './vllm';

/** Every Kubernetes object of a serving repo, in apply order. @public */
export function renderServingObjects(
  spec: ServingSpec,
  plan: ServingPlan,
): RenderedObject[] {
  const objects: Array<RenderedObject | undefined> = [
    usesCacheVolume(spec) ? renderModelCacheClaim(spec, plan) : undefined,
    spec.engine === 'vllm'
      ? undefined
      : renderModelRepositoryConfigMap(spec, plan),
    spec.engine === 'vllm'
      ? renderVllmDeployment(spec, plan)
      : renderTritonDeployment(spec, plan),
    renderServingService(spec),
    renderServingMonitor(spec),
    renderTriggerAuthentication(spec),
    renderScaledObject(spec, plan),
  ];
  return objects.filter((o): o is RenderedObject => o !== undefined);
}

const FILE_NAMES: Record<string, string> = {
  PersistentVolumeClaim: 'model-cache-pvc.yaml',
  ConfigMap: 'model-repository.yaml',
  Deployment: 'deployment.yaml',
  Service: 'service.yaml',
  PodMonitor: 'podmonitor.yaml',
  ServiceMonitor: 'servicemonitor.yaml',
  TriggerAuthentication: 'triggerauthentication.yaml',
  ScaledObject: 'scaledobject.yaml',
};

function describeWeights(spec: ServingSpec): string {
  if (!isS3(spec)) {
    return `The server downloads \`${spec.modelUri.slice(
      5,
    )}\` from Hugging Face into the cache volume (\`HF_HOME=/models/hf\` on the claim \`${modelCacheClaimName(
      spec.name,
    )}\`), so a restarted pod finds it there.${
      spec.huggingFaceTokenSecret
        ? ` The token comes from the Secret \`${spec.huggingFaceTokenSecret}\` (key \`HF_TOKEN\`).`
        : ' For gated models, name a Secret with `HF_TOKEN`.'
    }`;
  }
  const creds = `Credentials come only from the Secret \`${s3CredentialsSecret(
    spec,
  )}\` (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), which you create in \`${
    spec.namespace
  }\`${
    spec.s3.credentialsSecret
      ? ''
      : ' (optional: without it, the pod identity is used)'
  }.${
    spec.s3.endpoint
      ? ` The S3-compatible endpoint is \`${spec.s3.endpoint}\`.`
      : ''
  }`;
  if (spec.loadFormat === 'runai_streamer') {
    return `vLLM streams the safetensors from \`${spec.modelUri}\` straight into GPU memory (\`--load-format runai_streamer\`, 16 concurrent readers); there is no copy on disk. ${creds}`;
  }
  return `An init container copies \`${spec.modelUri}\` into \`${cachedModelDir(
    spec,
  )}\` on the claim \`${modelCacheClaimName(
    spec.name,
  )}\` with s5cmd (64 parallel workers), and skips the copy when the marker of revision \`${
    spec.modelRevision
  }\` is already there: only the first pod (and a new revision) pays for the download. Change \`modelRevision\` when the objects under the prefix change. ${creds}`;
}

function readme(
  spec: ServingSpec,
  plan: ServingPlan,
  description: string,
  files: string[],
): string {
  const engine =
    spec.engine === 'vllm'
      ? `vLLM (\`vllm serve\`) with the OpenAI-compatible API on port 8000 of the Service \`${spec.name}\`.`
      : `Triton Inference Server with the ${
          spec.engine === 'triton-vllm' ? 'vLLM' : 'TensorRT-LLM'
        } backend; the model repository is in \`model_repository/\` (mounted from the ConfigMap in \`deploy/model-repository.yaml\`). HTTP on 8000, gRPC on 8001, metrics on 8002.`;
  const trtllm =
    spec.engine === 'triton-tensorrt-llm'
      ? [
          '',
          `TensorRT-LLM serves a pre-built engine: build it with \`trtllm-build\` for ${plan.gpu.displayName} and tensor parallelism ${spec.tensorParallelSize}, and upload it to \`${spec.modelUri}/engine\`. This repo renders the \`tensorrt_llm\` model (token ids in, token ids out); add the preprocessing/postprocessing ensemble of the TensorRT-LLM backend for text.`,
        ]
      : [];
  return [
    `# ${spec.name}`,
    '',
    description,
    '',
    engine,
    ...trtllm,
    '',
    'Backstage reconciles `deploy/` to the cluster (annotation `mlops/manifests` in `catalog-info.yaml`); do not apply it by hand. Re-run the template to change the numbers: the output is byte-for-byte reproducible.',
    '',
    '## The plan',
    '',
    `vLLM (the plan follows release ${plan.memory.vllmRelease}, the release of the default vLLM image) takes \`--gpu-memory-utilization\` of each GPU's memory, loads the weights, runs one profiling batch of \`--max-num-batched-tokens\` tokens and its sampler, estimates the memory of its CUDA graphs, and gives what is left to the KV cache (PagedAttention, blocks of ${plan.memory.blockSize} tokens). Each of those terms is uncertain, so the plan is a range; it was made before the repo was created and promises only its low end:`,
    '',
    servingPlanMarkdown(spec, plan),
    '',
    `Requests are batched on the GPU (continuous batching): up to ${
      plan.maxNumSeqs
    } sequences run together, as many as the KV cache holds at the typical request length, so the cache is used without constant preemption. Prefix caching is ${
      spec.enablePrefixCaching ? 'on' : 'off'
    }. The figures are estimates of vLLM V1's own accounting; vLLM logs the real ones at start ("GPU KV cache size"), and \`plan.json\` keeps the planned range to compare them with.`,
    '',
    '## Model weights',
    '',
    describeWeights(spec),
    '',
    '## Scaling',
    '',
    `A KEDA ScaledObject scales the Deployment between ${
      spec.autoscaling.minReplicas
    } and ${
      spec.autoscaling.maxReplicas
    } replicas on two Prometheus queries (not on CPU): the queue, \`${queueDepthQuery(
      spec,
    )}\` (target ${
      spec.autoscaling.queueDepthPerReplica
    } waiting requests per replica), and GPU utilisation, \`${gpuUtilizationQuery(
      spec,
      plan,
    )}\` (target ${
      spec.autoscaling.gpuUtilizationPercent
    }% per replica). It adds replicas at once and removes one at most every 5 minutes after a 10-minute calm; if Prometheus cannot be read, it holds ${
      spec.autoscaling.fallbackReplicas ??
      Math.max(1, spec.autoscaling.minReplicas)
    } replica(s). The Deployment has no \`spec.replicas\`: the autoscaler owns it.${
      spec.autoscaling.scaleToZero
        ? ' Scale-to-zero is on: with no replica there is no engine queue to measure, so put a proxy that holds requests (such as the KEDA HTTP add-on or your gateway) in front and report its waiting requests under the same query.'
        : ''
    }`,
    '',
    `Metrics are scraped through the pod annotations \`prometheus.io/scrape|port|path\`${
      spec.monitor === 'none'
        ? '.'
        : ` and a ${
            spec.monitor === 'podmonitor' ? 'PodMonitor' : 'ServiceMonitor'
          }.`
    }`,
    '',
    '## Files',
    '',
    ...files.map(f => `- \`${f}\``),
    '',
  ].join('\n');
}

function byPath(a: RenderedFile, b: RenderedFile): number {
  if (a.path === b.path) return 0;
  return a.path < b.path ? -1 : 1;
}

/**
 * Renders the whole content of a serving repo in memory: `deploy/` manifests, the Triton model
 * repository when Triton serves, `plan.json`, README (explaining the plan) and
 * catalog-info.yaml, sorted by path. Throws SpecValidationError for bad input and
 * ServingPlanError when the configuration does not fit in GPU memory. Pure.
 * @public
 */
export function renderServingRepo(input: ServingSpecInput): RenderedFile[] {
  const spec = parseServingSpec(input);
  const plan = planServing(spec);
  const summary = summarizeServingPlan(spec, plan);
  const catalogInfo = renderServingCatalogInfo(spec, summary);
  const files: RenderedFile[] = renderServingObjects(spec, plan).map(
    object => ({
      path: `${SERVING_MANIFESTS_DIR}/${FILE_NAMES[object.kind]}`,
      content: toYaml(object),
    }),
  );
  files.push({ path: 'catalog-info.yaml', content: toYaml(catalogInfo) });
  files.push({
    path: 'plan.json',
    content: `${JSON.stringify(summary, null, 2)}\n`,
  });
  if (spec.engine !== 'vllm') {
    for (const f of renderModelRepositoryFiles(spec, plan)) {
      files.push({ path: `model_repository/${f.path}`, content: f.content });
    }
  }
  const paths = [...files.map(f => f.path), 'README.md'].sort();
  files.push({
    path: 'README.md',
    content: readme(spec, plan, describeServing(spec), paths),
  });
  return files.sort(byPath);
}
