import {
  DEFAULT_TRITON_TRTLLM_IMAGE,
  DEFAULT_TRITON_VLLM_IMAGE,
  DEFAULT_VLLM_IMAGE,
  SERVING_ENGINES,
  parseServingSpec,
  planServing,
  renderServingObjects,
  type ServingEngine,
} from './serving';
import { llamaServingSpec } from './serving/testing/llamaSpec';
import { servingEngineOf, type ServingWorkloadLike } from './servingEngine';

/** The Deployment a template renders for `engine`, with the default image. */
function renderedDeployment(engine: ServingEngine): any {
  const spec = parseServingSpec({ ...llamaServingSpec, engine });
  return renderServingObjects(spec, planServing(spec)).find(
    o => o.kind === 'Deployment',
  );
}

const withContainers = (
  ...containers: Array<{ name?: string; image?: string; command?: string[] }>
): ServingWorkloadLike => ({ spec: { template: { spec: { containers } } } });

// vllm-model-server renders `vllm`; triton-model-server offers triton-vllm (its default) and triton-tensorrt-llm.
const TEMPLATE_DEFAULTS = [
  ['vllm', DEFAULT_VLLM_IMAGE, { server: 'vllm', engine: 'vllm' }],
  [
    'triton-vllm',
    DEFAULT_TRITON_VLLM_IMAGE,
    { server: 'triton', engine: 'triton-vllm' },
  ],
  [
    'triton-tensorrt-llm',
    DEFAULT_TRITON_TRTLLM_IMAGE,
    { server: 'triton', engine: 'triton-tensorrt-llm' },
  ],
] as const;

describe('servingEngineOf', () => {
  it.each(TEMPLATE_DEFAULTS)(
    'reads the %s Deployment a template renders (%s)',
    (engine, image, expected) => {
      const deployment = renderedDeployment(engine);
      expect(deployment.spec.template.spec.containers[0].image).toBe(image);
      expect(servingEngineOf(deployment)).toEqual(expected);
    },
  );

  it('has a case above for every engine a template can choose', () => {
    expect(TEMPLATE_DEFAULTS.map(([engine]) => engine).sort()).toEqual(
      [...SERVING_ENGINES].sort(),
    );
  });

  it.each([
    [DEFAULT_VLLM_IMAGE, { server: 'vllm', engine: 'vllm' }],
    // The tag of Triton's vLLM build contains `vllm`; the repository decides.
    [DEFAULT_TRITON_VLLM_IMAGE, { server: 'triton', engine: 'triton-vllm' }],
    [
      DEFAULT_TRITON_TRTLLM_IMAGE,
      { server: 'triton', engine: 'triton-tensorrt-llm' },
    ],
    ['nvcr.io/nvidia/tritonserver:25.09-py3', { server: 'triton' }],
    ['nvcr.io/nvidia/tritonserver@sha256:0f3c6a1e9d2b', { server: 'triton' }],
    ['localhost:5000/vllm-openai:dev', { server: 'vllm', engine: 'vllm' }],
  ])(
    'reads a hand-written container by its image alone: %s',
    (image, expected) => {
      expect(
        servingEngineOf(withContainers({ name: 'server', image })),
      ).toEqual(expected);
    },
  );

  it('believes the command over the image name', () => {
    expect(
      servingEngineOf(
        withContainers({
          name: 'server',
          image: 'registry.example.com/llm/server:1.4',
          command: ['/opt/tritonserver/bin/tritonserver'],
        }),
      ),
    ).toEqual({ server: 'triton' });
    expect(
      servingEngineOf(
        withContainers({
          name: 'server',
          image: 'registry.example.com/triton-tools:1.0',
          command: ['vllm', 'serve'],
        }),
      ),
    ).toEqual({ server: 'vllm', engine: 'vllm' });
    expect(
      servingEngineOf(
        withContainers({
          image: 'registry.example.com/llm/server:1.4',
          command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
        }),
      ),
    ).toEqual({ server: 'vllm', engine: 'vllm' });
  });

  it('falls back to the container name the renderers give, and skips sidecars', () => {
    expect(
      servingEngineOf(
        withContainers(
          { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.27.0' },
          { name: 'vllm', image: 'registry.example.com/llm/server:1.4' },
        ),
      ),
    ).toEqual({ server: 'vllm', engine: 'vllm' });
  });

  it('knows nothing of other workloads', () => {
    expect(
      servingEngineOf(withContainers({ name: 'web', image: 'nginx:1.29' })),
    ).toBeUndefined();
    expect(servingEngineOf({})).toBeUndefined();
    expect(servingEngineOf(undefined)).toBeUndefined();
  });
});
