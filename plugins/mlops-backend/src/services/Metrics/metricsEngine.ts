import { servingEngineOf } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { LiveObject } from '../StatusCache/health';

/**
 * Whose metrics to query for a model server: the same detection as the status card's engine.
 * Without a recognisable server (none cached yet) vLLM's, the templates' default.
 */
export function metricsEngineOf(
  server: LiveObject | undefined,
): 'vllm' | 'triton' {
  return servingEngineOf(server)?.server ?? 'vllm';
}
