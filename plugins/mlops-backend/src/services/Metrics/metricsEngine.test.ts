import {
  DEFAULT_TRITON_TRTLLM_IMAGE,
  DEFAULT_TRITON_VLLM_IMAGE,
  DEFAULT_VLLM_IMAGE,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { servingStatus, type LiveObject } from '../StatusCache/health';
import { metricsEngineOf } from './metricsEngine';

const server = (image: string): LiveObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'llama3-8b-chat', namespace: 'ml-serving' },
  spec: { template: { spec: { containers: [{ name: 'server', image }] } } },
});

describe('metricsEngineOf', () => {
  it.each([
    [DEFAULT_VLLM_IMAGE, 'vllm'],
    // Its tag contains `vllm`; the status card once said vLLM here while this queried Triton.
    [DEFAULT_TRITON_VLLM_IMAGE, 'triton'],
    [DEFAULT_TRITON_TRTLLM_IMAGE, 'triton'],
  ])(
    'queries %s for %s metrics, as the status card names it',
    (image, engine) => {
      expect(metricsEngineOf(server(image))).toBe(engine);
      expect(servingStatus(server(image)).engine).toBe(engine);
    },
  );

  it("queries vLLM's metrics while no model server is cached", () => {
    expect(metricsEngineOf(undefined)).toBe('vllm');
    expect(metricsEngineOf(server('nginx:1.29'))).toBe('vllm');
  });
});
