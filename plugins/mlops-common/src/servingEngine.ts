import type { ServingEngine } from './serving/spec';

/**
 * What a model server runs, read from its live Deployment or StatefulSet.
 * @public
 */
export interface ServingEngineInfo {
  /**
   * The serving process: `vllm serve` or `tritonserver`. It decides which metrics the pods
   * export (`vllm:*` or Triton's `nv_*`) and the engine name the status card shows.
   */
  server: 'vllm' | 'triton';
  /** The template's engine, when the pod says which; absent for Triton with an unknown backend. */
  engine?: ServingEngine;
}

/** The part of a Deployment or StatefulSet {@link servingEngineOf} reads. @public */
export interface ServingWorkloadLike {
  spec?: {
    template?: {
      spec?: {
        containers?: Array<{
          name?: string;
          image?: string;
          command?: string[];
        }>;
      };
    };
  };
}

/** `nvcr.io/nvidia/tritonserver:25.09-vllm-python-py3` → repository and tag, digest dropped. */
function splitImage(image: string): { repository: string; tag: string } {
  const [withoutDigest] = image.split('@');
  const colon = withoutDigest.lastIndexOf(':');
  // A colon before the last slash is a registry port, not a tag.
  return colon > withoutDigest.lastIndexOf('/')
    ? {
        repository: withoutDigest.slice(0, colon),
        tag: withoutDigest.slice(colon + 1),
      }
    : { repository: withoutDigest, tag: '' };
}

function triton(image: string): ServingEngineInfo {
  // NGC tags the Triton builds by backend: `25.09-vllm-python-py3`, `25.09-trtllm-python-py3`.
  if (/trtllm|tensorrt/i.test(image)) {
    return { server: 'triton', engine: 'triton-tensorrt-llm' };
  }
  if (/vllm/i.test(image)) return { server: 'triton', engine: 'triton-vllm' };
  return { server: 'triton' };
}

const VLLM: ServingEngineInfo = { server: 'vllm', engine: 'vllm' };

function containerEngine(c: {
  name?: string;
  image?: string;
  command?: string[];
}): ServingEngineInfo | undefined {
  const image = String(c.image ?? '');
  const program = String(c.command?.[0] ?? '')
    .split('/')
    .pop();
  // The command is what runs, whatever the image is called (the renderers always set it).
  if (program === 'tritonserver') return triton(image);
  if (
    program === 'vllm' ||
    c.command?.includes('vllm.entrypoints.openai.api_server')
  ) {
    return VLLM;
  }
  // Then the image repository, never its tag: Triton's vLLM build has `vllm` in its tag.
  const { repository } = splitImage(image);
  if (/triton/i.test(repository)) return triton(image);
  if (/vllm/i.test(repository)) return VLLM;
  if (c.name === 'triton') return triton(image);
  if (c.name === 'vllm') return VLLM;
  return undefined;
}

/**
 * The serving engine of a model server's Deployment or StatefulSet, from its first container
 * that names one: by command (`tritonserver`, `vllm serve`), else by image repository, else by
 * container name. The one detection shared by the status card and the metrics route.
 * @public
 */
export function servingEngineOf(
  workload: ServingWorkloadLike | undefined,
): ServingEngineInfo | undefined {
  for (const c of workload?.spec?.template?.spec?.containers ?? []) {
    const found = containerEngine(c);
    if (found) return found;
  }
  return undefined;
}
